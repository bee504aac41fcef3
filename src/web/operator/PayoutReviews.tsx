import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Link,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState, type ReactNode } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../api/client';
import type { Collection } from '../api/types';
import { Facts } from '../components/Facts';
import { FormError, LoadError } from '../components/FormError';
import { ListPager } from '../components/ListPager';
import { Page, useLayoutStyles } from '../components/layout';
import { countryName } from '../components/regions';
import { useKeysetList } from '../components/useKeysetList';
import { PayoutStatusBadge } from '../pages/account/payout/PayoutStatusBadge';

const PAGE_SIZE = 25;

const TEXT = {
  taxexemptions: { title: 'operator.taxexemptions.title', lead: 'operator.taxexemptions.lead', reject: 'operator.taxexemptions.reject', rejectConfirm: 'operator.taxexemptions.rejectConfirm' },
  bankprofiles: { title: 'operator.bankprofiles.title', lead: 'operator.bankprofiles.lead', reject: 'operator.bankprofiles.reject', rejectConfirm: 'operator.bankprofiles.rejectConfirm' },
} as const;

const useStyles = makeStyles({
  toolbar: { display: 'flex', alignItems: 'flex-end', gap: '16px', flexWrap: 'wrap' },
  status: { minWidth: '220px' },
  summary: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', minHeight: '32px' },
  total: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '860px' },
  row: { cursor: 'pointer' },
  company: { fontWeight: tokens.fontWeightSemibold },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  empty: { textAlign: 'center', color: tokens.colorNeutralForeground3, paddingBlock: '24px' },
  detail: { display: 'flex', flexDirection: 'column', gap: '12px' },
  docs: { margin: 0, paddingLeft: '20px' },
});

interface ReviewBase {
  id: string;
  partnerId: string;
  companyName: string;
  status: string;
  reason: string | null;
  submittedAt: string;
}
interface ExemptionItem extends ReviewBase {
  country: string;
  certificateNumber: string;
  comment: string;
  documentCount?: number;
  documents?: { id: string; filename: string }[];
}
interface BankItem extends ReviewBase {
  name: string;
  bankCountry: string;
  paymentMethod: 'sepa' | 'wire';
  accountHolderName: string;
  bankName: string | null;
  account: string;
  bic: string | null;
}

interface QueueSpec<T extends ReviewBase> {
  kind: 'taxexemptions' | 'bankprofiles';
  statuses: readonly string[];
  columns: { id: string; width: string; cell: (item: T) => ReactNode }[];
  facts: (item: T) => { key: string; label: ReactNode; value: ReactNode }[];
  pending: string;
}

/** A review queue of the operator: status filter, keyset pages, a dialog to approve or reject with a reason. */
function ReviewQueue<T extends ReviewBase>({ spec }: { spec: QueueSpec<T> }) {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const [status, setStatus] = useState(spec.pending);
  const q = new URLSearchParams({ size: String(PAGE_SIZE), status });
  const list = useKeysetList<Collection<T>>(`/v1/operator/reviews/${spec.kind}?${q.toString()}`);
  const [open, setOpen] = useState<string | null>(null);
  const text = TEXT[spec.kind];

  return (
    <Page wide title={<FormattedMessage id={text.title} />} subtitle={<FormattedMessage id={text.lead} />}>
      <div className={l.card}>
        <div className={s.toolbar}>
          <Field className={s.status} label={intl.formatMessage({ id: 'operator.partners.status' })}>
            <Select value={status} onChange={(_, d) => setStatus(d.value)} data-testid={`${spec.kind}-status`}>
              {spec.statuses.map((st) => (
                <option key={st} value={st}>
                  {intl.formatMessage({ id: `payout.status.${st}` })}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <div className={s.summary}>
          <span className={s.total} aria-live="polite">
            {list.data && <FormattedMessage id="operator.reviews.total" values={{ count: list.data.totalCount }} />}
          </span>
          {list.loading && <Spinner size="tiny" />}
        </div>
        {list.error && <LoadError error={list.error} />}
        <div className={s.tableWrap}>
          <Table className={s.table} aria-label={intl.formatMessage({ id: text.title })} data-testid={`${spec.kind}-table`}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: '26%' }}>
                  <FormattedMessage id="operator.partners.col.company" />
                </TableHeaderCell>
                {spec.columns.map((c) => (
                  <TableHeaderCell key={c.id} style={{ width: c.width }}>
                    <FormattedMessage id={c.id} />
                  </TableHeaderCell>
                ))}
                <TableHeaderCell style={{ width: '16%' }}>
                  <FormattedMessage id="operator.reviews.col.submitted" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '14%' }}>
                  <FormattedMessage id="operator.partners.col.status" />
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data?.items.map((v) => (
                <TableRow key={v.id} className={s.row} onClick={() => setOpen(v.id)} data-testid={`${spec.kind}-row`}>
                  <TableCell>
                    <Link onClick={() => setOpen(v.id)} className={s.company}>
                      {v.companyName}
                    </Link>
                  </TableCell>
                  {spec.columns.map((c) => (
                    <TableCell key={c.id}>{c.cell(v)}</TableCell>
                  ))}
                  <TableCell>
                    <FormattedDate value={v.submittedAt} dateStyle="medium" timeStyle="short" />
                  </TableCell>
                  <TableCell>
                    <PayoutStatusBadge status={v.status} />
                  </TableCell>
                </TableRow>
              ))}
              {list.data && list.data.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={spec.columns.length + 3} className={s.empty}>
                    <FormattedMessage id="operator.reviews.empty" />
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </div>
        <ListPager list={list} testIdPrefix={spec.kind} />
      </div>
      {open && (
        <ReviewDialog
          spec={spec}
          id={open}
          onClose={(changed) => {
            setOpen(null);
            if (changed) list.first();
          }}
        />
      )}
    </Page>
  );
}

function ReviewDialog<T extends ReviewBase>({ spec, id, onClose }: { spec: QueueSpec<T>; id: string; onClose: (changed: boolean) => void }) {
  const s = useStyles();
  const intl = useIntl();
  const [item, setItem] = useState<T | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const path = `/v1/operator/reviews/${spec.kind}/${id}`;

  useEffect(() => {
    const ctl = new AbortController();
    api<T>(path, { signal: ctl.signal }).then(setItem, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
    });
    return () => ctl.abort();
  }, [path]);

  const decide = async (kind: 'approve' | 'reject') => {
    setBusy(true);
    setError(null);
    try {
      await api(`${path}/${kind}`, { method: 'POST', body: kind === 'reject' ? { reason } : {} });
      onClose(true);
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    } finally {
      setBusy(false);
    }
  };
  const pending = item?.status === spec.pending;
  const text = TEXT[spec.kind];

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose(false)}>
      <DialogSurface style={{ maxWidth: '720px' }} data-testid={`${spec.kind}-dialog`}>
        <DialogBody>
          <DialogTitle>{item?.companyName ?? <FormattedMessage id="common.loading" />}</DialogTitle>
          <DialogContent className={s.detail}>
            {loadError && <LoadError error={loadError} />}
            {!item && !loadError && <Spinner />}
            {item && (
              <>
                <div>
                  <PayoutStatusBadge status={item.status} />
                </div>
                {item.reason && (
                  <MessageBar intent="warning">
                    <MessageBarBody>
                      <FormattedMessage id="payout.reason" values={{ reason: item.reason }} />
                    </MessageBarBody>
                  </MessageBar>
                )}
                <Facts items={spec.facts(item)} />
                {rejecting && (
                  <Field label={intl.formatMessage({ id: 'operator.verifications.reason' })} required validationState={error?.details.some((d) => d.field === 'reason') ? 'error' : 'none'} validationMessage={error?.details.find((d) => d.field === 'reason')?.message}>
                    <Textarea value={reason} onChange={(_, d) => setReason(d.value)} maxLength={1000} resize="vertical" data-testid="review-reason" />
                  </Field>
                )}
                <FormError error={error} shownFields={['reason']} />
              </>
            )}
          </DialogContent>
          <DialogActions>
            {pending && !rejecting && (
              <Button appearance="primary" disabled={busy} onClick={() => void decide('approve')} data-testid="review-approve">
                <FormattedMessage id="operator.verifications.approve" />
              </Button>
            )}
            {pending && !rejecting && (
              <Button disabled={busy} onClick={() => setRejecting(true)} data-testid="review-reject">
                <FormattedMessage id={text.reject} />
              </Button>
            )}
            {pending && rejecting && (
              <Button appearance="primary" disabled={busy || !reason.trim()} onClick={() => void decide('reject')} data-testid="review-reject-confirm">
                <FormattedMessage id={text.rejectConfirm} />
              </Button>
            )}
            <Button onClick={() => onClose(false)} disabled={busy}>
              <FormattedMessage id="common.close" />
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** The operator's queue of tax exemptions. */
export function TaxExemptionReviewsPage() {
  const s = useStyles();
  const intl = useIntl();
  const spec: QueueSpec<ExemptionItem> = {
    kind: 'taxexemptions',
    statuses: ['submitted', 'rejected', 'approved'],
    pending: 'submitted',
    columns: [
      { id: 'payout.tax.country', width: '14%', cell: (v) => countryName(intl.locale, v.country) },
      { id: 'payout.exemption.certificate', width: '18%', cell: (v) => <span className={s.mono}>{v.certificateNumber}</span> },
      { id: 'payout.exemption.documents', width: '12%', cell: (v) => <Badge appearance="outline">{v.documentCount ?? 0}</Badge> },
    ],
    facts: (v) => [
      { key: 'country', label: <FormattedMessage id="payout.tax.country" />, value: countryName(intl.locale, v.country) },
      { key: 'cert', label: <FormattedMessage id="payout.exemption.certificate" />, value: v.certificateNumber },
      { key: 'comment', label: <FormattedMessage id="payout.exemption.comment" />, value: v.comment || null },
      { key: 'submitted', label: <FormattedMessage id="operator.reviews.col.submitted" />, value: <FormattedDate value={v.submittedAt} dateStyle="medium" timeStyle="short" /> },
      {
        key: 'docs',
        label: <FormattedMessage id="payout.exemption.documents" />,
        value: v.documents?.length ? (
          <ul className={s.docs} data-testid="review-documents">
            {v.documents.map((d) => (
              <li key={d.id}>
                <Link href={`/v1/operator/partners/${v.partnerId}/documents/${d.id}`}>{d.filename}</Link>
              </li>
            ))}
          </ul>
        ) : null,
      },
    ],
  };
  return <ReviewQueue spec={spec} />;
}

/** The operator's queue of bank profiles to validate (accounts masked). */
export function BankProfileReviewsPage() {
  const s = useStyles();
  const intl = useIntl();
  const spec: QueueSpec<BankItem> = {
    kind: 'bankprofiles',
    statuses: ['pending_validation', 'action_required', 'approved'],
    pending: 'pending_validation',
    columns: [
      { id: 'payout.bank.name', width: '16%', cell: (v) => v.name },
      { id: 'payout.bank.country', width: '12%', cell: (v) => countryName(intl.locale, v.bankCountry) },
      { id: 'payout.bank.account', width: '18%', cell: (v) => <span className={s.mono}>{v.account}</span> },
    ],
    facts: (v) => [
      { key: 'name', label: <FormattedMessage id="payout.bank.name" />, value: v.name },
      { key: 'country', label: <FormattedMessage id="payout.bank.country" />, value: countryName(intl.locale, v.bankCountry) },
      { key: 'method', label: <FormattedMessage id="payout.bank.method" />, value: intl.formatMessage({ id: `payout.method.${v.paymentMethod}` }) },
      { key: 'holder', label: <FormattedMessage id="payout.bank.holder" />, value: v.accountHolderName },
      { key: 'bankName', label: <FormattedMessage id="payout.bank.bankName" />, value: v.bankName },
      { key: 'account', label: <FormattedMessage id="payout.bank.account" />, value: <span className={s.mono}>{v.account}</span> },
      { key: 'bic', label: <FormattedMessage id="payout.bank.bic" />, value: v.bic },
      { key: 'submitted', label: <FormattedMessage id="operator.reviews.col.submitted" />, value: <FormattedDate value={v.submittedAt} dateStyle="medium" timeStyle="short" /> },
    ],
  };
  return <ReviewQueue spec={spec} />;
}

import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
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
import { useEffect, useState } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../api/client';
import type { Collection, Contact, PartnerStatus } from '../api/types';
import { Facts } from '../components/Facts';
import { FormError, LoadError } from '../components/FormError';
import { ListPager } from '../components/ListPager';
import { Page, useLayoutStyles } from '../components/layout';
import { countryName } from '../components/regions';
import { StatusBadge } from '../components/StatusBadge';
import { useDebounced, useKeysetList } from '../components/useKeysetList';
import type { LegalProfile } from '../pages/account/legal/types';

const PAGE_SIZE = 25;
const STATUSES: readonly PartnerStatus[] = ['pending_verification', 'rejected', 'authorized'];

interface QueueItem {
  partnerId: string;
  companyName: string;
  country: string;
  status: PartnerStatus;
  submittedAt: string;
  pendingFields: string[];
  rejectionReason: string | null;
}

const useStyles = makeStyles({
  toolbar: { display: 'flex', alignItems: 'flex-end', gap: '16px', flexWrap: 'wrap' },
  search: { flexGrow: 1, minWidth: '240px', maxWidth: '420px' },
  status: { minWidth: '220px' },
  summary: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', minHeight: '32px' },
  total: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '860px' },
  row: { cursor: 'pointer' },
  company: { fontWeight: tokens.fontWeightSemibold },
  empty: { textAlign: 'center', color: tokens.colorNeutralForeground3, paddingBlock: '24px' },
  detail: { display: 'flex', flexDirection: 'column', gap: '12px' },
  actions: { display: 'flex', gap: '8px' },
  docs: { margin: 0, paddingLeft: '20px' },
  address: { display: 'flex', flexDirection: 'column' },
});

const contactLine = (c: Contact | null) => (c ? `${[c.firstName, c.middleName, c.lastName].filter(Boolean).join(' ')} · ${c.email}${c.phoneNumber ? ` · ${c.phoneNumber}` : ''}` : null);

/** The operator's queue of partner verifications: filter, page, open one, approve or reject with a reason. */
export function VerificationsPage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const [status, setStatus] = useState<PartnerStatus>('pending_verification');
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim());
  const q = new URLSearchParams({ size: String(PAGE_SIZE), status });
  if (search) q.set('search', search);
  const list = useKeysetList<Collection<QueueItem>>(`/v1/operator/reviews/verifications?${q.toString()}`);
  const [open, setOpen] = useState<string | null>(null);
  const fieldNames = (fields: string[]) => fields.map((f) => intl.formatMessage({ id: `legal.field.${f}` })).join(', ');

  return (
    <Page wide title={<FormattedMessage id="operator.verifications.title" />} subtitle={<FormattedMessage id="operator.verifications.lead" />}>
      <div className={l.card}>
        <div className={s.toolbar}>
          <Field className={s.search} label={intl.formatMessage({ id: 'operator.partners.search' })}>
            <Input type="search" value={searchText} onChange={(_, d) => setSearchText(d.value)} data-testid="verifications-search" />
          </Field>
          <Field className={s.status} label={intl.formatMessage({ id: 'operator.partners.status' })}>
            <Select value={status} onChange={(_, d) => setStatus(d.value as PartnerStatus)} data-testid="verifications-status">
              {STATUSES.map((st) => (
                <option key={st} value={st}>
                  {intl.formatMessage({ id: `status.${st}` })}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <div className={s.summary}>
          <span className={s.total} aria-live="polite" data-testid="verifications-total">
            {list.data && <FormattedMessage id="operator.verifications.total" values={{ count: list.data.totalCount }} />}
          </span>
          {list.loading && <Spinner size="tiny" />}
        </div>
        {list.error && <LoadError error={list.error} />}
        <div className={s.tableWrap}>
          <Table className={s.table} aria-label={intl.formatMessage({ id: 'operator.verifications.title' })} data-testid="verifications-table">
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: '30%' }}>
                  <FormattedMessage id="operator.partners.col.company" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '14%' }}>
                  <FormattedMessage id="operator.partners.col.country" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '16%' }}>
                  <FormattedMessage id="operator.verifications.col.submitted" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '24%' }}>
                  <FormattedMessage id="operator.verifications.col.fields" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '16%' }}>
                  <FormattedMessage id="operator.partners.col.status" />
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data?.items.map((v) => (
                <TableRow key={v.partnerId} className={s.row} onClick={() => setOpen(v.partnerId)} data-testid="verification-row">
                  <TableCell>
                    <Link onClick={() => setOpen(v.partnerId)} className={s.company}>
                      {v.companyName}
                    </Link>
                  </TableCell>
                  <TableCell>{countryName(intl.locale, v.country)}</TableCell>
                  <TableCell>
                    <FormattedDate value={v.submittedAt} dateStyle="medium" timeStyle="short" />
                  </TableCell>
                  <TableCell>{fieldNames(v.pendingFields) || '—'}</TableCell>
                  <TableCell>
                    <StatusBadge status={v.status} />
                  </TableCell>
                </TableRow>
              ))}
              {list.data && list.data.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={5} className={s.empty}>
                    <FormattedMessage id="operator.verifications.empty" />
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </div>
        <ListPager list={list} testIdPrefix="verifications" />
      </div>
      {open && (
        <VerificationDialog
          partnerId={open}
          onClose={(changed) => {
            setOpen(null);
            if (changed) list.first();
          }}
        />
      )}
    </Page>
  );
}

function VerificationDialog({ partnerId, onClose }: { partnerId: string; onClose: (changed: boolean) => void }) {
  const s = useStyles();
  const intl = useIntl();
  const [p, setP] = useState<(LegalProfile & { partnerId: string }) | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    api<LegalProfile & { partnerId: string }>(`/v1/operator/reviews/verifications/${partnerId}`, { signal: ctl.signal }).then(setP, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
    });
    return () => ctl.abort();
  }, [partnerId]);

  const decide = async (kind: 'approve' | 'reject') => {
    setBusy(true);
    setError(null);
    try {
      await api(`/v1/operator/reviews/verifications/${partnerId}/${kind}`, { method: 'POST', body: kind === 'reject' ? { reason } : {} });
      onClose(true);
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    } finally {
      setBusy(false);
    }
  };

  const pending = p?.vettingStatus === 'pending_verification';
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose(false)}>
      <DialogSurface style={{ maxWidth: '760px' }} data-testid="verification-dialog">
        <DialogBody>
          <DialogTitle>{p?.companyName ?? <FormattedMessage id="common.loading" />}</DialogTitle>
          <DialogContent className={s.detail}>
            {loadError && <LoadError error={loadError} />}
            {!p && !loadError && <Spinner />}
            {p && (
              <>
                <div>
                  <StatusBadge status={p.vettingStatus} />
                </div>
                {p.rejectionReason && (
                  <MessageBar intent="error">
                    <MessageBarBody>
                      <FormattedMessage id="legal.rejected.reason" values={{ reason: p.rejectionReason }} />
                    </MessageBarBody>
                  </MessageBar>
                )}
                <Facts
                  items={[
                    { key: 'fields', label: <FormattedMessage id="operator.verifications.col.fields" />, value: p.pendingFields.map((f) => intl.formatMessage({ id: `legal.field.${f}` })).join(', ') || null },
                    { key: 'name', label: <FormattedMessage id="legal.companyName" />, value: p.companyName },
                    {
                      key: 'address',
                      label: <FormattedMessage id="legal.address" />,
                      value: (
                        <span className={s.address}>
                          <span>{p.address.addressLine1}</span>
                          {p.address.addressLine2 && <span>{p.address.addressLine2}</span>}
                          <span>{[p.address.postalCode, p.address.city].join(' ')}</span>
                          <span>{countryName(intl.locale, p.address.country)}</span>
                        </span>
                      ),
                    },
                    { key: 'contact', label: <FormattedMessage id="legal.contact" />, value: contactLine(p.primaryContact) },
                    { key: 'approver', label: <FormattedMessage id="legal.approver" />, value: contactLine(p.companyApprover) },
                    { key: 'website', label: <FormattedMessage id="legal.website" />, value: p.website },
                    { key: 'submitted', label: <FormattedMessage id="operator.verifications.col.submitted" />, value: <FormattedDate value={p.submittedAt} dateStyle="medium" timeStyle="short" /> },
                    { key: 'comment', label: <FormattedMessage id="operator.verifications.comment" />, value: p.verificationComment },
                    {
                      key: 'docs',
                      label: <FormattedMessage id="legal.documents" />,
                      value: p.documents.length ? (
                        <ul className={s.docs} data-testid="verification-documents">
                          {p.documents.map((d) => (
                            <li key={d.id}>
                              <Link href={`/v1/operator/partners/${p.partnerId}/documents/${d.id}`}>{d.filename}</Link>
                            </li>
                          ))}
                        </ul>
                      ) : null,
                    },
                  ]}
                />
                {rejecting && (
                  <Field label={intl.formatMessage({ id: 'operator.verifications.reason' })} required validationState={error?.details.some((d) => d.field === 'reason') ? 'error' : 'none'} validationMessage={error?.details.find((d) => d.field === 'reason')?.message}>
                    <Textarea value={reason} onChange={(_, d) => setReason(d.value)} maxLength={1000} resize="vertical" data-testid="verification-reason" />
                  </Field>
                )}
                <FormError error={error} shownFields={['reason']} />
              </>
            )}
          </DialogContent>
          <DialogActions>
            {pending && !rejecting && (
              <Button appearance="primary" disabled={busy} onClick={() => void decide('approve')} data-testid="verification-approve">
                <FormattedMessage id="operator.verifications.approve" />
              </Button>
            )}
            {pending && !rejecting && (
              <Button disabled={busy} onClick={() => setRejecting(true)} data-testid="verification-reject">
                <FormattedMessage id="operator.verifications.reject" />
              </Button>
            )}
            {pending && rejecting && (
              <Button appearance="primary" disabled={busy || !reason.trim()} onClick={() => void decide('reject')} data-testid="verification-reject-confirm">
                <FormattedMessage id="operator.verifications.rejectConfirm" />
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

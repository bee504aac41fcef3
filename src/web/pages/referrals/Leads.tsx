import {
  Badge,
  Button,
  Checkbox,
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
  MessageBarTitle,
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
import { useEffect, useMemo, useState } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { Route, Routes, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { AppLink } from '../../components/AppLink';
import { Facts } from '../../components/Facts';
import { fieldErrors, FormError, LoadError } from '../../components/FormError';
import { ListPager } from '../../components/ListPager';
import { Loading, Page, useLayoutStyles } from '../../components/layout';
import { countryName, currencyName } from '../../components/regions';
import { useEtagResource } from '../../components/useEtagResource';
import { useDebounced, useKeysetList } from '../../components/useKeysetList';
import { useLocale } from '../../i18n/LocaleProvider';
import { usePartnerSession } from '../../session/PartnerSession';
import {
  COMPANY_SIZES, filterQuery, formatDeal, LEAD_STATUSES, STATUS_COLOR, type LeadCollection, type LeadDetail, type LeadFilters, type LeadStatus, type TeamMember,
} from './leadModel';

const PAGE_SIZE = 25;

const useStyles = makeStyles({
  toolbar: { display: 'flex', alignItems: 'flex-end', gap: '16px', flexWrap: 'wrap' },
  search: { flexGrow: 1, minWidth: '200px', maxWidth: '420px' },
  filter: { minWidth: '160px' },
  summary: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px', minHeight: '32px', flexWrap: 'wrap' },
  total: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '760px' },
  wrap: { overflowWrap: 'anywhere', paddingBlock: '8px' },
  sub: { display: 'block', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  empty: { textAlign: 'center', color: tokens.colorNeutralForeground3, paddingBlock: '24px' },
  badges: { display: 'flex', gap: '6px', alignItems: 'center', flexWrap: 'wrap' },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap' },
  columns: { display: 'grid', gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 1fr)', gap: '20px', '@media (max-width: 900px)': { gridTemplateColumns: 'minmax(0, 1fr)' } },
  need: { whiteSpace: 'pre-wrap', margin: 0 },
  notes: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '12px' },
  note: { borderLeft: `3px solid ${tokens.colorBrandStroke2}`, paddingLeft: '12px' },
  noteMeta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  noteText: { whiteSpace: 'pre-wrap', margin: '4px 0 0', overflowWrap: 'anywhere' },
  team: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '6px' },
  muted: { color: tokens.colorNeutralForeground3 },
  picker: { display: 'flex', flexDirection: 'column', gap: '4px', maxHeight: '240px', overflowY: 'auto' },
  dialogBody: { display: 'flex', flexDirection: 'column', gap: '12px' },
  fieldset: { border: 'none', margin: 0, padding: 0, minWidth: 0 },
  legend: { padding: 0, marginBottom: '6px', fontWeight: tokens.fontWeightSemibold },
  error: { color: tokens.colorPaletteRedForeground1, fontSize: tokens.fontSizeBase200 },
  row: { display: 'flex', gap: '12px', flexWrap: 'wrap', '& > *': { flexGrow: 1, minWidth: '140px' } },
});

/** Referrals → Leads: the inbox, and a lead's page. */
export default function Leads() {
  return (
    <Routes>
      <Route index element={<LeadsInbox />} />
      <Route path=":id" element={<LeadPage />} />
    </Routes>
  );
}

/** A small flame: the lead arrived less than 72 hours ago and waits for an answer. */
function FlameIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M8.6 1.1c.2 2.1-.9 3.3-2 4.5C5.5 6.8 4.4 8 4.4 10a3.6 3.6 0 0 0 7.2 0c0-1.2-.5-2.3-1.2-3.1-.1 1-.6 1.7-1.3 2 .4-2.6-.1-5.4-2.5-7.8Z" />
    </svg>
  );
}

export function LeadStatusBadge({ status }: { status: LeadStatus }) {
  return (
    <Badge appearance="tint" color={STATUS_COLOR[status]} shape="rounded" data-testid="lead-status">
      <FormattedMessage id={`leads.status.${status}`} />
    </Badge>
  );
}

function FreshBadge() {
  const intl = useIntl();
  return (
    <Badge appearance="filled" color="danger" shape="rounded" icon={<FlameIcon />} size="small" title={intl.formatMessage({ id: 'leads.fresh.title' })} data-testid="lead-fresh">
      <FormattedMessage id="leads.fresh" />
    </Badge>
  );
}

function LeadsInbox() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const [searchText, setSearchText] = useState('');
  const q = useDebounced(searchText.trim());
  const [status, setStatus] = useState<LeadStatus | ''>('');
  const [companySize, setCompanySize] = useState('');
  const [mine, setMine] = useState(false);
  const filters: LeadFilters = { q, status, companySize, mine };
  const query = filterQuery(filters);
  const first = new URLSearchParams(query);
  first.set('size', String(PAGE_SIZE));
  const list = useKeysetList<LeadCollection>(`/v1/referrals?${first.toString()}`);
  const { data, loading, error } = list;
  const filtered = query.toString() !== '';

  function download() {
    // The session cookie authenticates the GET; the answer is an attachment, so the page stays.
    const a = document.createElement('a');
    const qs = query.toString();
    a.href = `/v1/referrals/export${qs ? `?${qs}` : ''}`;
    a.download = '';
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  return (
    <Page
      wide
      title={<FormattedMessage id="leads.title" />}
      subtitle={<FormattedMessage id="leads.subtitle" />}
      actions={
        <Button onClick={download} data-testid="leads-export">
          <FormattedMessage id={filtered ? 'leads.exportFiltered' : 'leads.export'} />
        </Button>
      }
    >
      <div className={l.card}>
        <div className={s.toolbar}>
          <Field className={s.search} label={intl.formatMessage({ id: 'leads.search' })}>
            <Input type="search" value={searchText} onChange={(_, d) => setSearchText(d.value)} placeholder={intl.formatMessage({ id: 'leads.searchPlaceholder' })} data-testid="leads-search" />
          </Field>
          <Field className={s.filter} label={intl.formatMessage({ id: 'leads.statusFilter' })}>
            <Select value={status} onChange={(_, d) => setStatus(d.value as LeadStatus | '')} data-testid="leads-status-filter">
              <option value="">{intl.formatMessage({ id: 'leads.statusFilter.all' })}</option>
              {LEAD_STATUSES.map((st) => (
                <option key={st} value={st}>
                  {intl.formatMessage({ id: `leads.status.${st}` })}
                </option>
              ))}
            </Select>
          </Field>
          <Field className={s.filter} label={intl.formatMessage({ id: 'leads.sizeFilter' })}>
            <Select value={companySize} onChange={(_, d) => setCompanySize(d.value)} data-testid="leads-size-filter">
              <option value="">{intl.formatMessage({ id: 'leads.sizeFilter.all' })}</option>
              {COMPANY_SIZES.map((z) => (
                <option key={z} value={z}>
                  {intl.formatMessage({ id: `leads.size.${z}` })}
                </option>
              ))}
            </Select>
          </Field>
          <Checkbox checked={mine} onChange={(_, d) => setMine(d.checked === true)} label={intl.formatMessage({ id: 'leads.mine' })} data-testid="leads-mine" />
        </div>
        <div className={s.summary}>
          <span className={s.total} data-testid="leads-total" aria-live="polite">
            {data && <FormattedMessage id="leads.total" values={{ count: data.totalCount }} />}
          </span>
          {loading && <Spinner size="tiny" label={intl.formatMessage({ id: 'common.loading' })} labelPosition="after" />}
        </div>
        {error && <LoadError error={error} />}
        <div className={s.tableWrap}>
          <Table className={s.table} data-testid="leads-table" aria-label={intl.formatMessage({ id: 'leads.title' })}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: '30%' }}>
                  <FormattedMessage id="leads.col.customer" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '16%' }}>
                  <FormattedMessage id="leads.col.country" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '18%' }}>
                  <FormattedMessage id="leads.col.status" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '16%' }}>
                  <FormattedMessage id="leads.col.received" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '20%' }}>
                  <FormattedMessage id="leads.col.team" />
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data?.items.map((lead) => (
                <TableRow key={lead.id} data-testid="leads-row">
                  <TableCell className={s.wrap}>
                    <AppLink to={`/referrals/leads/${encodeURIComponent(lead.id)}`} data-testid="leads-row-link">
                      {lead.customer.company}
                    </AppLink>
                    <span className={s.sub}>
                      <FormattedMessage id="leads.customerLine" values={{ name: lead.customer.name, size: intl.formatMessage({ id: `leads.size.${lead.customer.companySize}` }) }} />
                    </span>
                  </TableCell>
                  <TableCell className={s.wrap}>{countryName(locale, lead.customer.country)}</TableCell>
                  <TableCell>
                    <span className={s.badges}>
                      <LeadStatusBadge status={lead.status} />
                      {lead.fresh && <FreshBadge />}
                    </span>
                  </TableCell>
                  <TableCell>
                    <FormattedDate value={lead.createdAt} dateStyle="medium" />
                  </TableCell>
                  <TableCell className={s.wrap}>
                    {lead.team.length ? lead.team.map((m) => `${m.firstName} ${m.lastName}`).join(', ') : <span className={s.muted}><FormattedMessage id="leads.team.none" /></span>}
                  </TableCell>
                </TableRow>
              ))}
              {data && data.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={5} className={s.empty}>
                    <FormattedMessage id={filtered ? 'leads.emptyFiltered' : 'leads.empty'} />
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </div>
        <ListPager list={list} testIdPrefix="leads" />
      </div>
    </Page>
  );
}

type Action = 'accept' | 'decline' | 'won' | 'lost' | 'team';

/** The actions a status allows (the API's transitions). */
const ACTIONS: Partial<Record<LeadStatus, Action[]>> = { new: ['accept', 'decline'], accepted: ['won', 'lost'] };

function LeadPage() {
  const { id = '' } = useParams();
  const s = useStyles();
  const l = useLayoutStyles();
  const { locale } = useLocale();
  const { can } = usePartnerSession();
  const res = useEtagResource<LeadDetail>(`/v1/referrals/${encodeURIComponent(id)}`, [id]);
  const [action, setAction] = useState<Action | null>(null);
  const [stale, setStale] = useState(false);
  const [done, setDone] = useState<Action | 'note' | null>(null);
  const lead = res.data;

  /** PATCH with If-Match; a 412 (someone else changed it) loads their version and says so. */
  async function change(body: object): Promise<boolean> {
    setDone(null);
    const next = await res.save(body, 'PATCH');
    if (next) {
      setStale(false);
      return true;
    }
    setStale(true);
    res.acceptConflict();
    return false;
  }

  async function addNote(note: string): Promise<boolean> {
    const ok = await change({ note });
    if (ok) setDone('note');
    return ok;
  }

  if (res.loadError) {
    return (
      <Page title={<FormattedMessage id="leads.title" />}>
        <LoadError error={res.loadError} />
        <AppLink to="/referrals/leads">
          <FormattedMessage id="leads.back" />
        </AppLink>
      </Page>
    );
  }
  if (!lead) return <Loading />;

  const canUpdate = can('referrals.update');
  const canManage = can('referrals.manage');
  const actions = canUpdate ? (ACTIONS[lead.status] ?? []) : [];
  const c = lead.customer;
  const hidden = <span className={s.muted}><FormattedMessage id="leads.contactHidden" /></span>;

  return (
    <Page
      title={c.company}
      subtitle={
        <span className={s.badges}>
          <LeadStatusBadge status={lead.status} />
          {lead.fresh && <FreshBadge />}
          <FormattedMessage id="leads.receivedOn" values={{ date: new Date(lead.createdAt) }} />
        </span>
      }
      actions={
        <div className={s.actions}>
          {actions.map((a) => (
            <Button key={a} appearance={a === 'accept' || a === 'won' ? 'primary' : 'secondary'} onClick={() => setAction(a)} data-testid={`lead-action-${a}`}>
              <FormattedMessage id={`leads.action.${a}`} />
            </Button>
          ))}
        </div>
      }
    >
      <AppLink to="/referrals/leads" data-testid="lead-back">
        <FormattedMessage id="leads.back" />
      </AppLink>
      {stale && (
        <MessageBar intent="warning" layout="multiline" data-testid="lead-stale">
          <MessageBarBody>
            <MessageBarTitle>
              <FormattedMessage id="leads.stale.title" />
            </MessageBarTitle>
            <FormattedMessage id="leads.stale.text" />
          </MessageBarBody>
        </MessageBar>
      )}
      {done && (
        <MessageBar intent="success" data-testid="lead-saved">
          <MessageBarBody>
            <FormattedMessage id={`leads.done.${done}`} />
          </MessageBarBody>
        </MessageBar>
      )}
      {lead.status === 'new' && (
        <MessageBar intent="info">
          <MessageBarBody>
            <FormattedMessage id="leads.expiresOn" values={{ date: new Date(lead.expiresAt) }} />
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={s.columns}>
        <section className={l.card} aria-labelledby="lead-customer">
          <h2 id="lead-customer" className={l.sectionTitle}>
            <FormattedMessage id="leads.customer" />
          </h2>
          <Facts
            items={[
              { key: 'name', label: <FormattedMessage id="leads.field.name" />, value: c.name, testId: 'lead-name' },
              { key: 'company', label: <FormattedMessage id="leads.field.company" />, value: c.company },
              { key: 'email', label: <FormattedMessage id="leads.field.email" />, value: c.email ? <Link href={`mailto:${c.email}`}>{c.email}</Link> : hidden, testId: 'lead-email' },
              { key: 'phone', label: <FormattedMessage id="leads.field.phone" />, value: c.phone ? <Link href={`tel:${c.phone}`}>{c.phone}</Link> : hidden, testId: 'lead-phone' },
              { key: 'country', label: <FormattedMessage id="leads.field.country" />, value: countryName(locale, c.country) },
              { key: 'size', label: <FormattedMessage id="leads.field.companySize" />, value: <FormattedMessage id={`leads.size.${c.companySize}`} /> },
              { key: 'need', label: <FormattedMessage id="leads.field.need" />, value: <p className={s.need}>{c.need}</p>, testId: 'lead-need' },
              ...(lead.reason ? [{ key: 'reason', label: <FormattedMessage id="leads.field.reason" />, value: lead.reason, testId: 'lead-reason' }] : []),
              ...(lead.dealValue && lead.currency ? [{ key: 'deal', label: <FormattedMessage id="leads.field.deal" />, value: formatDeal(locale, lead.dealValue, lead.currency), testId: 'lead-deal' }] : []),
            ]}
          />
        </section>
        <div className={s.dialogBody}>
          <section className={l.card} aria-labelledby="lead-team">
            <h2 id="lead-team" className={l.sectionTitle}>
              <FormattedMessage id="leads.team" />
            </h2>
            {lead.team.length ? (
              <ul className={s.team} data-testid="lead-team-list">
                {lead.team.map((m) => (
                  <li key={m.id}>
                    <FormattedMessage id="leads.member" values={{ firstName: m.firstName, lastName: m.lastName }} />
                    <span className={s.sub}>{m.email}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className={s.muted}>
                <FormattedMessage id="leads.team.none" />
              </p>
            )}
            {canManage && canUpdate && (
              <div>
                <Button onClick={() => setAction('team')} data-testid="lead-edit-team">
                  <FormattedMessage id="leads.action.team" />
                </Button>
              </div>
            )}
          </section>
          <NotesCard lead={lead} canAdd={canUpdate} onAdd={addNote} />
        </div>
      </div>
      {action && (
        <ActionDialog
          action={action}
          lead={lead}
          canAssign={canManage}
          onClose={() => setAction(null)}
          onSubmit={async (body) => {
            const ok = await change(body);
            setAction(null);
            if (ok) setDone(action);
            return ok;
          }}
        />
      )}
    </Page>
  );
}

function NotesCard({ lead, canAdd, onAdd }: { lead: LeadDetail; canAdd: boolean; onAdd: (note: string) => Promise<boolean> }) {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const [text, setText] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function add() {
    setBusy(true);
    setError(null);
    try {
      if (await onAdd(text.trim())) setText('');
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className={l.card} aria-labelledby="lead-notes">
      <h2 id="lead-notes" className={l.sectionTitle}>
        <FormattedMessage id="leads.notes" />
      </h2>
      {lead.notes.length ? (
        <ol className={s.notes} data-testid="lead-notes">
          {lead.notes.map((n) => (
            <li key={n.id} className={s.note}>
              <span className={s.noteMeta}>
                <FormattedMessage id="leads.noteBy" values={{ author: n.authorName, date: new Date(n.createdAt) }} />
              </span>
              <p className={s.noteText}>{n.text}</p>
            </li>
          ))}
        </ol>
      ) : (
        <p className={s.muted}>
          <FormattedMessage id="leads.notes.none" />
        </p>
      )}
      {canAdd && (
        <>
          <Field label={intl.formatMessage({ id: 'leads.note.add' })} validationMessage={fieldErrors(error).note}>
            <Textarea value={text} onChange={(_, d) => setText(d.value)} maxLength={2000} resize="vertical" data-testid="lead-note-input" />
          </Field>
          <FormError error={error} shownFields={['note']} />
          <div>
            <Button disabled={busy || !text.trim()} onClick={() => void add()} data-testid="lead-note-add">
              <FormattedMessage id="leads.note.submit" />
            </Button>
          </div>
        </>
      )}
    </section>
  );
}

/** Every currency Intl knows, by name in the UI language. */
function useCurrencies(locale: string) {
  return useMemo(() => {
    const codes = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : ['EUR', 'USD', 'GBP', 'CHF', 'CAD'];
    return codes.map((code) => ({ code, name: currencyName(locale, code) })).sort((a, b) => a.name.localeCompare(b.name, locale));
  }, [locale]);
}

function ActionDialog({
  action,
  lead,
  canAssign,
  onClose,
  onSubmit,
}: {
  action: Action;
  lead: LeadDetail;
  canAssign: boolean;
  onClose: () => void;
  onSubmit: (body: object) => Promise<boolean>;
}) {
  const s = useStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const { me } = usePartnerSession();
  const currencies = useCurrencies(locale);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [dealValue, setDealValue] = useState('');
  const [currency, setCurrency] = useState(me.partner.currency || 'EUR');
  const [team, setTeam] = useState<string[]>(lead.team.map((m) => m.id));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const errs = fieldErrors(error);
  const labels = {
    reason: intl.formatMessage({ id: 'leads.field.reason' }),
    dealValue: intl.formatMessage({ id: 'leads.field.dealValue' }),
    currency: intl.formatMessage({ id: 'leads.field.currency' }),
    note: intl.formatMessage({ id: 'leads.note.optional' }),
    teamUserIds: intl.formatMessage({ id: 'leads.team' }),
  };

  function body(): object {
    const teamChanged = team.slice().sort().join() !== lead.team.map((m) => m.id).sort().join();
    const extra = { ...(note.trim() ? { note: note.trim() } : {}) };
    switch (action) {
      case 'accept':
        return { status: 'accepted', ...(canAssign && teamChanged ? { teamUserIds: team } : {}), ...extra };
      case 'decline':
        return { status: 'declined', reason: reason.trim(), ...extra };
      case 'lost':
        return { status: 'lost', reason: reason.trim(), ...extra };
      case 'won':
        return { status: 'won', dealValue: dealValue.trim().replace(',', '.').replace(/\s/g, ''), currency, ...extra };
      case 'team':
        return { teamUserIds: team };
    }
  }

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(body());
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    } finally {
      setBusy(false);
    }
  }

  const needsReason = action === 'decline' || action === 'lost';
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface style={{ maxWidth: '560px' }} data-testid={`lead-dialog-${action}`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id={`leads.dialog.${action}.title`} />
            </DialogTitle>
            <DialogContent className={s.dialogBody}>
              <p className={s.muted}>
                <FormattedMessage id={`leads.dialog.${action}.text`} values={{ company: lead.customer.company }} />
              </p>
              {needsReason && (
                <Field label={labels.reason} required validationState={errs.reason ? 'error' : 'none'} validationMessage={errs.reason}>
                  <Textarea value={reason} onChange={(_, d) => setReason(d.value)} maxLength={500} resize="vertical" data-testid="lead-reason-input" />
                </Field>
              )}
              {action === 'won' && (
                <div className={s.row}>
                  <Field label={labels.dealValue} required validationState={errs.dealValue ? 'error' : 'none'} validationMessage={errs.dealValue} hint={intl.formatMessage({ id: 'leads.field.dealValue.hint' })}>
                    <Input inputMode="decimal" value={dealValue} onChange={(_, d) => setDealValue(d.value)} data-testid="lead-deal-input" />
                  </Field>
                  <Field label={labels.currency} required validationState={errs.currency ? 'error' : 'none'} validationMessage={errs.currency}>
                    <Select value={currency} onChange={(_, d) => setCurrency(d.value)} data-testid="lead-currency-input">
                      {currencies.map((c) => (
                        <option key={c.code} value={c.code}>
                          {`${c.name} (${c.code})`}
                        </option>
                      ))}
                    </Select>
                  </Field>
                </div>
              )}
              {canAssign && (action === 'accept' || action === 'team') && <TeamPicker value={team} onChange={setTeam} error={errs.teamUserIds} />}
              {action !== 'team' && (
                <Field label={labels.note} validationState={errs.note ? 'error' : 'none'} validationMessage={errs.note}>
                  <Textarea value={note} onChange={(_, d) => setNote(d.value)} maxLength={2000} resize="vertical" data-testid="lead-dialog-note" />
                </Field>
              )}
              <FormError error={error} shownFields={['reason', 'dealValue', 'currency', 'note', 'teamUserIds']} fieldLabels={labels} />
            </DialogContent>
            <DialogActions>
              <Button type="submit" appearance="primary" disabled={busy} data-testid="lead-dialog-submit">
                <FormattedMessage id={`leads.dialog.${action}.submit`} />
              </Button>
              <Button onClick={onClose} disabled={busy}>
                <FormattedMessage id="common.cancel" />
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

/** The team: people who may work on leads (GET /v1/referrals/members), searched by name or email. */
function TeamPicker({ value, onChange, error }: { value: string[]; onChange: (ids: string[]) => void; error?: string | undefined }) {
  const s = useStyles();
  const intl = useIntl();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim());
  const [people, setPeople] = useState<TeamMember[] | null>(null);
  const [known, setKnown] = useState<Record<string, TeamMember>>({});
  const [loadError, setLoadError] = useState<ApiError | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    api<{ items: TeamMember[] }>(`/v1/referrals/members${q ? `?q=${encodeURIComponent(q)}` : ''}`, { signal: ctl.signal }).then(
      (r) => {
        setPeople(r.items);
        setKnown((k) => ({ ...k, ...Object.fromEntries(r.items.map((m) => [m.id, m])) }));
      },
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
      },
    );
    return () => ctl.abort();
  }, [q]);

  const toggle = (id: string, on: boolean) => onChange(on ? [...value, id] : value.filter((x) => x !== id));
  // Chosen people stay listed while a search hides them.
  const shown = [...value.filter((id) => known[id] && !people?.some((p) => p.id === id)).map((id) => known[id]!), ...(people ?? [])];
  return (
    // A group of checkboxes: a fieldset and its legend (a Field would give every checkbox the same id).
    <fieldset className={s.fieldset} aria-describedby={error ? 'lead-team-error' : undefined}>
      <legend className={s.legend}>
        <FormattedMessage id="leads.team" />
      </legend>
      <div className={s.dialogBody}>
        <Input type="search" value={text} onChange={(_, d) => setText(d.value)} placeholder={intl.formatMessage({ id: 'leads.team.search' })} aria-label={intl.formatMessage({ id: 'leads.team.search' })} data-testid="lead-team-search" />
        {loadError && <LoadError error={loadError} />}
        {!people && !loadError && <Spinner size="tiny" />}
        <div className={s.picker} data-testid="lead-team-picker">
          {shown.map((m) => (
            <Checkbox
              key={m.id}
              checked={value.includes(m.id)}
              onChange={(_, d) => toggle(m.id, d.checked === true)}
              label={intl.formatMessage({ id: 'leads.memberWithEmail' }, { firstName: m.firstName, lastName: m.lastName, email: m.email })}
              data-testid="lead-team-option"
            />
          ))}
          {people && shown.length === 0 && (
            <span className={s.muted}>
              <FormattedMessage id="leads.team.noMatch" />
            </span>
          )}
        </div>
        {error && (
          <span id="lead-team-error" className={s.error}>
            {error}
          </span>
        )}
      </div>
    </fieldset>
  );
}

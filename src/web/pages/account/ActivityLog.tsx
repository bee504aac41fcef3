import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
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
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client';
import type { AuditCollection, AuditRecord, UserCollection } from '../../api/types';
import { FormError, LoadError } from '../../components/FormError';
import { Page, useLayoutStyles } from '../../components/layout';
import { ListPager } from '../../components/ListPager';
import { useKeysetList } from '../../components/useKeysetList';
import { usePartnerSession } from '../../session/PartnerSession';

const PAGE_SIZE = 50;
const EXPORT_PAGE_SIZE = 500;
const EXPORT_CAP = 5000;

const AUDIT_ACTIONS = [
  'partner.enrolled',
  'user.created',
  'user.updated',
  'user.roles_changed',
  'user.deactivated',
  'user.reactivated',
  'user.deleted',
  'user.email_verified',
  'user.password_changed',
  'user.password_reset_by_admin',
  'user.locked_out',
  'session.sign_in',
  'session.sign_out',
] as const;

/** Actions with a translated label: the filter's, and a few more the server records. */
const LABELLED: readonly string[] = [
  ...AUDIT_ACTIONS,
  'partner.demo_seeded',
  'partner.security_settings_changed',
  'user.password_reset_requested',
  'user.password_reset_completed',
  'role.created',
  'role.updated',
  'role.deleted',
  'session.ended',
  'session.ended_others',
  'app.created',
  'app.updated',
  'app.roles_changed',
  'app.disabled',
  'app.enabled',
  'app.deleted',
  'app.secret_added',
  'app.secret_revoked',
  'app.token_issued',
];

const TARGET_TYPES: readonly string[] = ['user', 'partner', 'role', 'session', 'app'];

const useStyles = makeStyles({
  target: { display: 'flex', flexDirection: 'column', gap: '2px' },
  targetType: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  changeTable: { width: '100%' },
  toolbar: { display: 'flex', alignItems: 'flex-end', gap: '16px', flexWrap: 'wrap' },
  date: { minWidth: '160px' },
  filter: { minWidth: '240px' },
  summary: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px', minHeight: '32px' },
  total: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '960px' },
  wrap: { overflowWrap: 'anywhere', paddingBlock: '8px' },
  nowrap: { whiteSpace: 'nowrap', paddingBlock: '8px' },
  muted: { color: tokens.colorNeutralForeground3, fontStyle: 'italic' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
  empty: { textAlign: 'center', color: tokens.colorNeutralForeground3, paddingBlock: '24px' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '16px', rowGap: '8px', margin: 0 },
  dt: { color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightSemibold },
  dd: { margin: 0, overflowWrap: 'anywhere' },
  changes: { display: 'flex', flexDirection: 'column', gap: '8px', marginTop: '16px' },
  changesTitle: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
});

/** yyyy-mm-dd of a local date. */
function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Start (00:00:00.000) or end (23:59:59.999) of a local yyyy-mm-dd, as ISO; undefined if invalid. */
function dayBound(day: string, end: boolean): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const d = end ? new Date(+m[1]!, +m[2]! - 1, +m[3]!, 23, 59, 59, 999) : new Date(+m[1]!, +m[2]! - 1, +m[3]!, 0, 0, 0, 0);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

interface Filters {
  from: string;
  to: string;
  userId: string;
  action: string;
}

function query(f: Filters, size: number): string {
  const q = new URLSearchParams({ size: String(size) });
  const start = dayBound(f.from, false);
  const end = dayBound(f.to, true);
  if (start) q.set('startDate', start);
  if (end) q.set('endDate', end);
  if (f.userId) q.set('userId', f.userId);
  if (f.action) q.set('action', f.action);
  return `/v1/auditrecords?${q.toString()}`;
}

/** A CSV field: quoted when needed, double quotes doubled. */
function csvField(v: string): string {
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function toCsv(records: AuditRecord[]): string {
  const head = ['at', 'actorEmail', 'action', 'targetType', 'targetId', 'outcome', 'ip', 'requestId', 'changes'];
  const rows = records.map((r) =>
    [r.at, r.actor.email ?? '', r.action, r.target.type ?? '', r.target.id ?? '', r.outcome, r.ip ?? '', r.requestId ?? '', r.changes ? JSON.stringify(r.changes) : ''].map(csvField).join(','),
  );
  return [head.join(','), ...rows].join('\r\n') + '\r\n';
}

/** A JSON value as text (strings as they are, the rest as JSON). */
function valueText(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function ActionLabel({ action }: { action: string }) {
  return LABELLED.includes(action) ? <FormattedMessage id={`audit.action.${action}`} /> : <>{action}</>;
}

function Actor({ record }: { record: AuditRecord }) {
  const s = useStyles();
  if (record.actor.email) return <>{record.actor.email}</>;
  if (record.actor.type === 'system') return <span className={s.muted}><FormattedMessage id="audit.actor.system" /></span>;
  if (record.actor.type === 'app' && record.actor.id)
    return (
      <span className={s.target}>
        <span className={s.muted}>
          <FormattedMessage id="audit.actor.app" />
        </span>
        <span className={s.mono}>{record.actor.id}</span>
      </span>
    );
  if (record.actor.type === 'anonymous' || !record.actor.id) return <span className={s.muted}><FormattedMessage id="audit.actor.anonymous" /></span>;
  return <span className={s.mono}>{record.actor.id}</span>;
}

type UserNames = Map<string, string>;

function Target({ record, names }: { record: AuditRecord; names: UserNames }) {
  const s = useStyles();
  const intl = useIntl();
  const { type, id } = record.target;
  if (!type && !id) return <FormattedMessage id="audit.none" />;
  const typeLabel = type && TARGET_TYPES.includes(type) ? intl.formatMessage({ id: `audit.targetType.${type}` }) : (type ?? '');
  const name = type === 'user' && id ? names.get(id) : undefined;
  return (
    <span className={s.target}>
      <span className={s.targetType}>{typeLabel}</span>
      {name ? <span title={id ?? undefined}>{name}</span> : <span className={s.mono}>{id}</span>}
    </span>
  );
}

function When({ at }: { at: string }) {
  const intl = useIntl();
  return <>{intl.formatDate(at, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' })}</>;
}

function Outcome({ outcome }: { outcome: string }) {
  return (
    <Badge appearance="tint" shape="rounded" color={outcome === 'failure' ? 'danger' : 'success'} data-testid="audit-outcome">
      {outcome === 'failure' || outcome === 'success' ? <FormattedMessage id={`audit.outcome.${outcome}`} /> : outcome}
    </Badge>
  );
}

function Details({ record, names }: { record: AuditRecord; names: UserNames }) {
  const s = useStyles();
  const intl = useIntl();
  const changes = Object.entries(record.changes ?? {});
  return (
    <Dialog>
      <DialogTrigger disableButtonEnhancement>
        <Button size="small" appearance="subtle" data-testid="audit-details" aria-label={intl.formatMessage({ id: 'audit.detailsFor' }, { action: LABELLED.includes(record.action) ? intl.formatMessage({ id: `audit.action.${record.action}` }) : record.action })}>
          <FormattedMessage id="audit.details" />
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>
            <ActionLabel action={record.action} />
          </DialogTitle>
          <DialogContent data-testid="audit-details-dialog">
            <dl className={s.facts}>
              <dt className={s.dt}>
                <FormattedMessage id="audit.col.at" />
              </dt>
              <dd className={s.dd}>
                <When at={record.at} />
              </dd>
              <dt className={s.dt}>
                <FormattedMessage id="audit.col.user" />
              </dt>
              <dd className={s.dd}>
                <Actor record={record} />
              </dd>
              <dt className={s.dt}>
                <FormattedMessage id="audit.col.target" />
              </dt>
              <dd className={s.dd}>
                <Target record={record} names={names} />
              </dd>
              <dt className={s.dt}>
                <FormattedMessage id="audit.col.outcome" />
              </dt>
              <dd className={s.dd}>
                <Outcome outcome={record.outcome} />
              </dd>
              <dt className={s.dt}>
                <FormattedMessage id="audit.ip" />
              </dt>
              <dd className={s.dd}>
                <span className={s.mono}>{record.ip || <FormattedMessage id="audit.none" />}</span>
              </dd>
              <dt className={s.dt}>
                <FormattedMessage id="audit.userAgent" />
              </dt>
              <dd className={s.dd}>
                <span className={s.mono}>{record.userAgent || <FormattedMessage id="audit.none" />}</span>
              </dd>
              <dt className={s.dt}>
                <FormattedMessage id="audit.requestId" />
              </dt>
              <dd className={s.dd}>
                <span className={s.mono}>{record.requestId || <FormattedMessage id="audit.none" />}</span>
              </dd>
            </dl>
            <div className={s.changes}>
              <h3 className={s.changesTitle}>
                <FormattedMessage id="audit.changes" />
              </h3>
              {changes.length === 0 ? (
                <span className={s.muted}>
                  <FormattedMessage id="audit.noChanges" />
                </span>
              ) : (
                <Table size="small" className={s.changeTable} data-testid="audit-changes">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>
                        <FormattedMessage id="audit.change.field" />
                      </TableHeaderCell>
                      <TableHeaderCell>
                        <FormattedMessage id="audit.change.before" />
                      </TableHeaderCell>
                      <TableHeaderCell>
                        <FormattedMessage id="audit.change.after" />
                      </TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {changes.map(([field, c]) => (
                      <TableRow key={field} data-testid="audit-change">
                        <TableCell className={s.wrap}>{field}</TableCell>
                        <TableCell className={s.wrap}>
                          <span className={s.mono}>{'before' in c ? valueText(c.before) : <FormattedMessage id="audit.none" />}</span>
                        </TableCell>
                        <TableCell className={s.wrap}>
                          <span className={s.mono}>{'after' in c ? valueText(c.after) : <FormattedMessage id="audit.none" />}</span>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </div>
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="primary">
                <FormattedMessage id="common.close" />
              </Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** Users for the filter (only with users.read). */
function useUsers(enabled: boolean) {
  const [users, setUsers] = useState<UserCollection['items'] | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const ctl = new AbortController();
    api<UserCollection>('/v1/users?size=500&sort=name', { signal: ctl.signal }).then(
      (d) => setUsers(d.items),
      () => undefined,
    );
    return () => ctl.abort();
  }, [enabled]);
  return users;
}

/** Account settings → Activity log: the audit records of the company, filterable and exportable. */
export default function ActivityLogPage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { can } = usePartnerSession();
  const canUsers = can('users.read');
  const users = useUsers(canUsers);
  const names: UserNames = useMemo(
    () => new Map((users ?? []).map((u) => [u.id, intl.formatMessage({ id: 'user.fullName' }, { firstName: u.firstName, lastName: u.lastName })])),
    [users, intl],
  );
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 30 * 24 * 3600 * 1000)));
  const [to, setTo] = useState(() => isoDay(new Date()));
  const [userId, setUserId] = useState('');
  const [action, setAction] = useState('');
  const filters: Filters = { from, to, userId, action };
  const list = useKeysetList<AuditCollection>(query(filters, PAGE_SIZE));
  const { data, loading, error } = list;
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  const [truncated, setTruncated] = useState(false);

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    setTruncated(false);
    try {
      const all: AuditRecord[] = [];
      let uri: string | undefined = query(filters, EXPORT_PAGE_SIZE);
      while (uri && all.length < EXPORT_CAP) {
        const pageData: AuditCollection = await api<AuditCollection>(uri);
        all.push(...pageData.items);
        uri = pageData.links.next?.uri;
      }
      if (all.length > EXPORT_CAP || uri) setTruncated(true);
      const blob = new Blob(['\uFEFF', toCsv(all.slice(0, EXPORT_CAP))], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `activity-log-${isoDay(new Date())}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setExportError(e);
    } finally {
      setExporting(false);
    }
  }

  return (
    <Page
      wide
      title={<FormattedMessage id="account.activity" />}
      subtitle={<FormattedMessage id="account.activity.text" />}
      actions={
        <Button onClick={() => void exportCsv()} disabled={exporting || !!error} data-testid="audit-export">
          <FormattedMessage id={exporting ? 'audit.exporting' : 'audit.export'} />
        </Button>
      }
    >
      <FormError error={exportError} />
      {truncated && (
        <MessageBar intent="warning" data-testid="audit-export-truncated">
          <MessageBarBody>
            <FormattedMessage id="audit.exportTruncated" values={{ count: EXPORT_CAP }} />
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={l.card}>
        <div className={s.toolbar}>
          <Field className={s.date} label={intl.formatMessage({ id: 'audit.from' })}>
            <Input type="date" value={from} max={to || undefined} onChange={(_, d) => setFrom(d.value)} data-testid="audit-from" />
          </Field>
          <Field className={s.date} label={intl.formatMessage({ id: 'audit.to' })}>
            <Input type="date" value={to} min={from || undefined} onChange={(_, d) => setTo(d.value)} data-testid="audit-to" />
          </Field>
          {canUsers && (
            <Field className={s.filter} label={intl.formatMessage({ id: 'audit.user' })}>
              <Select value={userId} onChange={(_, d) => setUserId(d.value)} data-testid="audit-user">
                <option value="">{intl.formatMessage({ id: 'audit.user.all' })}</option>
                {(users ?? []).map((u) => (
                  <option key={u.id} value={u.id}>
                    {intl.formatMessage({ id: 'audit.userOption' }, { firstName: u.firstName, lastName: u.lastName, email: u.email })}
                  </option>
                ))}
              </Select>
            </Field>
          )}
          <Field className={s.filter} label={intl.formatMessage({ id: 'audit.action' })}>
            <Select value={action} onChange={(_, d) => setAction(d.value)} data-testid="audit-action">
              <option value="">{intl.formatMessage({ id: 'audit.action.all' })}</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {intl.formatMessage({ id: `audit.action.${a}` })}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <div className={s.summary}>
          <span className={s.total} data-testid="audit-total" aria-live="polite">
            {data && !error && <FormattedMessage id="audit.total" values={{ count: data.totalCount }} />}
          </span>
          {loading && <Spinner size="tiny" label={intl.formatMessage({ id: 'common.loading' })} labelPosition="after" />}
        </div>
        {error &&
          (error.status === 400 ? (
            <MessageBar intent="error" layout="multiline" data-testid="audit-error">
              <MessageBarBody>{error.message || <FormattedMessage id="error.network" />}</MessageBarBody>
            </MessageBar>
          ) : (
            <LoadError error={error} />
          ))}
        <div className={s.tableWrap}>
          <Table className={s.table} data-testid="audit-table" aria-label={intl.formatMessage({ id: 'account.activity' })}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: '17%' }}>
                  <FormattedMessage id="audit.col.at" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '21%' }}>
                  <FormattedMessage id="audit.col.user" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '20%' }}>
                  <FormattedMessage id="audit.col.action" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '22%' }}>
                  <FormattedMessage id="audit.col.target" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '10%' }}>
                  <FormattedMessage id="audit.col.outcome" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '10%' }}>
                  <FormattedMessage id="audit.col.details" />
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {!error &&
                data?.items.map((r) => (
                  <TableRow key={r.id} data-testid="audit-row">
                    <TableCell className={s.nowrap}>
                      <When at={r.at} />
                    </TableCell>
                    <TableCell className={s.wrap}>
                      <Actor record={r} />
                    </TableCell>
                    <TableCell className={s.wrap}>
                      <ActionLabel action={r.action} />
                    </TableCell>
                    <TableCell className={s.wrap}>
                      <Target record={r} names={names} />
                    </TableCell>
                    <TableCell>
                      <Outcome outcome={r.outcome} />
                    </TableCell>
                    <TableCell>
                      <Details record={r} names={names} />
                    </TableCell>
                  </TableRow>
                ))}
              {!error && data && data.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={6} className={s.empty}>
                    <FormattedMessage id="audit.empty" />
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </div>
        <ListPager list={list} testIdPrefix="audit" />
      </div>
    </Page>
  );
}

import {
  Badge,
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Radio,
  RadioGroup,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { FormattedDate, FormattedMessage, FormattedNumber, useIntl } from 'react-intl';
import { api, ApiError, NETWORK_ERROR, type ErrorDetail } from '../api/client';
import { FormError, LoadError } from '../components/FormError';
import { Page, useLayoutStyles } from '../components/layout';
import { countryName } from '../components/regions';
import { CountrySelect } from '../pages/account/legal/fields';

type Kind = 'pricelist' | 'offers';
type Status = 'importing' | 'ready' | 'failed';

interface Progress {
  id: string;
  status: Status;
  phase: 'uploading' | 'reading' | 'applying' | 'done';
  bytesRead: number | null;
  totalBytes: number | null;
  rowsRead: number;
  errors: number;
  counts: Record<string, number>;
  report: { code: string; message: string; total: number; details: ErrorDetail[] } | null;
}

interface Version {
  id: string;
  market: string;
  month: string;
  status: Status;
  fileName: string | null;
  rows: number;
  deleted: number;
  counts: Record<string, number>;
  errorCount: number;
  importedBy: { id: string; name: string } | null;
  startedAt: string;
  completedAt: string | null;
}

interface OfferImport {
  id: string;
  status: Status;
  fileName: string | null;
  rows: number;
  counts: Record<string, number>;
  errorCount: number;
  importedBy: { id: string; name: string } | null;
  startedAt: string;
}

const FLAGS = ['ADD', 'CHG', 'DEL', 'UNC'] as const;
const STATUS_COLOR: Record<Status, 'informative' | 'success' | 'danger'> = { importing: 'informative', ready: 'success', failed: 'danger' };

const useStyles = makeStyles({
  form: { display: 'grid', gap: '16px', maxWidth: '640px' },
  row: { display: 'flex', gap: '16px', flexWrap: 'wrap', alignItems: 'flex-end' },
  grow: { flexGrow: 1, minWidth: '200px' },
  file: { display: 'flex', gap: '12px', alignItems: 'center', flexWrap: 'wrap' },
  fileName: { color: tokens.colorNeutralForeground2, wordBreak: 'break-all' },
  hidden: { display: 'none' },
  progress: { display: 'grid', gap: '6px', maxWidth: '640px' },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '720px' },
  num: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  section: { marginTop: '32px', display: 'grid', gap: '12px' },
  muted: { color: tokens.colorNeutralForeground3 },
  lineCol: { width: '88px' },
  columnCol: { width: '240px' },
});

function monthOptions(now = new Date()): string[] {
  const out: string[] = [];
  for (let d = 1; d >= -12; d--) {
    const m = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + d, 1));
    out.push(m.toISOString().slice(0, 7));
  }
  return out;
}

/** The operator's CSRF token (GET /v1/operator/me returns it): the upload goes through XMLHttpRequest, for its progress events. */
async function operatorCsrf(): Promise<string> {
  return (await api<{ csrfToken: string }>('/v1/operator/me')).csrfToken;
}

/** POST a file with upload progress (fetch has none); resolves with the JSON answer or rejects with an ApiError. */
function uploadFile(url: string, file: File, locale: string, csrf: string, onProgress: (sent: number, total: number) => void): Promise<{ id: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', locale);
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    // The server detects gzip and zip by their bytes; the type only routes the body to the streaming parser.
    xhr.setRequestHeader('Content-Type', file.type === 'text/csv' ? 'text/csv' : 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, NETWORK_ERROR, ''));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as { id: string });
      const e = body as { code?: string; message?: string; details?: ErrorDetail[] } | null;
      reject(new ApiError(xhr.status, e?.code ?? NETWORK_ERROR, e?.message ?? '', e?.details ?? []));
    };
    xhr.send(file);
  });
}

/** 1.2 MB, 340 kB: in the UI language's number format. */
function fileSize(intl: ReturnType<typeof useIntl>, bytes: number): string {
  return bytes >= 1e6
    ? intl.formatNumber(bytes / 1e6, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 })
    : intl.formatNumber(Math.max(1, Math.round(bytes / 1e3)), { style: 'unit', unit: 'kilobyte' });
}

function StatusPill({ status }: { status: Status }) {
  return (
    <Badge appearance="tint" shape="rounded" color={STATUS_COLOR[status]} data-testid={`import-status-${status}`}>
      <FormattedMessage id={`operator.catalog.status.${status}`} />
    </Badge>
  );
}

function Report({ report }: { report: NonNullable<Progress['report']> }) {
  const s = useStyles();
  return (
    <div className={s.section} data-testid="import-report">
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>
            <FormattedMessage id="operator.catalog.refused" />
          </MessageBarTitle>
          {report.message}
        </MessageBarBody>
      </MessageBar>
      {report.details.length > 0 && (
        <div className={s.tableWrap}>
          <Table size="small" className={s.table} aria-label={report.message}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={s.lineCol}>
                  <FormattedMessage id="operator.catalog.report.line" />
                </TableHeaderCell>
                <TableHeaderCell className={s.columnCol}>
                  <FormattedMessage id="operator.catalog.report.column" />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="operator.catalog.report.reason" />
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {report.details.map((d, i) => (
                <TableRow key={i}>
                  <TableCell>{d.line ?? '—'}</TableCell>
                  <TableCell>
                    <code>{d.field ?? '—'}</code>
                  </TableCell>
                  <TableCell>{d.message}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {report.total > report.details.length && (
        <Text className={s.muted}>
          <FormattedMessage id="operator.catalog.report.more" values={{ shown: report.details.length, total: report.total }} />
        </Text>
      )}
    </div>
  );
}

export default function CatalogImports() {
  const intl = useIntl();
  const s = useStyles();
  const l = useLayoutStyles();
  const months = monthOptions();
  const [kind, setKind] = useState<Kind>('pricelist');
  const [market, setMarket] = useState('FR');
  const [month, setMonth] = useState(months[1]!);
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState<{ sent: number; total: number } | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [offerImports, setOfferImports] = useState<OfferImport[] | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const polling = useRef<number | null>(null);

  const loadHistory = useCallback(async () => {
    try {
      if (kind === 'pricelist') setVersions((await api<{ items: Version[] }>(`/v1/operator/pricelists/versions?market=${market}&size=50`)).items);
      else setOfferImports((await api<{ items: OfferImport[] }>('/v1/operator/offers/imports?size=20')).items);
      setLoadError(null);
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
    }
  }, [kind, market]);

  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);
  useEffect(() => () => (polling.current ? window.clearTimeout(polling.current) : undefined), []);

  const poll = (id: string, k: Kind) => {
    const base = k === 'pricelist' ? '/v1/operator/pricelists/imports' : '/v1/operator/offers/imports';
    const tick = async () => {
      try {
        const p = await api<Progress>(`${base}/${id}`);
        setProgress(p);
        if (p.status === 'importing') polling.current = window.setTimeout(() => void tick(), 500);
        else {
          setBusy(false);
          void loadHistory();
        }
      } catch (e) {
        setBusy(false);
        if (e instanceof ApiError) setError(e);
      }
    };
    void tick();
  };

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setProgress(null);
    setUploaded({ sent: 0, total: file.size });
    const name = encodeURIComponent(file.name.slice(0, 200));
    const url = kind === 'pricelist' ? `/v1/operator/pricelists/imports?market=${market}&month=${month}&fileName=${name}` : `/v1/operator/offers/imports?fileName=${name}`;
    try {
      const csrf = await operatorCsrf();
      const r = await uploadFile(url, file, intl.locale, csrf, (sent, total) => setUploaded({ sent, total }));
      poll(r.id, kind);
    } catch (e) {
      setBusy(false);
      setUploaded(null);
      if (e instanceof ApiError) setError(e);
    }
  };

  const processing = progress && progress.totalBytes ? Math.min(1, (progress.bytesRead ?? 0) / progress.totalBytes) : undefined;
  const fieldLabels = { month: intl.formatMessage({ id: 'operator.catalog.month' }), market: intl.formatMessage({ id: 'operator.catalog.market' }) };

  return (
    <Page title={<FormattedMessage id="operator.catalog.title" />} subtitle={<FormattedMessage id="operator.catalog.lead" />} wide>
      <div className={s.form}>
        <Field label={<FormattedMessage id="operator.catalog.kind" />}>
          <RadioGroup layout="horizontal" value={kind} onChange={(_, d) => setKind(d.value as Kind)} data-testid="import-kind">
            <Radio value="pricelist" label={intl.formatMessage({ id: 'operator.catalog.kind.pricelist' })} />
            <Radio value="offers" label={intl.formatMessage({ id: 'operator.catalog.kind.offers' })} />
          </RadioGroup>
        </Field>
        {kind === 'pricelist' && (
          <div className={s.row}>
            <div className={s.grow}>
              <CountrySelect label={<FormattedMessage id="operator.catalog.market" />} value={market} onChange={setMarket} field="market" error={error} />
            </div>
            <Field label={<FormattedMessage id="operator.catalog.month" />} className={s.grow}>
              <Select value={month} onChange={(_, d) => setMonth(d.value)} data-testid="field-month">
                {months.map((m, i) => (
                  <option key={m} value={m}>
                    {intl.formatMessage(
                      { id: i === 0 ? 'operator.catalog.monthOption.preview' : i === 1 ? 'operator.catalog.monthOption.current' : 'operator.catalog.monthOption.past' },
                      { month: intl.formatDate(new Date(`${m}-01T00:00:00Z`), { year: 'numeric', month: 'long', timeZone: 'UTC' }) },
                    )}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        )}
        <Field label={<FormattedMessage id="operator.catalog.file" />} hint={<FormattedMessage id="operator.catalog.fileHint" />}>
          <div className={s.file}>
            <input
              ref={input}
              type="file"
              className={s.hidden}
              accept=".csv,.gz,.zip,text/csv,application/gzip,application/zip"
              data-testid="import-file"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setError(null);
                setProgress(null);
                setUploaded(null);
              }}
            />
            <Button onClick={() => input.current?.click()} disabled={busy}>
              <FormattedMessage id="operator.catalog.chooseFile" />
            </Button>
            <Text className={s.fileName}>{file ? `${file.name} (${fileSize(intl, file.size)})` : <FormattedMessage id="operator.catalog.noFile" />}</Text>
          </div>
        </Field>
        <div>
          <Button appearance="primary" disabled={!file || busy} onClick={() => void submit()} data-testid="import-submit">
            <FormattedMessage id="operator.catalog.upload" />
          </Button>
        </div>
        <FormError error={error} fieldLabels={fieldLabels} summary />
        {uploaded && (
          <div className={s.progress} data-testid="import-progress">
            <Field label={<FormattedMessage id="operator.catalog.uploading" />} validationState="none">
              <ProgressBar value={uploaded.total ? uploaded.sent / uploaded.total : undefined} />
            </Field>
            {progress && (
              <Field
                label={<FormattedMessage id={progress.phase === 'applying' ? 'operator.catalog.applying' : 'operator.catalog.processing'} values={{ rows: intl.formatNumber(progress.rowsRead) }} />}
                validationState="none"
              >
                <ProgressBar value={progress.status === 'importing' ? processing : 1} color={progress.status === 'failed' ? 'error' : progress.status === 'ready' ? 'success' : 'brand'} />
              </Field>
            )}
          </div>
        )}
        {progress?.status === 'ready' && (
          <MessageBar intent="success" data-testid="import-done">
            <MessageBarBody>
              <MessageBarTitle>
                <FormattedMessage id="operator.catalog.done" />
              </MessageBarTitle>
              {kind === 'pricelist' ? (
                <FormattedMessage id="operator.catalog.doneCounts" values={{ rows: intl.formatNumber(progress.rowsRead), add: progress.counts.ADD ?? 0, chg: progress.counts.CHG ?? 0, del: progress.counts.DEL ?? 0, unc: progress.counts.UNC ?? 0 }} />
              ) : (
                <FormattedMessage id="operator.catalog.doneOffers" values={{ rows: intl.formatNumber(progress.rowsRead), added: progress.counts.added ?? 0, updated: progress.counts.updated ?? 0, endOfSale: progress.counts.endOfSale ?? 0 }} />
              )}
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
      {progress?.status === 'failed' && progress.report && <Report report={progress.report} />}

      <section className={s.section} aria-labelledby="import-history">
        <h2 id="import-history" className={l.sectionTitle}>
          {kind === 'pricelist' ? <FormattedMessage id="operator.catalog.history" values={{ market: countryName(intl.locale, market) }} /> : <FormattedMessage id="operator.catalog.historyOffers" />}
        </h2>
        {loadError && <LoadError error={loadError} />}
        {kind === 'pricelist' && versions && (versions.length === 0 ? <Text className={s.muted}><FormattedMessage id="operator.catalog.noVersions" /></Text> : <VersionsTable versions={versions} />)}
        {kind === 'offers' && offerImports && (offerImports.length === 0 ? <Text className={s.muted}><FormattedMessage id="operator.catalog.noVersions" /></Text> : <OfferImportsTable items={offerImports} />)}
      </section>
    </Page>
  );
}

function When({ iso }: { iso: string }) {
  return <FormattedDate value={iso} dateStyle="medium" timeStyle="short" />;
}

/** The header both histories share: a first column, status, rows, the kind's own columns, who and when. */
function HistoryHeader({ first, children }: { first: ReactNode; children: ReactNode }) {
  const s = useStyles();
  return (
    <TableHeader>
      <TableRow>
        <TableHeaderCell>{first}</TableHeaderCell>
        <TableHeaderCell>
          <FormattedMessage id="operator.catalog.status" />
        </TableHeaderCell>
        <TableHeaderCell className={s.num}>
          <FormattedMessage id="operator.catalog.rows" />
        </TableHeaderCell>
        {children}
        <TableHeaderCell>
          <FormattedMessage id="operator.catalog.by" />
        </TableHeaderCell>
        <TableHeaderCell>
          <FormattedMessage id="operator.catalog.when" />
        </TableHeaderCell>
      </TableRow>
    </TableHeader>
  );
}

/** The last two cells of both histories: who imported (or the command line) and when. */
function ByAndWhenCells({ importedBy, at }: { importedBy: { name: string } | null; at: string }) {
  return (
    <>
      <TableCell>{importedBy ? importedBy.name : <FormattedMessage id="operator.catalog.byCli" />}</TableCell>
      <TableCell>
        <When iso={at} />
      </TableCell>
    </>
  );
}

function VersionsTable({ versions }: { versions: Version[] }) {
  const s = useStyles();
  const intl = useIntl();
  return (
    <div className={s.tableWrap}>
      <Table size="small" className={s.table} data-testid="versions-table" aria-label={intl.formatMessage({ id: 'operator.catalog.historyLabel' })}>
        <HistoryHeader first={<FormattedMessage id="operator.catalog.month" />}>
          {FLAGS.map((f) => (
            <TableHeaderCell key={f} className={s.num}>
              <FormattedMessage id={`operator.catalog.flag.${f}`} />
            </TableHeaderCell>
          ))}
        </HistoryHeader>
        <TableBody>
          {versions.map((v) => (
            <TableRow key={v.id}>
              <TableCell>{intl.formatDate(new Date(`${v.month}-01T00:00:00Z`), { year: 'numeric', month: 'long', timeZone: 'UTC' })}</TableCell>
              <TableCell>
                <StatusPill status={v.status} />
                {v.status === 'failed' && v.errorCount > 0 && (
                  <Text className={s.muted}>
                    {' '}
                    <FormattedMessage id="operator.catalog.problems" values={{ n: v.errorCount }} />
                  </Text>
                )}
              </TableCell>
              <TableCell className={s.num}>
                <FormattedNumber value={v.rows} />
              </TableCell>
              {FLAGS.map((f) => (
                <TableCell key={f} className={s.num}>
                  {v.status === 'ready' ? <FormattedNumber value={v.counts[f] ?? 0} /> : '—'}
                </TableCell>
              ))}
              <ByAndWhenCells importedBy={v.importedBy} at={v.completedAt ?? v.startedAt} />
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function OfferImportsTable({ items }: { items: OfferImport[] }) {
  const s = useStyles();
  const intl = useIntl();
  return (
    <div className={s.tableWrap}>
      <Table size="small" className={s.table} data-testid="offer-imports-table" aria-label={intl.formatMessage({ id: 'operator.catalog.historyOffers' })}>
        <HistoryHeader first={<FormattedMessage id="operator.catalog.file" />}>
          <TableHeaderCell>
            <FormattedMessage id="operator.catalog.changes" />
          </TableHeaderCell>
        </HistoryHeader>
        <TableBody>
          {items.map((v) => (
            <TableRow key={v.id}>
              <TableCell>{v.fileName ?? '—'}</TableCell>
              <TableCell>
                <StatusPill status={v.status} />
              </TableCell>
              <TableCell className={s.num}>
                <FormattedNumber value={v.rows} />
              </TableCell>
              <TableCell>
                {v.status === 'ready' ? (
                  <FormattedMessage id="operator.catalog.offerCounts" values={{ added: v.counts.added ?? 0, updated: v.counts.updated ?? 0, endOfSale: v.counts.endOfSale ?? 0 }} />
                ) : v.errorCount > 0 ? (
                  <FormattedMessage id="operator.catalog.problems" values={{ n: v.errorCount }} />
                ) : (
                  '—'
                )}
              </TableCell>
              <ByAndWhenCells importedBy={v.importedBy} at={v.startedAt} />
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

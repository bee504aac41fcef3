import {
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
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Select,
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
import countryToCurrency from 'country-to-currency';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../../api/client';
import { fieldErrors, FormError, LoadError } from '../../../components/FormError';
import { Loading, Page, useLayoutStyles } from '../../../components/layout';
import { countryName } from '../../../components/regions';
import { useEtagResource } from '../../../components/useEtagResource';
import { usePartnerSession } from '../../../session/PartnerSession';
import { PayoutStatusBadge } from './PayoutStatusBadge';

const COUNTRY_CODES = Object.keys(countryToCurrency as Record<string, string>);
/** SEPA scheme countries (as the server's ibantools list): IBAN + BIC. GB also takes its domestic sort code. */
const SEPA = new Set('AD AT BE BG CH CY CZ DE DK EE ES FI FR GB GI GR HR HU IE IS IT LI LT LU LV MC MT NL NO PL PT RO SE SI SK SM VA'.split(' '));

export interface BankProfile {
  id: string;
  name: string;
  bankCountry: string;
  paymentMethod: 'sepa' | 'wire';
  accountHolderName: string;
  bankName: string | null;
  account: string;
  bic: string | null;
  status: 'pending_validation' | 'approved' | 'action_required';
  reason: string | null;
  version: number;
  submittedAt: string;
}
interface TaxProfile {
  id: string;
  country: string;
  taxRegistrationNumber: string | null;
  taxExempt: boolean;
  version: number;
}
interface TaxExemption {
  id: string;
  country: string;
  certificateNumber: string;
  comment: string;
  status: 'submitted' | 'approved' | 'rejected';
  reason: string | null;
  submittedAt: string;
  documents: { id: string; filename: string }[];
}
interface Assignment {
  scopeType: 'programme' | 'location';
  scopeId: string;
  label: string | null;
  bankProfileId: string | null;
  taxProfileId: string | null;
}

const useStyles = makeStyles({
  head: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px' },
  h2: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  lead: { margin: 0, color: tokens.colorNeutralForeground3 },
  tableWrap: { overflowX: 'auto' },
  /** Columns sized by their content, so the masked account (one line) never runs into the next column. */
  autoTable: { tableLayout: 'auto' },
  /** A select in a dialog's two-column grid stays inside its column (long country names). */
  select: { minWidth: 0, width: '100%', '& select': { minWidth: 0 } },
  mono: { fontFamily: tokens.fontFamilyMonospace, whiteSpace: 'nowrap' },
  muted: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  empty: { margin: 0, color: tokens.colorNeutralForeground3, textAlign: 'center', paddingBlock: '12px' },
  form: { display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: '12px 16px' },
  full: { gridColumn: '1 / -1' },
  surface: { maxWidth: '640px', width: '100%' },
  docs: { margin: 0, paddingLeft: '18px' },
  rowActions: { display: 'flex', gap: '4px', flexWrap: 'wrap' },
});

/** Ask for the password again (bank details need a re-authentication within 10 minutes). Resolves true once confirmed. */
function useReauth() {
  const [pending, setPending] = useState<((ok: boolean) => void) | null>(null);
  const ask = useCallback(() => new Promise<boolean>((resolve) => setPending(() => resolve)), []);
  const dialog = pending ? (
    <ReauthDialog
      onDone={(ok) => {
        pending(ok);
        setPending(null);
      }}
    />
  ) : null;
  /** Run `fn`; on 401 REAUTH_REQUIRED ask for the password and run it once more. */
  const withReauth = useCallback(
    async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await fn();
      } catch (e) {
        if (e instanceof ApiError && e.code === 'REAUTH_REQUIRED') {
          if (!(await ask())) return undefined;
          return fn();
        }
        throw e;
      }
    },
    [ask],
  );
  return { dialog, withReauth };
}

function ReauthDialog({ onDone }: { onDone: (ok: boolean) => void }) {
  const intl = useIntl();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('/v1/sessions/current/reauth', { method: 'POST', body: { password }, redirectOnAuthFailure: false });
      onDone(true);
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open modalType="alert">
      <DialogSurface style={{ maxWidth: '440px' }} data-testid="reauth-dialog">
        <form onSubmit={(e) => void submit(e)}>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id="payout.reauth.title" />
            </DialogTitle>
            <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: '12px' }}>
              <p style={{ margin: 0 }}>
                <FormattedMessage id="payout.reauth.lead" />
              </p>
              <Field label={intl.formatMessage({ id: 'payout.reauth.password' })} required>
                <Input type="password" autoComplete="current-password" value={password} onChange={(_, d) => setPassword(d.value)} data-testid="reauth-password" autoFocus />
              </Field>
              <FormError error={error} />
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={busy || !password} data-testid="reauth-confirm">
                <FormattedMessage id="payout.reauth.confirm" />
              </Button>
              <Button onClick={() => onDone(false)} disabled={busy}>
                <FormattedMessage id="common.cancel" />
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

function useList<T>(path: string) {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    api<{ items: T[] }>(path, { signal: ctl.signal }).then(
      (r) => setItems(r.items),
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setError(e);
      },
    );
    return () => ctl.abort();
  }, [path, n]);
  return { items, error, reload: () => setN((x) => x + 1) };
}

/** Account settings → Payout and tax: bank profiles, tax profiles, tax exemptions, assignments. */
export default function PayoutPage() {
  const { can } = usePartnerSession();
  const manage = can('payout.manage');
  const banks = useList<BankProfile>('/v1/bankprofiles');
  const taxes = useList<TaxProfile>('/v1/taxprofiles');
  return (
    <Page title={<FormattedMessage id="payout.title" />} subtitle={<FormattedMessage id="payout.lead" />}>
      <BankProfilesCard banks={banks} manage={manage} />
      <TaxProfilesCard taxes={taxes} manage={manage} />
      <ExemptionsCard manage={can('tax.manage')} />
      <AssignmentsCard banks={banks.items ?? []} taxes={taxes.items ?? []} manage={manage} />
    </Page>
  );
}

function BankProfilesCard({ banks, manage }: { banks: ReturnType<typeof useList<BankProfile>>; manage: boolean }) {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const { dialog, withReauth } = useReauth();
  return (
    <section className={l.card} data-testid="bank-profiles">
      <div className={s.head}>
        <div>
          <h2 className={s.h2}>
            <FormattedMessage id="payout.bank.title" />
          </h2>
          <p className={s.lead}>
            <FormattedMessage id={manage ? 'payout.bank.lead' : 'payout.bank.leadReadOnly'} />
          </p>
        </div>
        {manage && (
          <Button appearance="primary" onClick={() => setEditing('new')} data-testid="bank-add">
            <FormattedMessage id="payout.bank.add" />
          </Button>
        )}
      </div>
      {banks.error && <LoadError error={banks.error} />}
      {!banks.items && !banks.error && <Loading />}
      {banks.items && (
        <div className={s.tableWrap}>
          <Table className={s.autoTable} aria-label={intl.formatMessage({ id: 'payout.bank.title' })} data-testid="bank-table">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>
                  <FormattedMessage id="payout.bank.name" />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="payout.bank.country" />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="payout.bank.account" />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="payout.bank.holder" />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="payout.col.status" />
                </TableHeaderCell>
                {manage && <TableHeaderCell />}
              </TableRow>
            </TableHeader>
            <TableBody>
              {banks.items.map((b) => (
                <TableRow key={b.id} data-testid="bank-row">
                  <TableCell>{b.name}</TableCell>
                  <TableCell>
                    {countryName(intl.locale, b.bankCountry)} · <FormattedMessage id={`payout.method.${b.paymentMethod}`} />
                  </TableCell>
                  <TableCell className={s.mono}>{b.account}</TableCell>
                  <TableCell>{b.accountHolderName}</TableCell>
                  <TableCell>
                    <PayoutStatusBadge status={b.status} />
                    {b.reason && <div className={s.muted}>{b.reason}</div>}
                  </TableCell>
                  {manage && (
                    <TableCell>
                      <Button size="small" onClick={() => setEditing(b.id)} data-testid="bank-edit">
                        <FormattedMessage id="payout.edit" />
                      </Button>
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {banks.items.length === 0 && (
            <p className={s.empty}>
              <FormattedMessage id="payout.bank.empty" />
            </p>
          )}
        </div>
      )}
      {editing && (
        <BankDialog
          id={editing === 'new' ? null : editing}
          withReauth={withReauth}
          onClose={(changed) => {
            setEditing(null);
            if (changed) banks.reload();
          }}
        />
      )}
      {dialog}
    </section>
  );
}

type BankForm = { name: string; bankCountry: string; paymentMethod: 'sepa' | 'wire'; accountHolderName: string; bankName: string; iban: string; bic: string; accountNumber: string; routingNumber: string; sortCode: string };
const EMPTY_BANK: BankForm = { name: '', bankCountry: 'FR', paymentMethod: 'sepa', accountHolderName: '', bankName: '', iban: '', bic: '', accountNumber: '', routingNumber: '', sortCode: '' };
const ACCOUNT_FIELDS = ['iban', 'bic', 'accountNumber', 'routingNumber', 'sortCode'] as const;

function BankDialog({ id, withReauth, onClose }: { id: string | null; withReauth: <T>(fn: () => Promise<T>) => Promise<T | undefined>; onClose: (changed: boolean) => void }) {
  const s = useStyles();
  const intl = useIntl();
  const res = useEtagResource<BankProfile>(id ? `/v1/bankprofiles/${id}` : '/v1/bankprofiles', [id]);
  const existing = id ? res.data : null;
  const [form, setForm] = useState<BankForm>(EMPTY_BANK);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const loaded = useRef(false);
  useEffect(() => {
    if (existing && !loaded.current) {
      loaded.current = true;
      setForm({ ...EMPTY_BANK, name: existing.name, bankCountry: existing.bankCountry, paymentMethod: existing.paymentMethod, accountHolderName: existing.accountHolderName, bankName: existing.bankName ?? '' });
    }
  }, [existing]);
  const set = (k: keyof BankForm) => (_: unknown, d: { value: string }) => setForm((f) => ({ ...f, [k]: d.value }));
  const methods: ('sepa' | 'wire')[] = form.bankCountry === 'GB' ? ['sepa', 'wire'] : [SEPA.has(form.bankCountry) ? 'sepa' : 'wire'];
  const method = methods.includes(form.paymentMethod) ? form.paymentMethod : methods[0]!;
  const errs = fieldErrors(error);
  const accountTouched = ACCOUNT_FIELDS.some((k) => form[k].trim()) || (existing && (form.bankCountry !== existing.bankCountry || method !== existing.paymentMethod));
  const shown = method === 'sepa' ? ['iban', 'bic'] : form.bankCountry === 'US' ? ['routingNumber', 'accountNumber', 'bic'] : form.bankCountry === 'GB' ? ['sortCode', 'accountNumber', 'bic'] : ['accountNumber', 'bic'];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, string> = { name: form.name, accountHolderName: form.accountHolderName };
    if (form.bankName.trim()) body.bankName = form.bankName;
    if (!id || accountTouched) {
      body.bankCountry = form.bankCountry;
      body.paymentMethod = method;
      for (const k of shown) if (form[k as keyof BankForm].trim()) body[k] = form[k as keyof BankForm];
    }
    try {
      const done = await withReauth(async () => (id ? res.save(body, 'PATCH') : api<BankProfile>('/v1/bankprofiles', { method: 'POST', body })));
      if (done) onClose(true);
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!id || !window.confirm(intl.formatMessage({ id: 'payout.bank.deleteConfirm' }))) return;
    setBusy(true);
    try {
      await withReauth(() => api(`/v1/bankprofiles/${id}`, { method: 'DELETE', headers: { 'If-Match': res.etag ?? '' } }));
      onClose(true);
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
    } finally {
      setBusy(false);
    }
  };
  const field = (k: keyof BankForm, label: string, extra: { full?: boolean; placeholder?: string; required?: boolean } = {}) => (
    <Field className={extra.full ? s.full : undefined} label={intl.formatMessage({ id: label })} required={extra.required} validationState={errs[k] ? 'error' : 'none'} validationMessage={errs[k]}>
      <Input value={form[k]} onChange={set(k)} placeholder={extra.placeholder} autoComplete="off" data-testid={`bank-${k}`} />
    </Field>
  );
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose(false)}>
      <DialogSurface className={s.surface} data-testid="bank-dialog">
        <form onSubmit={(e) => void submit(e)}>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id={id ? 'payout.bank.editTitle' : 'payout.bank.addTitle'} />
            </DialogTitle>
            <DialogContent className={s.form}>
              {res.conflict && (
                <MessageBar intent="warning" className={s.full} data-testid="bank-conflict">
                  <MessageBarBody>
                    <MessageBarTitle>
                      <FormattedMessage id="payout.conflict.title" />
                    </MessageBarTitle>
                    <FormattedMessage id="payout.conflict.bank" values={{ name: res.conflict.data.name, account: res.conflict.data.account }} />
                  </MessageBarBody>
                  <MessageBarActions>
                    <Button onClick={res.acceptConflict}>
                      <FormattedMessage id="payout.conflict.reload" />
                    </Button>
                  </MessageBarActions>
                </MessageBar>
              )}
              {field('name', 'payout.bank.name', { required: true })}
              <Field label={intl.formatMessage({ id: 'payout.bank.country' })} required validationState={errs.bankCountry ? 'error' : 'none'} validationMessage={errs.bankCountry}>
                <Select className={s.select} value={form.bankCountry} onChange={set('bankCountry')} data-testid="bank-bankCountry">
                  {COUNTRY_CODES.map((c) => [c, countryName(intl.locale, c)] as const)
                    .sort((a, b) => a[1].localeCompare(b[1], intl.locale))
                    .map(([c, n]) => (
                      <option key={c} value={c}>
                        {n}
                      </option>
                    ))}
                </Select>
              </Field>
              <Field label={intl.formatMessage({ id: 'payout.bank.method' })} validationState={errs.paymentMethod ? 'error' : 'none'} validationMessage={errs.paymentMethod}>
                <Select className={s.select} value={method} onChange={set('paymentMethod')} disabled={methods.length < 2} data-testid="bank-paymentMethod">
                  {methods.map((m) => (
                    <option key={m} value={m}>
                      {intl.formatMessage({ id: `payout.method.${m}` })}
                    </option>
                  ))}
                </Select>
              </Field>
              {field('bankName', 'payout.bank.bankName')}
              {existing && (
                <p className={`${s.full} ${s.muted}`}>
                  <FormattedMessage id="payout.bank.keepAccount" values={{ account: existing.account }} />
                </p>
              )}
              {shown.includes('iban') && field('iban', 'payout.bank.iban', { full: true, placeholder: 'FR76 3000 6000 0112 3456 7890 189', required: !id })}
              {shown.includes('routingNumber') && field('routingNumber', 'payout.bank.routingNumber', { required: !id })}
              {shown.includes('sortCode') && field('sortCode', 'payout.bank.sortCode', { placeholder: '40-47-84', required: !id })}
              {shown.includes('accountNumber') && field('accountNumber', 'payout.bank.accountNumber', { required: !id })}
              {shown.includes('bic') && field('bic', 'payout.bank.bic', { placeholder: 'BNPAFRPP', required: !id && method === 'sepa' })}
              {field('accountHolderName', 'payout.bank.holder', { full: true, required: true })}
              <div className={s.full}>
                <FormError error={error} shownFields={['name', 'bankCountry', 'paymentMethod', 'bankName', 'accountHolderName', ...shown]} />
              </div>
            </DialogContent>
            <DialogActions>
              {id && (
                <Button onClick={() => void remove()} disabled={busy} data-testid="bank-delete">
                  <FormattedMessage id="payout.delete" />
                </Button>
              )}
              <Button appearance="primary" type="submit" disabled={busy || (!!id && !existing)} data-testid="bank-save">
                <FormattedMessage id="payout.save" />
              </Button>
              <Button onClick={() => onClose(false)} disabled={busy}>
                <FormattedMessage id="common.cancel" />
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

function TaxProfilesCard({ taxes, manage }: { taxes: ReturnType<typeof useList<TaxProfile>>; manage: boolean }) {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  return (
    <section className={l.card} data-testid="tax-profiles">
      <div className={s.head}>
        <div>
          <h2 className={s.h2}>
            <FormattedMessage id="payout.tax.title" />
          </h2>
          <p className={s.lead}>
            <FormattedMessage id="payout.tax.lead" />
          </p>
        </div>
        {manage && (
          <Button onClick={() => setEditing('new')} data-testid="tax-add">
            <FormattedMessage id="payout.tax.add" />
          </Button>
        )}
      </div>
      {taxes.error && <LoadError error={taxes.error} />}
      {taxes.items && (
        <Table aria-label={intl.formatMessage({ id: 'payout.tax.title' })} data-testid="tax-table">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>
                <FormattedMessage id="payout.tax.country" />
              </TableHeaderCell>
              <TableHeaderCell>
                <FormattedMessage id="payout.tax.number" />
              </TableHeaderCell>
              <TableHeaderCell>
                <FormattedMessage id="payout.tax.exempt" />
              </TableHeaderCell>
              {manage && <TableHeaderCell />}
            </TableRow>
          </TableHeader>
          <TableBody>
            {taxes.items.map((t) => (
              <TableRow key={t.id} data-testid="tax-row">
                <TableCell>{countryName(intl.locale, t.country)}</TableCell>
                <TableCell className={s.mono}>{t.taxRegistrationNumber ?? '—'}</TableCell>
                <TableCell>
                  <FormattedMessage id={t.taxExempt ? 'payout.yes' : 'payout.no'} />
                </TableCell>
                {manage && (
                  <TableCell>
                    <Button size="small" onClick={() => setEditing(t.id)}>
                      <FormattedMessage id="payout.edit" />
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {taxes.items?.length === 0 && (
        <p className={s.empty}>
          <FormattedMessage id="payout.tax.empty" />
        </p>
      )}
      {editing && (
        <TaxDialog
          id={editing === 'new' ? null : editing}
          onClose={(changed) => {
            setEditing(null);
            if (changed) taxes.reload();
          }}
        />
      )}
    </section>
  );
}

function TaxDialog({ id, onClose }: { id: string | null; onClose: (changed: boolean) => void }) {
  const s = useStyles();
  const intl = useIntl();
  const res = useEtagResource<TaxProfile>(id ? `/v1/taxprofiles/${id}` : '/v1/taxprofiles', [id]);
  const existing = id ? res.data : null;
  const [country, setCountry] = useState('FR');
  const [number, setNumber] = useState('');
  const [exempt, setExempt] = useState<boolean | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const errs = fieldErrors(error);
  const exemptValue = exempt ?? existing?.taxExempt ?? false;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { taxExempt: exemptValue };
      if (number.trim()) body.taxRegistrationNumber = number;
      const done = id ? await res.save(body, 'PUT') : await api('/v1/taxprofiles', { method: 'POST', body: { ...body, country } });
      if (done) onClose(true);
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose(false)}>
      <DialogSurface className={s.surface} data-testid="tax-dialog">
        <form onSubmit={(e) => void submit(e)}>
          <DialogBody>
            <DialogTitle>
              {existing ? countryName(intl.locale, existing.country) : <FormattedMessage id="payout.tax.add" />}
            </DialogTitle>
            <DialogContent className={s.form}>
              {res.conflict && (
                <MessageBar intent="warning" className={s.full} data-testid="tax-conflict">
                  <MessageBarBody>
                    <MessageBarTitle>
                      <FormattedMessage id="payout.conflict.title" />
                    </MessageBarTitle>
                    <FormattedMessage
                      id="payout.conflict.tax"
                      values={{ number: res.conflict.data.taxRegistrationNumber ?? '—', exempt: intl.formatMessage({ id: res.conflict.data.taxExempt ? 'payout.yes' : 'payout.no' }) }}
                    />
                  </MessageBarBody>
                  <MessageBarActions>
                    <Button onClick={res.acceptConflict}>
                      <FormattedMessage id="payout.conflict.reload" />
                    </Button>
                  </MessageBarActions>
                </MessageBar>
              )}
              {!id && (
                <Field label={intl.formatMessage({ id: 'payout.tax.country' })} required validationState={errs.country ? 'error' : 'none'} validationMessage={errs.country}>
                  <Select className={s.select} value={country} onChange={(_, d) => setCountry(d.value)} data-testid="tax-country">
                    {COUNTRY_CODES.map((c) => [c, countryName(intl.locale, c)] as const)
                      .sort((a, b) => a[1].localeCompare(b[1], intl.locale))
                      .map(([c, n]) => (
                        <option key={c} value={c}>
                          {n}
                        </option>
                      ))}
                  </Select>
                </Field>
              )}
              <Field
                className={id ? s.full : undefined}
                label={intl.formatMessage({ id: 'payout.tax.number' })}
                hint={existing?.taxRegistrationNumber ? intl.formatMessage({ id: 'payout.tax.keepNumber' }, { number: existing.taxRegistrationNumber }) : undefined}
                validationState={errs.taxRegistrationNumber ? 'error' : 'none'}
                validationMessage={errs.taxRegistrationNumber}
              >
                <Input value={number} onChange={(_, d) => setNumber(d.value)} data-testid="tax-number" />
              </Field>
              <Checkbox className={s.full} checked={exemptValue} onChange={(_, d) => setExempt(!!d.checked)} label={intl.formatMessage({ id: 'payout.tax.exemptLabel' })} data-testid="tax-exempt" />
              <div className={s.full}>
                <FormError error={error} shownFields={['country', 'taxRegistrationNumber']} />
              </div>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={busy || (!!id && !existing)} data-testid="tax-save">
                <FormattedMessage id="payout.save" />
              </Button>
              <Button onClick={() => onClose(false)} disabled={busy}>
                <FormattedMessage id="common.cancel" />
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

function ExemptionsCard({ manage }: { manage: boolean }) {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const list = useList<TaxExemption>('/v1/taxexemptions');
  const [filing, setFiling] = useState(false);
  const [uploadError, setUploadError] = useState<ApiError | null>(null);
  const fileInputs = useRef<Record<string, HTMLInputElement | null>>({});
  const upload = async (ex: TaxExemption, file: File) => {
    setUploadError(null);
    try {
      await api(`/v1/taxexemptions/${ex.id}/documents?filename=${encodeURIComponent(file.name)}`, { method: 'POST', rawBody: { contentType: file.type || 'application/octet-stream', data: file } });
      list.reload();
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setUploadError(err);
    }
  };
  return (
    <section className={l.card} data-testid="tax-exemptions">
      <div className={s.head}>
        <div>
          <h2 className={s.h2}>
            <FormattedMessage id="payout.exemption.title" />
          </h2>
          <p className={s.lead}>
            <FormattedMessage id="payout.exemption.lead" />
          </p>
        </div>
        {manage && (
          <Button onClick={() => setFiling(true)} data-testid="exemption-add">
            <FormattedMessage id="payout.exemption.add" />
          </Button>
        )}
      </div>
      {list.error && <LoadError error={list.error} />}
      <FormError error={uploadError} summary />
      {list.items && list.items.length > 0 && (
        <Table aria-label={intl.formatMessage({ id: 'payout.exemption.title' })} data-testid="exemption-table">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>
                <FormattedMessage id="payout.tax.country" />
              </TableHeaderCell>
              <TableHeaderCell>
                <FormattedMessage id="payout.exemption.certificate" />
              </TableHeaderCell>
              <TableHeaderCell>
                <FormattedMessage id="payout.exemption.documents" />
              </TableHeaderCell>
              <TableHeaderCell>
                <FormattedMessage id="payout.col.status" />
              </TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.items.map((ex) => (
              <TableRow key={ex.id} data-testid="exemption-row">
                <TableCell>
                  {countryName(intl.locale, ex.country)}
                  <div className={s.muted}>
                    <FormattedDate value={ex.submittedAt} dateStyle="medium" />
                  </div>
                </TableCell>
                <TableCell className={s.mono}>{ex.certificateNumber}</TableCell>
                <TableCell>
                  {ex.documents.length > 0 && (
                    <ul className={s.docs}>
                      {ex.documents.map((d) => (
                        <li key={d.id}>
                          <a href={`/v1/taxexemptions/${ex.id}/documents/${d.id}`}>{d.filename}</a>
                        </li>
                      ))}
                    </ul>
                  )}
                  {manage && ex.status !== 'approved' && (
                    <>
                      <input
                        type="file"
                        accept="application/pdf,image/jpeg,image/png"
                        hidden
                        ref={(el) => {
                          fileInputs.current[ex.id] = el;
                        }}
                        onChange={(e) => {
                          const f = e.target.files?.[0];
                          if (f) void upload(ex, f);
                          e.target.value = '';
                        }}
                        data-testid="exemption-file"
                      />
                      <Button size="small" appearance="subtle" onClick={() => fileInputs.current[ex.id]?.click()} data-testid="exemption-upload">
                        <FormattedMessage id="payout.exemption.upload" />
                      </Button>
                    </>
                  )}
                </TableCell>
                <TableCell>
                  <PayoutStatusBadge status={ex.status} />
                  {ex.reason && (
                    <div className={s.muted} data-testid="exemption-reason">
                      <FormattedMessage id="payout.reason" values={{ reason: ex.reason }} />
                    </div>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {list.items?.length === 0 && (
        <p className={s.empty}>
          <FormattedMessage id="payout.exemption.empty" />
        </p>
      )}
      {filing && (
        <ExemptionDialog
          onClose={(changed) => {
            setFiling(false);
            if (changed) list.reload();
          }}
        />
      )}
    </section>
  );
}

function ExemptionDialog({ onClose }: { onClose: (changed: boolean) => void }) {
  const s = useStyles();
  const intl = useIntl();
  const [country, setCountry] = useState('FR');
  const [certificateNumber, setCertificate] = useState('');
  const [comment, setComment] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const errs = fieldErrors(error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const ex = await api<TaxExemption>('/v1/taxexemptions', { method: 'POST', body: { country, certificateNumber, ...(comment.trim() ? { comment } : {}) } });
      if (file) await api(`/v1/taxexemptions/${ex.id}/documents?filename=${encodeURIComponent(file.name)}`, { method: 'POST', rawBody: { contentType: file.type || 'application/octet-stream', data: file } });
      onClose(true);
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose(false)}>
      <DialogSurface className={s.surface} data-testid="exemption-dialog">
        <form onSubmit={(e) => void submit(e)}>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id="payout.exemption.add" />
            </DialogTitle>
            <DialogContent className={s.form}>
              <Field label={intl.formatMessage({ id: 'payout.tax.country' })} required>
                <Select className={s.select} value={country} onChange={(_, d) => setCountry(d.value)}>
                  {COUNTRY_CODES.map((c) => [c, countryName(intl.locale, c)] as const)
                    .sort((a, b) => a[1].localeCompare(b[1], intl.locale))
                    .map(([c, n]) => (
                      <option key={c} value={c}>
                        {n}
                      </option>
                    ))}
                </Select>
              </Field>
              <Field label={intl.formatMessage({ id: 'payout.exemption.certificate' })} required validationState={errs.certificateNumber ? 'error' : 'none'} validationMessage={errs.certificateNumber}>
                <Input value={certificateNumber} onChange={(_, d) => setCertificate(d.value)} data-testid="exemption-certificate" />
              </Field>
              <Field className={s.full} label={intl.formatMessage({ id: 'payout.exemption.comment' })}>
                <Textarea value={comment} onChange={(_, d) => setComment(d.value)} maxLength={2000} />
              </Field>
              <Field className={s.full} label={intl.formatMessage({ id: 'payout.exemption.document' })} hint={intl.formatMessage({ id: 'payout.exemption.documentHint' })}>
                <input type="file" accept="application/pdf,image/jpeg,image/png" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="exemption-dialog-file" />
              </Field>
              <div className={s.full}>
                <FormError error={error} shownFields={['certificateNumber']} />
              </div>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={busy || !certificateNumber.trim()} data-testid="exemption-submit">
                <FormattedMessage id="payout.exemption.submit" />
              </Button>
              <Button onClick={() => onClose(false)} disabled={busy}>
                <FormattedMessage id="common.cancel" />
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

function AssignmentsCard({ banks, taxes, manage }: { banks: BankProfile[]; taxes: TaxProfile[]; manage: boolean }) {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const [items, setItems] = useState<Assignment[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api<{ items: Assignment[] }>('/v1/payoutassignments').then(
      (r) => setItems(r.items),
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setError(e);
      },
    );
  }, []);
  const change = async (a: Assignment, patch: Partial<Assignment>) => {
    const next = { ...a, ...patch };
    setError(null);
    try {
      await api('/v1/payoutassignments', { method: 'PUT', body: { scopeType: next.scopeType, scopeId: next.scopeId, bankProfileId: next.bankProfileId, taxProfileId: next.taxProfileId } });
      setItems((xs) => xs?.map((x) => (x.scopeType === a.scopeType && x.scopeId === a.scopeId ? next : x)) ?? null);
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
    }
  };
  const scopeLabel = useMemo(() => (a: Assignment) => (a.scopeType === 'programme' ? intl.formatMessage({ id: `payout.programme.${a.scopeId}` }) : (a.label ?? a.scopeId)), [intl]);
  return (
    <section className={l.card} data-testid="payout-assignments">
      <div>
        <h2 className={s.h2}>
          <FormattedMessage id="payout.assign.title" />
        </h2>
        <p className={s.lead}>
          <FormattedMessage id="payout.assign.lead" />
        </p>
      </div>
      <FormError error={error} summary />
      {items && (
        <Table aria-label={intl.formatMessage({ id: 'payout.assign.title' })}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>
                <FormattedMessage id="payout.assign.scope" />
              </TableHeaderCell>
              <TableHeaderCell>
                <FormattedMessage id="payout.bank.title" />
              </TableHeaderCell>
              <TableHeaderCell>
                <FormattedMessage id="payout.tax.title" />
              </TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((a) => (
              <TableRow key={`${a.scopeType}:${a.scopeId}`} data-testid="assignment-row">
                <TableCell>
                  {scopeLabel(a)}
                  <div className={s.muted}>
                    <FormattedMessage id={`payout.assign.type.${a.scopeType}`} />
                  </div>
                </TableCell>
                <TableCell>
                  <Select value={a.bankProfileId ?? ''} disabled={!manage} onChange={(_, d) => void change(a, { bankProfileId: d.value || null })} aria-label={intl.formatMessage({ id: 'payout.bank.title' })}>
                    <option value="">{intl.formatMessage({ id: 'payout.assign.none' })}</option>
                    {banks.map((b) => (
                      <option key={b.id} value={b.id}>
                        {`${b.name} (${b.account})`}
                      </option>
                    ))}
                  </Select>
                </TableCell>
                <TableCell>
                  <Select value={a.taxProfileId ?? ''} disabled={!manage} onChange={(_, d) => void change(a, { taxProfileId: d.value || null })} aria-label={intl.formatMessage({ id: 'payout.tax.title' })}>
                    <option value="">{intl.formatMessage({ id: 'payout.assign.none' })}</option>
                    {taxes.map((t) => (
                      <option key={t.id} value={t.id}>
                        {countryName(intl.locale, t.country)}
                      </option>
                    ))}
                  </Select>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

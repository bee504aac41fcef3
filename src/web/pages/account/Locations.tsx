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
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import countryToCurrency from 'country-to-currency';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client';
import type { Address, Contact, LocationCollection, PartnerLocation } from '../../api/types';
import { Facts } from '../../components/Facts';
import { fieldErrors, FormError, LoadError } from '../../components/FormError';
import { Loading, Page, useLayoutStyles } from '../../components/layout';
import { countryName } from '../../components/regions';
import { useLocale } from '../../i18n/LocaleProvider';
import { usePartnerSession } from '../../session/PartnerSession';
import { NoAccess } from '../Workspace';

const COUNTRY_CODES = Object.keys(countryToCurrency as Record<string, string>);

const useStyles = makeStyles({
  tableWrap: { overflowX: 'auto' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  muted: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  empty: { margin: 0, color: tokens.colorNeutralForeground3, textAlign: 'center', paddingBlock: '16px' },
  actions: { display: 'flex', gap: '8px', justifyContent: 'flex-end' },
  form: { display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: '12px 16px', alignItems: 'start' },
  content: { display: 'flex', flexDirection: 'column', gap: '16px' },
  full: { gridColumn: '1 / -1' },
  legend: { gridColumn: '1 / -1', margin: 0, marginTop: '8px', fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase300 },
  surface: { maxWidth: '680px', width: '100%' },
});

type FieldName =
  | 'name'
  | 'address.addressLine1'
  | 'address.addressLine2'
  | 'address.city'
  | 'address.state'
  | 'address.postalCode'
  | 'address.country'
  | 'contact.firstName'
  | 'contact.lastName'
  | 'contact.email'
  | 'contact.phoneNumber';

/** Field → message id of its label. */
const LABELS: Record<FieldName, string> = {
  name: 'locations.name',
  'address.addressLine1': 'enroll.addressLine1',
  'address.addressLine2': 'enroll.addressLine2',
  'address.city': 'enroll.city',
  'address.state': 'enroll.state',
  'address.postalCode': 'enroll.postalCode',
  'address.country': 'enroll.country',
  'contact.firstName': 'enroll.contact.firstName',
  'contact.lastName': 'enroll.contact.lastName',
  'contact.email': 'enroll.contact.email',
  'contact.phoneNumber': 'enroll.contact.phoneNumber',
};
const REQUIRED = new Set<FieldName>(['name', 'address.addressLine1', 'address.city', 'address.postalCode', 'address.country', 'contact.firstName', 'contact.lastName', 'contact.email']);
type Values = Record<FieldName, string>;

function valuesOf(l: PartnerLocation | null, defaultCountry: string): Values {
  return {
    name: l?.name ?? '',
    'address.addressLine1': l?.address.addressLine1 ?? '',
    'address.addressLine2': l?.address.addressLine2 ?? '',
    'address.city': l?.address.city ?? '',
    'address.state': l?.address.state ?? '',
    'address.postalCode': l?.address.postalCode ?? '',
    'address.country': l?.address.country ?? defaultCountry,
    'contact.firstName': l?.contact.firstName ?? '',
    'contact.lastName': l?.contact.lastName ?? '',
    'contact.email': l?.contact.email ?? '',
    'contact.phoneNumber': l?.contact.phoneNumber ?? '',
  };
}

/** The request body: optional fields left empty are left out. */
function bodyOf(v: Values) {
  const opt = (x: string) => (x.trim() ? x.trim() : undefined);
  const address: Address = {
    addressLine1: v['address.addressLine1'],
    city: v['address.city'],
    postalCode: v['address.postalCode'],
    country: v['address.country'],
    ...(opt(v['address.addressLine2']) ? { addressLine2: opt(v['address.addressLine2'])! } : {}),
    ...(opt(v['address.state']) ? { state: opt(v['address.state'])! } : {}),
  };
  const contact: Contact = {
    firstName: v['contact.firstName'],
    lastName: v['contact.lastName'],
    email: v['contact.email'],
    ...(opt(v['contact.phoneNumber']) ? { phoneNumber: opt(v['contact.phoneNumber'])! } : {}),
  };
  return { name: v.name, address, contact };
}

function useAddressLine() {
  const { locale } = useLocale();
  return (a: Address) => [a.addressLine1, a.addressLine2, [a.postalCode, a.city].filter(Boolean).join(' '), a.state, countryName(locale, a.country)].filter(Boolean).join(', ');
}

/** Account settings → Locations: the global account and its location accounts (reference §1.1). */
export default function LocationsPage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const { can, me } = usePartnerSession();
  const addressLine = useAddressLine();
  const [data, setData] = useState<LocationCollection | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState<{ location: PartnerLocation | null } | null>(null);
  const [deleting, setDeleting] = useState<PartnerLocation | null>(null);
  const [deleteError, setDeleteError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const manage = can('locations.manage');

  const load = useCallback((signal?: AbortSignal) => {
    setLoadError(null);
    return api<LocationCollection>('/v1/locations?size=500', signal ? { signal } : {}).then(setData, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
    });
  }, []);

  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    return () => ctl.abort();
  }, [load]);

  if (!can('legal.read')) return <NoAccess />;

  async function confirmDelete() {
    if (!deleting) return;
    setBusy(true);
    setDeleteError(null);
    try {
      await api<void>(`/v1/locations/${encodeURIComponent(deleting.id)}`, { method: 'DELETE', headers: { 'If-Match': deleting.etag } });
      setDeleting(null);
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setDeleteError(e);
    }
    setBusy(false);
    await load();
  }

  return (
    <Page
      title={<FormattedMessage id="account.locations" />}
      subtitle={<FormattedMessage id="account.locations.text" />}
      actions={
        manage && (
          <Button appearance="primary" onClick={() => setEditing({ location: null })} data-testid="locations-add">
            <FormattedMessage id="locations.add" />
          </Button>
        )
      }
    >
      {loadError && <LoadError error={loadError} />}
      {!data && !loadError && <Loading />}
      {data && (
        <>
          <section className={l.card} data-testid="locations-global">
            <h2 className={l.sectionTitle}>
              <FormattedMessage id="locations.global" />
            </h2>
            <Facts
              items={[
                { key: 'name', label: <FormattedMessage id="locations.companyName" />, value: data.globalAccount.companyName },
                { key: 'id', testId: 'locations-partner-id', label: <FormattedMessage id="locations.partnerId" />, value: <span className={s.mono}>{data.globalAccount.id}</span> },
                { key: 'address', label: <FormattedMessage id="locations.legalAddress" />, value: addressLine(data.globalAccount.address) },
              ]}
            />
          </section>
          <section className={l.card}>
            <h2 className={l.sectionTitle}>
              <FormattedMessage id="locations.accounts" values={{ count: data.totalCount }} />
            </h2>
            {data.items.length === 0 ? (
              <p className={s.empty} data-testid="locations-empty">
                <FormattedMessage id="locations.empty" />
              </p>
            ) : (
              <div className={s.tableWrap}>
                <Table size="small" data-testid="locations-table">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>
                        <FormattedMessage id="locations.name" />
                      </TableHeaderCell>
                      <TableHeaderCell>
                        <FormattedMessage id="locations.id" />
                      </TableHeaderCell>
                      <TableHeaderCell>
                        <FormattedMessage id="locations.legalAddress" />
                      </TableHeaderCell>
                      <TableHeaderCell>
                        <FormattedMessage id="locations.contact" />
                      </TableHeaderCell>
                      {manage && <TableHeaderCell />}
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {data.items.map((loc) => (
                      <TableRow key={loc.id} data-testid="location-row">
                        <TableCell>{loc.name}</TableCell>
                        <TableCell>
                          <span className={s.mono}>{loc.id}</span>
                        </TableCell>
                        <TableCell>{addressLine(loc.address)}</TableCell>
                        <TableCell>
                          <div>
                            <FormattedMessage id="locations.contactName" values={{ firstName: loc.contact.firstName, lastName: loc.contact.lastName }} />
                          </div>
                          <div className={s.muted}>{loc.contact.email}</div>
                        </TableCell>
                        {manage && (
                          <TableCell>
                            <div className={s.actions}>
                              <Button size="small" onClick={() => setEditing({ location: loc })} data-testid="location-edit">
                                <FormattedMessage id="locations.edit" />
                              </Button>
                              <Button
                                size="small"
                                onClick={() => {
                                  setDeleteError(null);
                                  setDeleting(loc);
                                }}
                                data-testid="location-delete"
                              >
                                <FormattedMessage id="locations.delete" />
                              </Button>
                            </div>
                          </TableCell>
                        )}
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            )}
          </section>
        </>
      )}

      {editing && (
        <LocationDialog
          location={editing.location}
          defaultCountry={me.partner.country}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load();
          }}
        />
      )}

      <Dialog open={deleting !== null} onOpenChange={(_, d) => !d.open && setDeleting(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id="locations.deleteTitle" values={{ name: deleting?.name ?? '' }} />
            </DialogTitle>
            <DialogContent>
              <FormattedMessage id="locations.deleteText" />
              <FormError error={deleteError} />
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void confirmDelete()} disabled={busy} data-testid="locations-confirm-delete">
                <FormattedMessage id="locations.deleteConfirm" />
              </Button>
              <Button onClick={() => setDeleting(null)} data-testid="locations-cancel-delete">
                <FormattedMessage id="common.cancel" />
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </Page>
  );
}

/**
 * Add or edit a location. An edit sends the ETag it started from; when someone else saved
 * in between (412), the form keeps what the user typed, shows the other version, and the
 * next save goes against that version.
 */
function LocationDialog({ location, defaultCountry, onClose, onSaved }: { location: PartnerLocation | null; defaultCountry: string; onClose: () => void; onSaved: () => void }) {
  const s = useStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const addressLine = useAddressLine();
  const [values, setValues] = useState<Values>(() => valuesOf(location, defaultCountry));
  const [etag, setEtag] = useState(location?.etag ?? '');
  const [theirs, setTheirs] = useState<PartnerLocation | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const errs = fieldErrors(error);
  const countries = useMemo(
    () => COUNTRY_CODES.map((code) => ({ code, name: countryName(locale, code) })).sort((a, b) => a.name.localeCompare(b.name, locale)),
    [locale],
  );
  const labels = Object.fromEntries(Object.entries(LABELS).map(([k, id]) => [k, intl.formatMessage({ id })]));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (location) await api<PartnerLocation>(`/v1/locations/${encodeURIComponent(location.id)}`, { method: 'PUT', body: bodyOf(values), headers: { 'If-Match': etag } });
      else await api<PartnerLocation>('/v1/locations', { method: 'POST', body: bodyOf(values) });
      onSaved();
      return;
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) {
        if (err.status === 412 && location) {
          // Someone else saved first: fetch their version, keep what the user typed.
          try {
            const current = await api<PartnerLocation>(`/v1/locations/${encodeURIComponent(location.id)}`);
            setTheirs(current);
            setEtag(current.etag);
          } catch (again) {
            if (again instanceof ApiError && !again.isAuthFailure) setError(again);
          }
        } else setError(err);
      }
    }
    setBusy(false);
  }

  const set = (f: FieldName) => (v: string) => setValues((x) => ({ ...x, [f]: v }));
  const field = (f: FieldName, opts: { full?: boolean; type?: 'email' | 'tel' } = {}) => (
    <Field
      key={f}
      label={labels[f]}
      required={REQUIRED.has(f)}
      className={opts.full ? s.full : undefined}
      validationMessage={errs[f]}
      validationState={errs[f] ? 'error' : 'none'}
    >
      {f === 'address.country' ? (
        <Select value={values[f]} onChange={(_, d) => set(f)(d.value)} data-testid={`location-${f}`}>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </Select>
      ) : (
        <Input value={values[f]} type={opts.type ?? 'text'} onChange={(_, d) => set(f)(d.value)} data-testid={`location-${f}`} />
      )}
    </Field>
  );

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={s.surface}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id={location ? 'locations.editTitle' : 'locations.addTitle'} />
            </DialogTitle>
            <DialogContent className={s.content}>
              {theirs && (
                <MessageBar intent="warning" layout="multiline" data-testid="location-conflict">
                  <MessageBarBody>
                    <MessageBarTitle>
                      <FormattedMessage id="locations.conflictTitle" />
                    </MessageBarTitle>
                    <FormattedMessage
                      id="locations.conflictText"
                      values={{ name: theirs.name, address: addressLine(theirs.address), contact: `${theirs.contact.firstName} ${theirs.contact.lastName} <${theirs.contact.email}>` }}
                    />
                  </MessageBarBody>
                  <MessageBarActions>
                    <Button
                      size="small"
                      onClick={() => {
                        setValues(valuesOf(theirs, defaultCountry));
                        setTheirs(null);
                      }}
                      data-testid="location-take-theirs"
                    >
                      <FormattedMessage id="locations.conflictTakeTheirs" />
                    </Button>
                  </MessageBarActions>
                </MessageBar>
              )}
              <FormError error={error} shownFields={Object.keys(LABELS)} fieldLabels={labels} />
              <div className={s.form}>
                {field('name', { full: true })}
                <p className={s.legend}>
                  <FormattedMessage id="locations.legalAddress" />
                </p>
                {field('address.country', { full: true })}
                {field('address.addressLine1', { full: true })}
                {field('address.addressLine2', { full: true })}
                {field('address.postalCode')}
                {field('address.city')}
                {field('address.state')}
                <p className={s.legend}>
                  <FormattedMessage id="locations.contact" />
                </p>
                {field('contact.firstName')}
                {field('contact.lastName')}
                {field('contact.email', { type: 'email' })}
                {field('contact.phoneNumber', { type: 'tel' })}
              </div>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={busy} data-testid="location-save">
                <FormattedMessage id={theirs ? 'locations.saveMine' : 'locations.save'} />
              </Button>
              <Button onClick={onClose} data-testid="location-cancel">
                <FormattedMessage id="common.cancel" />
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

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
  MessageBar,
  MessageBarBody,
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
import { lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { FormattedDate, FormattedMessage } from 'react-intl';
import { Route, Routes, useNavigate } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { FormError, LoadError } from '../../components/FormError';
import { Loading, Page, useLayoutStyles } from '../../components/layout';
import { countryName } from '../../components/regions';
import { useLocale } from '../../i18n/LocaleProvider';
import { usePartnerSession } from '../../session/PartnerSession';
import { NoAccess } from '../Workspace';
import { languageName, type BusinessProfile, type BusinessProfileCollection } from './businessProfileModel';

const BusinessProfileEditor = lazy(() => import('./BusinessProfileEditor'));
const BusinessProfilePreview = lazy(() => import('./BusinessProfilePreview'));

const COUNTRY_CODES = Object.keys(countryToCurrency as Record<string, string>);

const useStyles = makeStyles({
  tableWrap: { overflowX: 'auto' },
  empty: { margin: 0, color: tokens.colorNeutralForeground3, textAlign: 'center', paddingBlock: '16px' },
  row: { cursor: 'pointer' },
  roles: { margin: 0, paddingLeft: '20px', display: 'flex', flexDirection: 'column', gap: '4px' },
  you: { margin: 0, fontWeight: tokens.fontWeightSemibold },
});

/** Referrals → Business profiles: the list, a profile's editor and its preview. */
export default function BusinessProfiles() {
  const { can } = usePartnerSession();
  if (!can('businessprofile.read')) return <NoAccess />;
  return (
    <Routes>
      <Route index element={<ProfileList />} />
      <Route path=":id" element={<BusinessProfileEditor />} />
      <Route path=":id/preview" element={<BusinessProfilePreview />} />
    </Routes>
  );
}

export function StatusPill({ status }: { status: BusinessProfile['status'] }) {
  return (
    <Badge appearance="tint" shape="rounded" color={status === 'published' ? 'success' : 'informative'} data-testid="bp-status">
      <FormattedMessage id={`bp.status.${status}`} />
    </Badge>
  );
}

/** What the signed-in person may do here, and what each role may do (issue 5: a Referrals admin edits, only a Business profile admin or Global admin deletes). */
export function RolesCard() {
  const s = useStyles();
  const l = useLayoutStyles();
  const { can } = usePartnerSession();
  const you = can('businessprofile.delete') ? 'delete' : can('businessprofile.manage') ? 'manage' : 'read';
  return (
    <section className={l.card} data-testid="bp-roles">
      <h2 className={l.sectionTitle}>
        <FormattedMessage id="bp.roles.title" />
      </h2>
      <p className={s.you} data-testid="bp-roles-you">
        <FormattedMessage id={`bp.roles.you.${you}`} />
      </p>
      <ul className={s.roles}>
        {(['delete', 'manage', 'read'] as const).map((k) => (
          <li key={k}>
            <FormattedMessage id={`bp.roles.${k}`} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ProfileList() {
  const s = useStyles();
  const l = useLayoutStyles();
  const { locale } = useLocale();
  const { can, me } = usePartnerSession();
  const navigate = useNavigate();
  const [data, setData] = useState<BusinessProfileCollection | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [creating, setCreating] = useState(false);
  const manage = can('businessprofile.manage');

  const load = useCallback((signal?: AbortSignal) => {
    setLoadError(null);
    return api<BusinessProfileCollection>('/v1/businessprofiles?size=500', signal ? { signal } : {}).then(setData, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
    });
  }, []);
  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    return () => ctl.abort();
  }, [load]);

  const open = (p: BusinessProfile) => navigate(`/referrals/profiles/${p.id}`);

  return (
    <Page
      title={<FormattedMessage id="bp.title" />}
      subtitle={<FormattedMessage id="bp.subtitle" />}
      actions={
        manage && (
          <Button appearance="primary" onClick={() => setCreating(true)} data-testid="bp-create">
            <FormattedMessage id="bp.create" />
          </Button>
        )
      }
    >
      {loadError && <LoadError error={loadError} />}
      {!data && !loadError && <Loading />}
      {data && (
        <section className={l.card}>
          <h2 className={l.sectionTitle}>
            <FormattedMessage id="bp.count" values={{ count: data.totalCount }} />
          </h2>
          {data.items.length === 0 ? (
            <p className={s.empty} data-testid="bp-empty">
              <FormattedMessage id="bp.empty" />
            </p>
          ) : (
            <div className={s.tableWrap}>
              <Table size="small" data-testid="bp-table">
                <TableHeader>
                  <TableRow>
                    {(['country', 'status', 'languages', 'updated', 'published'] as const).map((c) => (
                      <TableHeaderCell key={c}>
                        <FormattedMessage id={`bp.col.${c}`} />
                      </TableHeaderCell>
                    ))}
                    <TableHeaderCell />
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {data.items.map((p) => (
                    <TableRow key={p.id} className={s.row} onClick={() => open(p)} data-testid="bp-row" data-country={p.country}>
                      <TableCell>{countryName(locale, p.country)}</TableCell>
                      <TableCell>
                        <StatusPill status={p.status} />
                      </TableCell>
                      <TableCell>
                        {Object.keys(p.description).length ? Object.keys(p.description).map((c) => languageName(locale, c)).join(', ') : <FormattedMessage id="bp.none" />}
                      </TableCell>
                      <TableCell>
                        <FormattedDate value={p.updatedAt} dateStyle="medium" />
                      </TableCell>
                      <TableCell>{p.publishedAt && p.status === 'published' ? <FormattedDate value={p.publishedAt} dateStyle="medium" /> : <FormattedMessage id="bp.none" />}</TableCell>
                      <TableCell>
                        <Button size="small" onClick={(e) => (e.stopPropagation(), open(p))} data-testid="bp-open">
                          <FormattedMessage id="bp.open" />
                        </Button>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </section>
      )}
      <RolesCard />
      {creating && data && (
        <CreateDialog
          used={new Set(data.items.map((p) => p.country))}
          defaultCountry={me.partner.country}
          onClose={() => setCreating(false)}
          onCreated={(p) => navigate(`/referrals/profiles/${p.id}`)}
        />
      )}
    </Page>
  );
}

/** "Create a business profile" → choose a country (those without a profile yet). */
function CreateDialog({ used, defaultCountry, onClose, onCreated }: { used: Set<string>; defaultCountry: string; onClose: () => void; onCreated: (p: BusinessProfile) => void }) {
  const { locale } = useLocale();
  const countries = useMemo(
    () =>
      COUNTRY_CODES.filter((c) => !used.has(c))
        .map((code) => ({ code, name: countryName(locale, code) }))
        .sort((a, b) => a.name.localeCompare(b.name, locale)),
    [locale, used],
  );
  const [country, setCountry] = useState(() => (used.has(defaultCountry) ? (countries[0]?.code ?? '') : defaultCountry));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      onCreated(await api<BusinessProfile>('/v1/businessprofiles', { method: 'POST', body: { country } }));
      return;
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    }
    setBusy(false);
  }

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>
            <FormattedMessage id="bp.createTitle" />
          </DialogTitle>
          <DialogContent>
            <p>
              <FormattedMessage id="bp.createText" />
            </p>
            {countries.length === 0 ? (
              <MessageBar intent="info">
                <MessageBarBody>
                  <FormattedMessage id="bp.allCountriesUsed" />
                </MessageBarBody>
              </MessageBar>
            ) : (
              <Field label={<FormattedMessage id="bp.createCountry" />} required>
                <Select value={country} onChange={(_, d) => setCountry(d.value)} data-testid="bp-create-country">
                  {countries.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.name}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
            <FormError error={error} />
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={busy || !country} onClick={() => void create()} data-testid="bp-create-confirm">
              <FormattedMessage id="bp.createConfirm" />
            </Button>
            <Button onClick={onClose}>
              <FormattedMessage id="common.cancel" />
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

import { makeStyles, tokens } from '@fluentui/react-components';
import { createContext, lazy, Suspense, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Navigate, NavLink, Outlet, Route, Routes, useNavigate } from 'react-router-dom';
import { api, ApiError, setCsrfToken } from '../api/client';
import type { OperatorMe } from '../api/types';
import { AccountMenu } from '../components/AccountMenu';
import { Brand } from '../components/Brand';
import { LoadFallback } from '../components/LoadFallback';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { Loading, useLayoutStyles } from '../components/layout';
import { PublicLayout } from '../components/PublicLayout';
import { TopBar } from '../components/TopBar';
import { useLocale } from '../i18n/LocaleProvider';
import { OperatorSignInPage } from './OperatorSignIn';
import { PartnersPage } from './Partners';

// The review queues, loaded on demand.
const VerificationsPage = lazy(() => import('./Verifications').then((m) => ({ default: m.VerificationsPage })));
const TaxExemptionReviewsPage = lazy(() => import('./PayoutReviews').then((m) => ({ default: m.TaxExemptionReviewsPage })));
const BankProfileReviewsPage = lazy(() => import('./PayoutReviews').then((m) => ({ default: m.BankProfileReviewsPage })));
const CatalogImports = lazy(() => import('./CatalogImports'));
const Promotions = lazy(() => import('./Promotions'));

interface OperatorSession {
  me: OperatorMe;
  signOut: () => Promise<void>;
}

const OperatorContext = createContext<OperatorSession | null>(null);

export function useOperator(): OperatorSession {
  const ctx = useContext(OperatorContext);
  if (!ctx) throw new Error('useOperator outside the operator shell');
  return ctx;
}

const useNavStyles = makeStyles({
  link: {
    display: 'flex',
    alignItems: 'center',
    paddingInline: '12px',
    whiteSpace: 'nowrap',
    color: tokens.colorNeutralForegroundInverted2,
    textDecorationLine: 'none',
    fontSize: tokens.fontSizeBase300,
    borderBottom: '3px solid transparent',
    borderTop: '3px solid transparent',
    ':hover': { color: tokens.colorNeutralForegroundOnBrand, backgroundColor: 'rgba(255,255,255,0.08)' },
    ':focus-visible': { outline: `2px solid ${tokens.colorNeutralForegroundOnBrand}`, outlineOffset: '-4px' },
  },
  active: { color: tokens.colorNeutralForegroundOnBrand, fontWeight: tokens.fontWeightSemibold, borderBottomColor: '#4f9fe8' },
});

/**
 * The console's sections in the top bar, each shown to operators holding its permission.
 * The review queues are registered below (lazily) as their pages exist.
 */
const OPERATOR_NAV: { id: string; path: string; permission: string }[] = [
  { id: 'partners', path: '/operator', permission: 'operator.partners.read' },
  { id: 'verifications', path: '/operator/reviews/verifications', permission: 'operator.reviews' },
  { id: 'taxexemptions', path: '/operator/reviews/taxexemptions', permission: 'operator.reviews' },
  { id: 'bankprofiles', path: '/operator/reviews/bankprofiles', permission: 'operator.reviews' },
  { id: 'catalog', path: '/operator/catalog', permission: 'operator.catalog' },
  { id: 'promotions', path: '/operator/promotions', permission: 'operator.catalog' },
];

function OperatorNav({ permissions }: { permissions: readonly string[] }) {
  const s = useNavStyles();
  return (
    <>
      {OPERATOR_NAV.filter((n) => permissions.includes(n.permission)).map((n) => (
        <NavLink key={n.id} to={n.path} end={n.path === '/operator'} className={({ isActive }) => (isActive ? `${s.link} ${s.active}` : s.link)} data-testid={`operator-nav-${n.id}`}>
          <FormattedMessage id={`operator.nav.${n.id}`} />
        </NavLink>
      ))}
    </>
  );
}

function OperatorShell() {
  const l = useLayoutStyles();
  const navigate = useNavigate();
  const { locale, setLocale } = useLocale();
  const [me, setMe] = useState<OperatorMe | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    api<OperatorMe>('/v1/operator/me', { signal: ctl.signal }).then(
      (m) => {
        setCsrfToken('operator', m.csrfToken);
        setMe(m);
      },
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setError(e);
      },
    );
    return () => ctl.abort();
  }, [attempt]);

  const signOut = useCallback(async () => {
    try {
      await api<void>('/v1/operator/sessions/current', { method: 'DELETE', redirectOnAuthFailure: false });
    } catch {
      /* the session is gone either way */
    }
    setCsrfToken('operator', null);
    navigate('/operator/signin', { replace: true });
  }, [navigate]);

  const value = useMemo(() => (me ? { me, signOut } : null), [me, signOut]);

  const brand = <Brand to="/operator" subtitleId="operator.console" />;
  if (!value)
    return (
      <div className={l.app}>
        <TopBar brand={brand} end={<LanguageSwitch />} />
        <LoadFallback error={error} retry={() => setAttempt((n) => n + 1)} />
      </div>
    );

  return (
    <OperatorContext.Provider value={value}>
      <div className={l.app}>
        <TopBar
          brand={brand}
          nav={<OperatorNav permissions={value.me.permissions} />}
          end={
            <AccountMenu
              name={value.me.displayName || value.me.email}
              email={value.me.email}
              organisation={<FormattedMessage id="operator.console" />}
              locale={locale}
              onLocale={(next) => setLocale(next, { remember: true })}
              onSignOut={() => void signOut()}
            />
          }
        />
        <main className={l.main}>
          <Outlet />
        </main>
      </div>
    </OperatorContext.Provider>
  );
}

/** The operator console (lazy-loaded): its own sign-in, top bar and the partner list. */
export default function OperatorApp() {
  return (
    <Routes>
      <Route
        path="signin"
        element={
          <PublicLayout brand={<Brand to="/operator" subtitleId="operator.console" />}>
            <OperatorSignInPage />
          </PublicLayout>
        }
      />
      <Route element={<OperatorShell />}>
        <Route index element={<PartnersPage />} />
        <Route path="partners" element={<Navigate to="/operator" replace />} />
        <Route
          path="reviews/verifications"
          element={
            <Suspense fallback={<Loading />}>
              <VerificationsPage />
            </Suspense>
          }
        />
        <Route
          path="reviews/taxexemptions"
          element={
            <Suspense fallback={<Loading />}>
              <TaxExemptionReviewsPage />
            </Suspense>
          }
        />
        <Route
          path="reviews/bankprofiles"
          element={
            <Suspense fallback={<Loading />}>
              <BankProfileReviewsPage />
            </Suspense>
          }
        />
        <Route
          path="catalog/*"
          element={
            <Suspense fallback={<Loading />}>
              <CatalogImports />
            </Suspense>
          }
        />
        <Route
          path="promotions/*"
          element={
            <Suspense fallback={<Loading />}>
              <Promotions />
            </Suspense>
          }
        />
        <Route path="*" element={<Navigate to="/operator" replace />} />
      </Route>
    </Routes>
  );
}

import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Navigate, Outlet, Route, Routes, useNavigate } from 'react-router-dom';
import { api, ApiError, setCsrfToken } from '../api/client';
import type { OperatorMe } from '../api/types';
import { AccountMenu } from '../components/AccountMenu';
import { Brand } from '../components/Brand';
import { LoadFallback } from '../components/LoadFallback';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useLayoutStyles } from '../components/layout';
import { PublicLayout } from '../components/PublicLayout';
import { TopBar } from '../components/TopBar';
import { useLocale } from '../i18n/LocaleProvider';
import { OperatorSignInPage } from './OperatorSignIn';
import { PartnersPage } from './Partners';

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
        <Route path="*" element={<Navigate to="/operator" replace />} />
      </Route>
    </Routes>
  );
}

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError, setCsrfToken } from '../api/client';
import type { Locale, Me } from '../api/types';
import { useLocale } from '../i18n/LocaleProvider';

interface PartnerSessionValue {
  me: Me;
  can: (permission: string) => boolean;
  /** Switch the UI language and save it as the user's preference (PATCH /v1/me). */
  changeLocale: (locale: Locale) => Promise<boolean>;
  signOut: () => Promise<void>;
}

const PartnerSessionContext = createContext<PartnerSessionValue | null>(null);

export function usePartnerSession(): PartnerSessionValue {
  const ctx = useContext(PartnerSessionContext);
  if (!ctx) throw new Error('usePartnerSession outside PartnerSessionProvider');
  return ctx;
}

type LoadState = { kind: 'loading' } | { kind: 'ready'; me: Me } | { kind: 'error'; error: ApiError };

/** Loads GET /v1/me and provides it; renders `fallback(state)` until it is there. */
export function PartnerSessionProvider({ children, fallback }: { children: ReactNode; fallback: (error: ApiError | null, retry: () => void) => ReactNode }) {
  const { locale, setLocale } = useLocale();
  const navigate = useNavigate();
  const [state, setState] = useState<LoadState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  const accept = useCallback(
    (me: Me) => {
      setCsrfToken('partner', me.session.csrfToken);
      setState({ kind: 'ready', me });
    },
    [],
  );

  useEffect(() => {
    const ctl = new AbortController();
    setState({ kind: 'loading' });
    api<Me>('/v1/me', { signal: ctl.signal }).then(
      (me) => {
        // The user's saved language wins over this device's choice.
        if (me.user.locale && me.user.locale !== locale) setLocale(me.user.locale);
        accept(me);
      },
      (e: unknown) => {
        if (e instanceof ApiError) setState({ kind: 'error', error: e });
      },
    );
    return () => ctl.abort();
    // Load once per mount (or retry); language changes go through changeLocale.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);

  const me = state.kind === 'ready' ? state.me : null;

  const changeLocale = useCallback(
    async (next: Locale) => {
      if (!me) return false;
      const before = locale;
      setLocale(next, { remember: true });
      try {
        accept(await api<Me>('/v1/me', { method: 'PATCH', body: { locale: next } }));
        return true;
      } catch (e) {
        if (!(e instanceof ApiError && e.isAuthFailure)) setLocale(before, { remember: true });
        return false;
      }
    },
    [me, locale, setLocale, accept],
  );

  const signOut = useCallback(async () => {
    try {
      await api<void>('/v1/sessions/current', { method: 'DELETE', redirectOnAuthFailure: false });
    } catch {
      /* the session is gone either way */
    }
    setCsrfToken('partner', null);
    navigate('/signin', { replace: true });
  }, [navigate]);

  const value = useMemo<PartnerSessionValue | null>(() => {
    if (!me) return null;
    const perms = new Set(me.permissions);
    return { me, can: (p) => perms.has(p), changeLocale, signOut };
  }, [me, changeLocale, signOut]);

  if (!value) return <>{fallback(state.kind === 'error' ? state.error : null, () => setAttempt((n) => n + 1))}</>;
  return <PartnerSessionContext.Provider value={value}>{children}</PartnerSessionContext.Provider>;
}

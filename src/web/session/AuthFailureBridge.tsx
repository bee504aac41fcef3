import { useEffect, useRef } from 'react';
import { useLocation, useNavigate, type Location } from 'react-router-dom';
import { onAuthFailure } from '../api/client';

/** What the sign-in pages receive in `location.state` after a redirect. */
export interface SignInRedirectState {
  from?: Pick<Location, 'pathname' | 'search' | 'hash'>;
  /** The server's message for SESSION_EXPIRED, in the UI language. */
  expiredMessage?: string;
}

/** What /mfa receives in `location.state`: where to go once the second factor is presented. */
export interface MfaRedirectState {
  next?: string;
  /** The user asked to set up or replace their authenticator app from My profile. */
  setup?: boolean;
}

/**
 * Sends the user to the right sign-in page when any API call answers 401
 * UNAUTHENTICATED or SESSION_EXPIRED, remembering where they were; to the
 * password change when one answers 403 PASSWORD_CHANGE_REQUIRED; to /mfa when one
 * answers 401 MFA_REQUIRED.
 */
export function AuthFailureBridge() {
  const navigate = useNavigate();
  const location = useLocation();
  const where = useRef(location);
  where.current = location;

  useEffect(() => {
    onAuthFailure((principal, error) => {
      if (error.isPasswordChangeRequired) {
        if (where.current.pathname !== '/change-password') navigate('/change-password', { replace: true });
        return;
      }
      if (error.isMfaRequired) {
        const loc = where.current;
        if (loc.pathname !== '/mfa') navigate('/mfa', { replace: true, state: { next: `${loc.pathname}${loc.search}${loc.hash}` } satisfies MfaRedirectState });
        return;
      }
      const target = principal === 'operator' ? '/operator/signin' : '/signin';
      const loc = where.current;
      if (loc.pathname === target) return;
      const state: SignInRedirectState = {
        from: { pathname: loc.pathname, search: loc.search, hash: loc.hash },
        ...(error.code === 'SESSION_EXPIRED' ? { expiredMessage: error.message } : {}),
      };
      navigate(target, { replace: true, state });
    });
    return () => onAuthFailure(null);
  }, [navigate]);

  return null;
}

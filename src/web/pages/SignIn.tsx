import { FormattedMessage } from 'react-intl';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, setCsrfToken } from '../api/client';
import type { SessionAnswer } from '../api/types';
import { AppLink } from '../components/AppLink';
import { CredentialsForm } from '../components/CredentialsForm';
import type { MfaRedirectState } from '../session/AuthFailureBridge';

export function SignInPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (
    <CredentialsForm
      titleId="signin.title"
      leadId="signin.lead"
      initialEmail={params.get('email') ?? ''}
      signIn={async (email, password, redirect) => {
        const answer = await api<SessionAnswer>('/v1/sessions', { method: 'POST', body: { email, password }, redirectOnAuthFailure: false });
        setCsrfToken('partner', answer.csrfToken);
        const from = redirect.from;
        const back = from && !from.pathname.startsWith('/signin') && !from.pathname.startsWith('/operator') ? `${from.pathname}${from.search}${from.hash}` : '/';
        if (answer.mfaRequired) {
          // The second factor comes first; the MFA page then sends on to the password change if one is due.
          navigate('/mfa', { replace: true, state: { next: back } satisfies MfaRedirectState });
          return;
        }
        if (answer.passwordChangeRequired) {
          navigate('/change-password', { replace: true });
          return;
        }
        navigate(back, { replace: true });
      }}
      afterError={(error, email) =>
        error.code === 'EMAIL_NOT_VERIFIED' && (
          <AppLink to={`/enroll/verify?email=${encodeURIComponent(email)}`} data-testid="signin-verify-link">
            <FormattedMessage id="signin.verifyLink" />
          </AppLink>
        )
      }
      links={
        <>
          <AppLink to="/forgot-password" data-testid="signin-forgot">
            <FormattedMessage id="signin.forgot" />
          </AppLink>
          <span>
            <FormattedMessage id="signin.noAccount" />{' '}
            <AppLink to="/enroll">
              <FormattedMessage id="signin.enroll" />
            </AppLink>
          </span>
          <AppLink to="/operator/signin">
            <FormattedMessage id="signin.operator" />
          </AppLink>
        </>
      }
    />
  );
}

import { FormattedMessage } from 'react-intl';
import { useNavigate } from 'react-router-dom';
import { api, setCsrfToken } from '../api/client';
import { AppLink } from '../components/AppLink';
import { CredentialsForm } from '../components/CredentialsForm';

export function OperatorSignInPage() {
  const navigate = useNavigate();
  return (
    <CredentialsForm
      titleId="operator.signin.title"
      leadId="operator.signin.lead"
      signIn={async (email, password, redirect) => {
        const answer = await api<{ csrfToken: string }>('/v1/operator/sessions', { method: 'POST', body: { email, password }, redirectOnAuthFailure: false });
        setCsrfToken('operator', answer.csrfToken);
        const from = redirect.from;
        navigate(from && from.pathname.startsWith('/operator') && from.pathname !== '/operator/signin' ? `${from.pathname}${from.search}` : '/operator', { replace: true });
      }}
      links={
        <AppLink to="/signin">
          <FormattedMessage id="operator.signin.partnerLink" />
        </AppLink>
      }
    />
  );
}

import { Button, Field, Input, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError, setCsrfToken } from '../api/client';
import { AppLink } from '../components/AppLink';
import { fieldErrors, FormError } from '../components/FormError';
import { usePanelStyles } from '../components/PublicLayout';
import type { SignInRedirectState } from '../session/AuthFailureBridge';

export function OperatorSignInPage() {
  const s = usePanelStyles();
  const intl = useIntl();
  const navigate = useNavigate();
  const location = useLocation();
  const redirect = (location.state ?? {}) as SignInRedirectState;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fe = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api<{ csrfToken: string }>('/v1/operator/sessions', { method: 'POST', body: { email: email.trim(), password }, redirectOnAuthFailure: false });
      setCsrfToken('operator', answer.csrfToken);
      const from = redirect.from;
      navigate(from && from.pathname.startsWith('/operator') && from.pathname !== '/operator/signin' ? `${from.pathname}${from.search}` : '/operator', { replace: true });
    } catch (err) {
      if (err instanceof ApiError) setError(err);
      setBusy(false);
    }
  }

  return (
    <section className={s.panel} aria-labelledby="op-signin-title">
      <div className={s.heading}>
        <h1 id="op-signin-title" className={s.title}>
          <FormattedMessage id="operator.signin.title" />
        </h1>
        <p className={s.lead}>
          <FormattedMessage id="operator.signin.lead" />
        </p>
      </div>
      {redirect.expiredMessage && !error && (
        <MessageBar intent="warning">
          <MessageBarBody>{redirect.expiredMessage}</MessageBarBody>
        </MessageBar>
      )}
      <FormError error={error} shownFields={['email', 'password']} />
      <form className={s.form} onSubmit={submit} noValidate>
        <Field label={intl.formatMessage({ id: 'signin.email' })} required validationMessage={fe['email']}>
          <Input type="email" autoComplete="username" value={email} onChange={(_, d) => setEmail(d.value)} data-testid="signin-email" />
        </Field>
        <Field label={intl.formatMessage({ id: 'signin.password' })} required validationMessage={fe['password']}>
          <Input type="password" autoComplete="current-password" value={password} onChange={(_, d) => setPassword(d.value)} data-testid="signin-password" />
        </Field>
        <div className={s.actions}>
          <Button type="submit" appearance="primary" disabled={busy} data-testid="signin-submit">
            <FormattedMessage id={busy ? 'signin.submitting' : 'signin.submit'} />
          </Button>
        </div>
      </form>
      <div className={s.links}>
        <AppLink to="/signin">
          <FormattedMessage id="operator.signin.partnerLink" />
        </AppLink>
      </div>
    </section>
  );
}

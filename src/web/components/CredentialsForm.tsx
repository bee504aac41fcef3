import { Button, Field, Input, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useState, type FormEvent, type ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useLocation } from 'react-router-dom';
import { ApiError } from '../api/client';
import type { SignInRedirectState } from '../session/AuthFailureBridge';
import { fieldErrors, FormError } from './FormError';
import { usePanelStyles } from './PublicLayout';

/**
 * The email + password panel shared by the partner and operator sign-in pages. `signIn`
 * performs the call and navigates on success; an ApiError it throws is shown.
 */
export function CredentialsForm({
  titleId,
  leadId,
  initialEmail = '',
  signIn,
  afterError,
  links,
}: {
  titleId: string;
  leadId: string;
  initialEmail?: string;
  signIn: (email: string, password: string, redirect: SignInRedirectState) => Promise<void>;
  /** Extra content under the error, e.g. a link to verify the email. */
  afterError?: (error: ApiError, email: string) => ReactNode;
  links: ReactNode;
}) {
  const s = usePanelStyles();
  const intl = useIntl();
  const location = useLocation();
  const redirect = (location.state ?? {}) as SignInRedirectState;
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fe = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password, redirect);
    } catch (err) {
      if (err instanceof ApiError) setError(err);
      setBusy(false);
    }
  }

  return (
    <section className={s.panel} aria-labelledby="signin-title">
      <div className={s.heading}>
        <h1 id="signin-title" className={s.title}>
          <FormattedMessage id={titleId} />
        </h1>
        <p className={s.lead}>
          <FormattedMessage id={leadId} />
        </p>
      </div>
      {redirect.expiredMessage && !error && (
        <MessageBar intent="warning">
          <MessageBarBody>{redirect.expiredMessage}</MessageBarBody>
        </MessageBar>
      )}
      <FormError error={error} shownFields={['email', 'password']} />
      {error && afterError?.(error, email.trim())}
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
      <div className={s.links}>{links}</div>
    </section>
  );
}

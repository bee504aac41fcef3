import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { AppLink } from '../components/AppLink';
import { fieldErrors, FormError } from '../components/FormError';
import { usePanelStyles } from '../components/PublicLayout';

/** "Can't access your account?": asks for a password reset link by email (POST /v1/passwordresets). */
export default function ForgotPasswordPage() {
  const s = usePanelStyles();
  const intl = useIntl();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fe = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api<{ accepted: boolean }>('/v1/passwordresets', { method: 'POST', body: { email: email.trim() }, redirectOnAuthFailure: false });
      setSent(true);
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={s.panel} aria-labelledby="forgot-title">
      <div className={s.heading}>
        <h1 id="forgot-title" className={s.title}>
          <FormattedMessage id="forgot.title" />
        </h1>
        {!sent && (
          <p className={s.lead}>
            <FormattedMessage id="forgot.lead" />
          </p>
        )}
      </div>
      {sent ? (
        <MessageBar intent="success" layout="multiline" data-testid="forgot-sent">
          <MessageBarBody>
            <MessageBarTitle>
              <FormattedMessage id="forgot.sentTitle" />
            </MessageBarTitle>
            <FormattedMessage id="forgot.sent" />
          </MessageBarBody>
        </MessageBar>
      ) : (
        <>
          <FormError error={error} shownFields={['email']} />
          <form className={s.form} onSubmit={submit} noValidate>
            <Field label={intl.formatMessage({ id: 'signin.email' })} required validationMessage={fe['email']}>
              <Input type="email" autoComplete="username" value={email} onChange={(_, d) => setEmail(d.value)} data-testid="forgot-email" />
            </Field>
            <div className={s.actions}>
              <Button type="submit" appearance="primary" disabled={busy || !email.trim()} data-testid="forgot-submit">
                <FormattedMessage id={busy ? 'forgot.submitting' : 'forgot.submit'} />
              </Button>
            </div>
          </form>
        </>
      )}
      <div className={s.links}>
        <AppLink to="/signin" data-testid="forgot-signin">
          <FormattedMessage id="forgot.backToSignIn" />
        </AppLink>
      </div>
    </section>
  );
}

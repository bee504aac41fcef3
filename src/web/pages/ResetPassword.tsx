import { Button, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { AppLink } from '../components/AppLink';
import { fieldErrors, FormError } from '../components/FormError';
import { NewPasswordFields, useNewPassword } from '../components/NewPasswordFields';
import { usePanelStyles } from '../components/PublicLayout';

/** The link of the password reset mail: choose a new password (POST /v1/passwordresets/confirm). */
export default function ResetPasswordPage() {
  const s = usePanelStyles();
  const intl = useIntl();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const pw = useNewPassword();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fe = fieldErrors(error);
  const badLink = !token || error?.code === 'INVALID_RESET_TOKEN';
  const labels = { newPassword: intl.formatMessage({ id: 'password.new' }) };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!pw.matches()) return;
    setBusy(true);
    setError(null);
    try {
      await api<void>('/v1/passwordresets/confirm', { method: 'POST', body: { token, newPassword: pw.next }, redirectOnAuthFailure: false });
      pw.clear();
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={s.panel} aria-labelledby="reset-title">
      <div className={s.heading}>
        <h1 id="reset-title" className={s.title}>
          <FormattedMessage id="reset.title" />
        </h1>
        {!done && !badLink && (
          <p className={s.lead}>
            <FormattedMessage id="reset.lead" />
          </p>
        )}
      </div>
      {done ? (
        <>
          <MessageBar intent="success" layout="multiline" data-testid="reset-success">
            <MessageBarBody>
              <FormattedMessage id="reset.success" />
            </MessageBarBody>
          </MessageBar>
          <div className={s.actions}>
            <Button appearance="primary" onClick={() => navigate('/signin', { replace: true })} data-testid="reset-signin">
              <FormattedMessage id="reset.signIn" />
            </Button>
          </div>
        </>
      ) : badLink ? (
        <>
          <MessageBar intent="error" layout="multiline" data-testid="reset-invalid">
            <MessageBarBody>
              <MessageBarTitle>
                <FormattedMessage id="reset.invalidTitle" />
              </MessageBarTitle>
              {error?.message ? error.message : <FormattedMessage id="reset.invalid" />}
            </MessageBarBody>
          </MessageBar>
          <div className={s.actions}>
            <AppLink to="/forgot-password" data-testid="reset-request-new">
              <FormattedMessage id="reset.requestNew" />
            </AppLink>
          </div>
        </>
      ) : (
        <>
          <FormError error={error} shownFields={['newPassword']} fieldLabels={labels} />
          <form className={s.form} onSubmit={submit} noValidate>
            <NewPasswordFields pw={pw} serverMessage={fe['newPassword']} testIds={{ next: 'reset-new', confirm: 'reset-confirm' }} />
            <div className={s.actions}>
              <Button type="submit" appearance="primary" disabled={busy || !pw.next || !pw.confirm} data-testid="reset-submit">
                <FormattedMessage id={busy ? 'reset.submitting' : 'reset.submit'} />
              </Button>
            </div>
          </form>
        </>
      )}
      {!done && (
        <div className={s.links}>
          <AppLink to="/signin">
            <FormattedMessage id="forgot.backToSignIn" />
          </AppLink>
        </div>
      )}
    </section>
  );
}

import { Button, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { AppLink } from '../components/AppLink';
import { fieldErrors, FormError } from '../components/FormError';
import { NewPasswordFields, useNewPassword } from '../components/NewPasswordFields';
import { usePanelStyles } from '../components/PublicLayout';

/** The link of the invitation mail: choose a password (POST /v1/invitations/accept), then sign in. */
export default function AcceptInvitationPage() {
  const s = usePanelStyles();
  const intl = useIntl();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const pw = useNewPassword();
  const [busy, setBusy] = useState(false);
  const [acceptedEmail, setAcceptedEmail] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const fe = fieldErrors(error);
  const badLink = !token || error?.code === 'INVITATION_INVALID';
  const labels = { password: intl.formatMessage({ id: 'password.new' }) };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!pw.matches()) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ email: string }>('/v1/invitations/accept', { method: 'POST', body: { token, password: pw.next }, redirectOnAuthFailure: false });
      pw.clear();
      setAcceptedEmail(res.email);
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={s.panel} aria-labelledby="invitation-title">
      <div className={s.heading}>
        <h1 id="invitation-title" className={s.title}>
          <FormattedMessage id="invitation.title" />
        </h1>
        {acceptedEmail === null && !badLink && (
          <p className={s.lead}>
            <FormattedMessage id="invitation.lead" />
          </p>
        )}
      </div>
      {acceptedEmail !== null ? (
        <>
          <MessageBar intent="success" layout="multiline" data-testid="invitation-success">
            <MessageBarBody>
              <FormattedMessage id="invitation.success" values={{ email: acceptedEmail, b: (c) => <b>{c}</b> }} />
            </MessageBarBody>
          </MessageBar>
          <div className={s.actions}>
            <Button appearance="primary" onClick={() => navigate('/signin', { replace: true })} data-testid="invitation-signin">
              <FormattedMessage id="invitation.signIn" />
            </Button>
          </div>
        </>
      ) : badLink ? (
        <MessageBar intent="error" layout="multiline" data-testid="invitation-invalid">
          <MessageBarBody>
            <MessageBarTitle>
              <FormattedMessage id="invitation.invalidTitle" />
            </MessageBarTitle>
            {error?.message ? error.message : <FormattedMessage id="invitation.invalid" />}
          </MessageBarBody>
        </MessageBar>
      ) : (
        <>
          <FormError error={error} shownFields={['password']} fieldLabels={labels} />
          <form className={s.form} onSubmit={submit} noValidate>
            <NewPasswordFields pw={pw} serverMessage={fe['password']} testIds={{ next: 'invitation-new', confirm: 'invitation-confirm' }} />
            <div className={s.actions}>
              <Button type="submit" appearance="primary" disabled={busy || !pw.next || !pw.confirm} data-testid="invitation-submit">
                <FormattedMessage id={busy ? 'invitation.submitting' : 'invitation.submit'} />
              </Button>
            </div>
          </form>
        </>
      )}
      {acceptedEmail === null && (
        <div className={s.links}>
          <AppLink to="/signin">
            <FormattedMessage id="forgot.backToSignIn" />
          </AppLink>
        </div>
      )}
    </section>
  );
}

import { Button, Field, Input, Link, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useLocation, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { AppLink, LinkButton } from '../components/AppLink';
import { fieldErrors, FormError } from '../components/FormError';
import { usePanelStyles } from '../components/PublicLayout';

export function VerifyPage() {
  const s = usePanelStyles();
  const intl = useIntl();
  const [params] = useSearchParams();
  const location = useLocation();
  const enrolled = (location.state as { enrolled?: string } | null)?.enrolled;
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [resent, setResent] = useState(false);
  const [verified, setVerified] = useState<string | null>(null);
  const fe = fieldErrors(error);
  const labels = { email: intl.formatMessage({ id: 'verify.email' }), code: intl.formatMessage({ id: 'verify.code' }) };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResent(false);
    try {
      const answer = await api<{ verified: true; partnerStatus: string }>('/v1/enrollment/verify', { method: 'POST', body: { email: email.trim(), code: code.trim() } });
      setVerified(answer.partnerStatus);
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function resend() {
    setError(null);
    setResent(false);
    try {
      await api('/v1/enrollment/resend', { method: 'POST', body: { email: email.trim() } });
      setResent(true);
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    }
  }

  const signInTo = `/signin?email=${encodeURIComponent(email.trim())}`;

  if (verified !== null) {
    return (
      <section className={s.panel} aria-labelledby="verify-title">
        <div className={s.heading}>
          <h1 id="verify-title" className={s.title}>
            <FormattedMessage id="verify.doneTitle" />
          </h1>
        </div>
        <MessageBar intent="success" layout="multiline" data-testid="verify-success">
          <MessageBarBody>
            <MessageBarTitle>
              <FormattedMessage id="verify.successTitle" />
            </MessageBarTitle>
            <FormattedMessage id={verified === 'authorized' ? 'verify.successAuthorized' : 'verify.successPending'} />
          </MessageBarBody>
        </MessageBar>
        <div className={s.actions}>
          <LinkButton to={signInTo} appearance="primary">
            <FormattedMessage id="verify.signIn" />
          </LinkButton>
        </div>
      </section>
    );
  }

  return (
    <section className={s.panel} aria-labelledby="verify-title">
      <div className={s.heading}>
        <h1 id="verify-title" className={s.title}>
          <FormattedMessage id="verify.title" />
        </h1>
        <p className={s.lead}>
          {enrolled && (
            <>
              <FormattedMessage id="verify.enrolled" values={{ company: enrolled }} />{' '}
            </>
          )}
          {email.trim() ? (
            <FormattedMessage id="verify.lead" values={{ email: <strong>{email.trim()}</strong> }} />
          ) : (
            <FormattedMessage id="verify.leadNoEmail" />
          )}
        </p>
      </div>
      {resent && (
        <MessageBar intent="info">
          <MessageBarBody>
            <FormattedMessage id="verify.resent" values={{ email: email.trim() }} />
          </MessageBarBody>
        </MessageBar>
      )}
      <FormError error={error} shownFields={['email', 'code']} fieldLabels={labels} />
      <form className={s.form} onSubmit={submit} noValidate>
        <Field label={labels.email} required validationMessage={fe['email']}>
          <Input type="email" autoComplete="username" value={email} onChange={(_, d) => setEmail(d.value)} data-testid="verify-email" />
        </Field>
        <Field label={labels.code} required validationMessage={fe['code']} hint={intl.formatMessage({ id: 'verify.codeHint' })}>
          <Input
            value={code}
            onChange={(_, d) => setCode(d.value.replace(/\D/g, '').slice(0, 6))}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            data-testid="verify-code"
          />
        </Field>
        <div className={s.actions}>
          <Button type="submit" appearance="primary" disabled={busy} data-testid="verify-submit">
            <FormattedMessage id="verify.submit" />
          </Button>
          <Link as="button" type="button" onClick={resend} disabled={!email.trim()} data-testid="verify-resend">
            <FormattedMessage id="verify.resend" />
          </Link>
        </div>
      </form>
      <div className={s.links}>
        <span>
          <FormattedMessage id="verify.already" />{' '}
          <AppLink to={signInTo}>
            <FormattedMessage id="verify.signInLink" />
          </AppLink>
        </span>
      </div>
    </section>
  );
}

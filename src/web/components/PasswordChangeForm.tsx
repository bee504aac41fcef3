import { Button, Field, Input, makeStyles } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../api/client';
import { fieldErrors, FormError } from './FormError';
import { NewPasswordFields, useNewPassword } from './NewPasswordFields';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '16px', maxWidth: '440px' },
  actions: { display: 'flex', alignItems: 'center', gap: '12px', marginTop: '4px' },
});

/**
 * Current password, new password, confirmation → POST /v1/me/password.
 * Used on My profile and on the forced password change after a temporary password.
 */
export function PasswordChangeForm({ onChanged }: { onChanged: () => void }) {
  const s = useStyles();
  const intl = useIntl();
  const [current, setCurrent] = useState('');
  const pw = useNewPassword();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fe = fieldErrors(error);
  const labels = {
    currentPassword: intl.formatMessage({ id: 'password.current' }),
    newPassword: intl.formatMessage({ id: 'password.new' }),
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!pw.matches()) return;
    setBusy(true);
    setError(null);
    try {
      await api<void>('/v1/me/password', { method: 'POST', body: { currentPassword: current, newPassword: pw.next } });
      setCurrent('');
      pw.clear();
      setBusy(false);
      onChanged();
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
      setBusy(false);
    }
  }

  return (
    <form className={s.form} onSubmit={submit} noValidate>
      <FormError error={error} shownFields={['currentPassword', 'newPassword']} fieldLabels={labels} />
      <Field label={labels.currentPassword} required validationMessage={fe['currentPassword']}>
        <Input type="password" autoComplete="current-password" value={current} onChange={(_, d) => setCurrent(d.value)} data-testid="pw-current" />
      </Field>
      <NewPasswordFields pw={pw} serverMessage={fe['newPassword']} testIds={{ next: 'pw-new', confirm: 'pw-confirm' }} />
      <div className={s.actions}>
        <Button type="submit" appearance="primary" disabled={busy || !current || !pw.next || !pw.confirm} data-testid="pw-submit">
          <FormattedMessage id={busy ? 'password.submitting' : 'password.submit'} />
        </Button>
      </div>
    </form>
  );
}

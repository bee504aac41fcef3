import { Field, Input } from '@fluentui/react-components';
import { useState } from 'react';
import { useIntl } from 'react-intl';

/** State of a "new password + confirmation" pair; `matches()` flags a mismatch to show. */
export function useNewPassword() {
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  return {
    next,
    confirm,
    setNext,
    setConfirm,
    mismatch: mismatch && next !== confirm,
    matches() {
      setMismatch(next !== confirm);
      return next === confirm;
    },
    clear() {
      setNext('');
      setConfirm('');
    },
  };
}

/** The new password (with the policy hint and the server's message) and its confirmation. */
export function NewPasswordFields({
  pw,
  serverMessage,
  testIds,
}: {
  pw: ReturnType<typeof useNewPassword>;
  serverMessage: string | undefined;
  testIds: { next: string; confirm: string };
}) {
  const intl = useIntl();
  return (
    <>
      <Field label={intl.formatMessage({ id: 'password.new' })} required hint={intl.formatMessage({ id: 'password.newHint' })} validationMessage={serverMessage}>
        <Input type="password" autoComplete="new-password" value={pw.next} onChange={(_, d) => pw.setNext(d.value)} data-testid={testIds.next} />
      </Field>
      <Field label={intl.formatMessage({ id: 'password.confirm' })} required validationMessage={pw.mismatch ? intl.formatMessage({ id: 'password.mismatch' }) : undefined}>
        <Input type="password" autoComplete="new-password" value={pw.confirm} onChange={(_, d) => pw.setConfirm(d.value)} data-testid={testIds.confirm} />
      </Field>
    </>
  );
}

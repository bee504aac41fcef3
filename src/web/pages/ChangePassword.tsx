import { Button, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useNavigate } from 'react-router-dom';
import { api, hasCsrfToken, setCsrfToken } from '../api/client';
import { PasswordChangeForm } from '../components/PasswordChangeForm';
import { usePanelStyles } from '../components/PublicLayout';

/**
 * The forced password change after signing in with a temporary password.
 * It needs the CSRF token of the sign-in answer; after a reload it is gone, so the
 * user signs out and in again.
 */
export default function ChangePasswordPage() {
  const s = usePanelStyles();
  const navigate = useNavigate();
  const [canChange] = useState(() => hasCsrfToken('partner'));
  const [signingOut, setSigningOut] = useState(false);

  async function signInAgain() {
    setSigningOut(true);
    try {
      await api<void>('/v1/sessions/current', { method: 'DELETE', redirectOnAuthFailure: false });
    } catch {
      /* the session is gone either way */
    }
    setCsrfToken('partner', null);
    navigate('/signin', { replace: true });
  }

  return (
    <section className={s.panel} aria-labelledby="changepw-title">
      <div className={s.heading}>
        <h1 id="changepw-title" className={s.title}>
          <FormattedMessage id="changePassword.title" />
        </h1>
        <p className={s.lead}>
          <FormattedMessage id="changePassword.lead" />
        </p>
      </div>
      {canChange ? (
        <PasswordChangeForm onChanged={() => navigate('/', { replace: true })} />
      ) : (
        <>
          <MessageBar intent="warning" layout="multiline" data-testid="changepw-signin-again">
            <MessageBarBody>
              <FormattedMessage id="changePassword.reload" />
            </MessageBarBody>
          </MessageBar>
          <div className={s.actions}>
            <Button appearance="primary" disabled={signingOut} onClick={() => void signInAgain()} data-testid="changepw-signin">
              <FormattedMessage id="changePassword.signIn" />
            </Button>
          </div>
        </>
      )}
      {canChange && (
        <div className={s.links}>
          <Button appearance="subtle" onClick={() => void signInAgain()} disabled={signingOut} data-testid="changepw-signout">
            <FormattedMessage id="menu.signOut" />
          </Button>
        </div>
      )}
    </section>
  );
}

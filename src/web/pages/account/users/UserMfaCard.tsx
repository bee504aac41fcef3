import { Badge, Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { api, ApiError } from '../../../api/client';
import type { PartnerUser } from '../../../api/types';
import { FormError } from '../../../components/FormError';
import { useLayoutStyles } from '../../../components/layout';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  note: { margin: 0, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

/**
 * User detail → Multi-factor authentication (Global admin): the user's state, require
 * registration at next sign-in, or reset a lost authenticator app.
 */
export function UserMfaCard({ user, onChanged }: { user: PartnerUser; onChanged: () => void }) {
  const l = useLayoutStyles();
  const s = useStyles();
  const [confirmReset, setConfirmReset] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function run(call: () => Promise<unknown>, doneId: string) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await call();
      setDone(doneId);
      onChanged();
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    } finally {
      setBusy(false);
      setConfirmReset(false);
    }
  }

  const state = user.mfaState;
  return (
    <section className={l.card} aria-labelledby="user-mfa" data-testid="user-mfa">
      <h2 id="user-mfa" className={l.sectionTitle}>
        <FormattedMessage id="profile.mfa.title" />
      </h2>
      <FormError error={error} />
      {done && (
        <MessageBar intent="success">
          <MessageBarBody>
            <FormattedMessage id={done} />
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={s.row}>
        <Badge appearance="tint" color={state === 'enforced' ? 'success' : state === 'enabled' ? 'warning' : 'informative'} data-testid="user-mfa-state">
          <FormattedMessage id={`users.mfa.state.${state}`} />
        </Badge>
      </div>
      <p className={s.note}>
        <FormattedMessage id="users.mfa.note" />
      </p>
      <div className={s.row}>
        {state === 'disabled' && (
          <Button disabled={busy} onClick={() => void run(() => api(`/v1/users/${user.id}/mfa`, { method: 'PUT', body: { state: 'enabled' } }), 'users.mfa.required')} data-testid="user-mfa-require">
            <FormattedMessage id="users.mfa.require" />
          </Button>
        )}
        {state === 'enabled' && (
          <Button disabled={busy} onClick={() => void run(() => api(`/v1/users/${user.id}/mfa`, { method: 'PUT', body: { state: 'disabled' } }), 'users.mfa.notRequired')} data-testid="user-mfa-unrequire">
            <FormattedMessage id="users.mfa.unrequire" />
          </Button>
        )}
        {state === 'enforced' && (
          <Button disabled={busy} onClick={() => setConfirmReset(true)} data-testid="user-mfa-reset">
            <FormattedMessage id="users.mfa.reset" />
          </Button>
        )}
      </div>
      <Dialog open={confirmReset} onOpenChange={(_, d) => setConfirmReset(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id="users.mfa.resetTitle" />
            </DialogTitle>
            <DialogContent>
              <FormattedMessage id="users.mfa.resetText" values={{ email: user.email }} />
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" disabled={busy} onClick={() => void run(() => api(`/v1/users/${user.id}/mfa`, { method: 'DELETE' }), 'users.mfa.resetDone')} data-testid="user-mfa-reset-confirm">
                <FormattedMessage id="users.mfa.reset" />
              </Button>
              <Button onClick={() => setConfirmReset(false)}>
                <FormattedMessage id="common.cancel" />
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}

import { Badge, Button, makeStyles, tokens, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Spinner } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import type { MyMfa } from '../../api/types';
import { Facts } from '../../components/Facts';
import { FormError } from '../../components/FormError';
import { useLayoutStyles } from '../../components/layout';
import type { MfaRedirectState } from '../../session/AuthFailureBridge';
import { RecoveryCodes } from '../Mfa';

const useStyles = makeStyles({
  muted: { margin: 0, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap' },
});

/** My profile → Multi-factor authentication: state, set up or replace the app, new recovery codes. */
export function MfaCard() {
  const l = useLayoutStyles();
  const s = useStyles();
  const intl = useIntl();
  const navigate = useNavigate();
  const [mfa, setMfa] = useState<MyMfa | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const load = (signal?: AbortSignal) =>
    api<MyMfa>('/v1/me/mfa', signal ? { signal } : {}).then(setMfa, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    });
  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    return () => ctl.abort();
  }, []);

  const setup = () => navigate('/mfa', { state: { setup: true, next: '/account/profile' } satisfies MfaRedirectState });

  async function newCodes() {
    setBusy(true);
    setError(null);
    try {
      setCodes((await api<{ recoveryCodes: string[] }>('/v1/me/mfa/recoverycodes', { method: 'POST' })).recoveryCodes);
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    } finally {
      setBusy(false);
    }
  }

  const status = !mfa ? null : mfa.registered ? 'on' : mfa.companyRequired || mfa.state === 'enabled' ? 'due' : 'off';
  return (
    <section className={l.card} aria-labelledby="profile-mfa" data-testid="profile-mfa">
      <h2 id="profile-mfa" className={l.sectionTitle}>
        <FormattedMessage id="profile.mfa.title" />
      </h2>
      <FormError error={error} />
      {!mfa ? (
        !error && <Spinner size="tiny" label={intl.formatMessage({ id: 'common.loading' })} labelPosition="after" />
      ) : (
        <>
          <Facts
            items={[
              {
                key: 'state',
                label: <FormattedMessage id="profile.mfa.state" />,
                value: (
                  <Badge appearance="tint" color={status === 'on' ? 'success' : status === 'due' ? 'warning' : 'informative'} data-testid="profile-mfa-state">
                    <FormattedMessage id={`profile.mfa.${status}`} />
                  </Badge>
                ),
              },
              ...(mfa.registered
                ? [{ key: 'codes', label: <FormattedMessage id="profile.mfa.codesLeft" />, value: <span data-testid="profile-mfa-codes-left">{mfa.recoveryCodesLeft}</span> }]
                : []),
            ]}
          />
          <p className={s.muted}>
            <FormattedMessage id={mfa.companyRequired ? 'profile.mfa.companyRequired' : 'profile.mfa.companyOptional'} />
          </p>
          <div className={s.actions}>
            <Button appearance={mfa.registered ? 'secondary' : 'primary'} onClick={setup} data-testid="profile-mfa-setup">
              <FormattedMessage id={mfa.registered ? 'profile.mfa.replace' : 'profile.mfa.setup'} />
            </Button>
            {mfa.registered && (
              <Button disabled={busy || !mfa.sessionPassed} onClick={() => void newCodes()} data-testid="profile-mfa-newcodes">
                <FormattedMessage id="profile.mfa.newCodes" />
              </Button>
            )}
          </div>
        </>
      )}
      <Dialog open={codes !== null} modalType="alert">
        <DialogSurface>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id="mfa.codes.title" />
            </DialogTitle>
            <DialogContent>{codes && <RecoveryCodes codes={codes} onContinue={() => { setCodes(null); void load(); }} />}</DialogContent>
            <DialogActions />
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}

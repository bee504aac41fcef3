import { Spinner, Switch } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client';
import { FormError } from '../../components/FormError';
import { useLayoutStyles } from '../../components/layout';

interface SecuritySettings {
  selfServicePasswordReset: boolean;
  mfaRequired: boolean;
}

/** Company security settings (Global admin): MFA required at sign-in, self-service password reset. */
export function SecuritySettingsCard() {
  const l = useLayoutStyles();
  const intl = useIntl();
  const [settings, setSettings] = useState<SecuritySettings | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    api<SecuritySettings>('/v1/account/security', { signal: ctl.signal }).then(setSettings, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    });
    return () => ctl.abort();
  }, []);

  async function toggle(change: Partial<SecuritySettings>) {
    setBusy(true);
    setError(null);
    try {
      setSettings(await api<SecuritySettings>('/v1/account/security', { method: 'PATCH', body: change }));
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={l.card} aria-labelledby="ov-security">
      <h2 id="ov-security" className={l.sectionTitle}>
        <FormattedMessage id="security.title" />
      </h2>
      <FormError error={error} />
      {settings ? (
        <>
          <Switch
            checked={settings.mfaRequired}
            disabled={busy}
            onChange={(_, d) => void toggle({ mfaRequired: d.checked })}
            label={intl.formatMessage({ id: settings.mfaRequired ? 'security.mfaRequired.on' : 'security.mfaRequired.off' })}
            data-testid="security-mfa-required"
          />
          <Switch
            checked={settings.selfServicePasswordReset}
            disabled={busy}
            onChange={(_, d) => void toggle({ selfServicePasswordReset: d.checked })}
            label={intl.formatMessage({ id: settings.selfServicePasswordReset ? 'security.selfServiceReset.on' : 'security.selfServiceReset.off' })}
            data-testid="security-self-service-reset"
          />
        </>
      ) : (
        !error && <Spinner size="tiny" label={intl.formatMessage({ id: 'common.loading' })} labelPosition="after" />
      )}
    </section>
  );
}

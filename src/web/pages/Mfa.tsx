import { Button, Checkbox, Field, Input, MessageBar, MessageBarBody, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError, setCsrfToken } from '../api/client';
import type { CurrentSession, TotpRegistration } from '../api/types';
import { fieldErrors, FormError } from '../components/FormError';
import { usePanelStyles } from '../components/PublicLayout';
import { useClipboard } from '../components/useClipboard';
import type { MfaRedirectState } from '../session/AuthFailureBridge';

const useStyles = makeStyles({
  steps: { margin: 0, paddingLeft: '20px', display: 'flex', flexDirection: 'column', gap: '6px', color: tokens.colorNeutralForeground2 },
  qr: { alignSelf: 'center', width: '200px', height: '200px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  secretRow: { display: 'flex', alignItems: 'center', gap: '8px', flexWrap: 'wrap' },
  secret: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase300, letterSpacing: '0.06em', wordBreak: 'break-all' },
  codes: {
    display: 'grid',
    // Two columns when a code fits on one line, else one: a code is never broken in the middle.
    gridTemplateColumns: 'repeat(auto-fit, minmax(20ch, 1fr))',
    whiteSpace: 'nowrap',
    gap: '8px 24px',
    margin: 0,
    padding: '16px 20px',
    listStyleType: 'none',
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase400,
  },
  toggle: { alignSelf: 'flex-start', paddingInline: 0, minWidth: 0 },
});

type Mode = { kind: 'loading' } | { kind: 'challenge' } | { kind: 'register' } | { kind: 'codes'; codes: string[]; passwordChangeRequired: boolean };

/** Only our own pages as the place to go next. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') && !next.startsWith('/mfa') ? next : '/';
}

/**
 * The second factor: after the password at sign-in (enter a code, or register an
 * authenticator app when the company requires MFA), and for step-up when a workspace
 * needs MFA. Registration ends on the ten recovery codes, shown this once.
 */
export default function MfaPage() {
  const p = usePanelStyles();
  const s = useStyles();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as MfaRedirectState;
  const next = safeNext(state.next);
  const [mode, setMode] = useState<Mode>({ kind: 'loading' });
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    api<CurrentSession>('/v1/sessions/current', { signal: ctl.signal }).then(
      (s) => {
        setCsrfToken('partner', s.csrfToken);
        if (s.mfaPending === 'challenge') setMode({ kind: 'challenge' });
        else if (s.mfaPending === 'register' || !s.mfaPassed || state.setup) setMode({ kind: 'register' });
        else navigate(next, { replace: true });
      },
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setError(e);
      },
    );
    return () => ctl.abort();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- once, on arrival

  const done = (passwordChangeRequired: boolean) => navigate(passwordChangeRequired ? '/change-password' : next, { replace: true });

  async function signOut() {
    try {
      await api<void>('/v1/sessions/current', { method: 'DELETE', redirectOnAuthFailure: false });
    } catch {
      /* the session is gone either way */
    }
    setCsrfToken('partner', null);
    navigate('/signin', { replace: true });
  }

  return (
    <section className={p.panel} aria-labelledby="mfa-title" data-testid="mfa-page">
      <div className={p.heading}>
        <h1 id="mfa-title" className={p.title}>
          <FormattedMessage id={mode.kind === 'codes' ? 'mfa.codes.title' : mode.kind === 'register' ? 'mfa.register.title' : 'mfa.challenge.title'} />
        </h1>
        <p className={p.lead}>
          <FormattedMessage id={mode.kind === 'codes' ? 'mfa.codes.lead' : mode.kind === 'register' ? 'mfa.register.lead' : 'mfa.challenge.lead'} />
        </p>
      </div>
      {mode.kind === 'loading' && (error ? <FormError error={error} /> : <Spinner size="small" />)}
      {mode.kind === 'challenge' && <Challenge onDone={(r) => done(r.passwordChangeRequired)} />}
      {mode.kind === 'register' && <Register onDone={(codes, passwordChangeRequired) => setMode({ kind: 'codes', codes, passwordChangeRequired })} />}
      {mode.kind === 'codes' && <RecoveryCodes codes={mode.codes} onContinue={() => done(mode.passwordChangeRequired)} />}
      {mode.kind !== 'codes' && (
        <div className={p.links}>
          <Button appearance="subtle" className={s.toggle} onClick={() => void signOut()} data-testid="mfa-signout">
            <FormattedMessage id="menu.signOut" />
          </Button>
        </div>
      )}
    </section>
  );
}

function Challenge({ onDone }: { onDone: (r: { passwordChangeRequired: boolean }) => void }) {
  const p = usePanelStyles();
  const s = useStyles();
  const intl = useIntl();
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fe = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await api<{ passwordChangeRequired: boolean }>('/v1/sessions/current/mfa', { method: 'POST', body: { code: code.trim() } }));
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
      setBusy(false);
      setCode('');
    }
  }

  return (
    <form className={p.form} onSubmit={submit} noValidate>
      <FormError error={error} shownFields={['code']} />
      <Field
        label={intl.formatMessage({ id: recovery ? 'mfa.recoveryCode' : 'mfa.code' })}
        hint={intl.formatMessage({ id: recovery ? 'mfa.recoveryCodeHint' : 'mfa.codeHint' })}
        required
        validationMessage={fe['code']}
      >
        <Input
          value={code}
          onChange={(_, d) => setCode(d.value)}
          autoComplete="one-time-code"
          inputMode={recovery ? 'text' : 'numeric'}
          maxLength={recovery ? 20 : 6}
          autoFocus
          data-testid="mfa-code"
        />
      </Field>
      <Button appearance="transparent" size="small" className={s.toggle} onClick={() => setRecovery(!recovery)} data-testid="mfa-use-recovery">
        <FormattedMessage id={recovery ? 'mfa.useApp' : 'mfa.useRecovery'} />
      </Button>
      <div className={p.actions}>
        <Button type="submit" appearance="primary" disabled={busy || !code.trim()} data-testid="mfa-submit">
          <FormattedMessage id="mfa.verify" />
        </Button>
      </div>
    </form>
  );
}

function Register({ onDone }: { onDone: (codes: string[], passwordChangeRequired: boolean) => void }) {
  const p = usePanelStyles();
  const s = useStyles();
  const intl = useIntl();
  const [reg, setReg] = useState<TotpRegistration | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const { copied, copy } = useClipboard();
  const [error, setError] = useState<ApiError | null>(null);
  const started = useRef(false);
  const fe = fieldErrors(error);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api<TotpRegistration>('/v1/me/mfa/totp', { method: 'POST' }).then(setReg, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    });
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ recoveryCodes: string[]; passwordChangeRequired: boolean }>('/v1/me/mfa/totp/verify', { method: 'POST', body: { code: code.trim() } });
      onDone(r.recoveryCodes, r.passwordChangeRequired);
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
      setBusy(false);
      setCode('');
    }
  }

  if (!reg) return error ? <FormError error={error} /> : <Spinner size="small" />;
  const grouped = reg.secret.replace(/(.{4})/g, '$1 ').trim();
  return (
    <form className={p.form} onSubmit={submit} noValidate>
      <ol className={s.steps}>
        <li>
          <FormattedMessage id="mfa.register.step1" />
        </li>
        <li>
          <FormattedMessage id="mfa.register.step2" />
        </li>
        <li>
          <FormattedMessage id="mfa.register.step3" />
        </li>
      </ol>
      <img className={s.qr} src={reg.qrDataUrl} alt={intl.formatMessage({ id: 'mfa.register.qrAlt' })} data-testid="mfa-qr" />
      <Field label={intl.formatMessage({ id: 'mfa.register.secret' })} hint={intl.formatMessage({ id: 'mfa.register.secretHint' })}>
        <div className={s.secretRow}>
          <code className={s.secret} data-testid="mfa-secret" data-secret={reg.secret}>
            {grouped}
          </code>
          <Button
            size="small"
            onClick={() => void copy(reg.secret)}
          >
            <FormattedMessage id={copied ? 'mfa.copied' : 'mfa.copy'} />
          </Button>
        </div>
      </Field>
      <FormError error={error} shownFields={['code']} />
      <Field label={intl.formatMessage({ id: 'mfa.code' })} hint={intl.formatMessage({ id: 'mfa.codeHint' })} required validationMessage={fe['code']}>
        <Input value={code} onChange={(_, d) => setCode(d.value)} autoComplete="one-time-code" inputMode="numeric" maxLength={6} data-testid="mfa-code" />
      </Field>
      <div className={p.actions}>
        <Button type="submit" appearance="primary" disabled={busy || code.trim().length !== 6} data-testid="mfa-submit">
          <FormattedMessage id="mfa.register.submit" />
        </Button>
      </div>
    </form>
  );
}

/** The recovery codes, this once: copy or download them, and confirm before going on. */
export function RecoveryCodes({ codes, onContinue }: { codes: string[]; onContinue: () => void }) {
  const p = usePanelStyles();
  const s = useStyles();
  const intl = useIntl();
  const { copied, copy } = useClipboard();
  const [saved, setSaved] = useState(false);
  const text = codes.join('\n');
  const download = () => {
    const url = URL.createObjectURL(new Blob([`${intl.formatMessage({ id: 'mfa.codes.fileHeader' })}\n\n${text}\n`], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'partner-space-recovery-codes.txt';
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className={p.form}>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <FormattedMessage id="mfa.codes.once" />
        </MessageBarBody>
      </MessageBar>
      <ul className={s.codes} data-testid="mfa-recovery-codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className={p.actions}>
        <Button onClick={() => void copy(text)}>
          <FormattedMessage id={copied ? 'mfa.copied' : 'mfa.copy'} />
        </Button>
        <Button onClick={download}>
          <FormattedMessage id="mfa.codes.download" />
        </Button>
      </div>
      <Checkbox checked={saved} onChange={(_, d) => setSaved(d.checked === true)} label={intl.formatMessage({ id: 'mfa.codes.saved' })} data-testid="mfa-codes-saved" />
      <div className={p.actions}>
        <Button appearance="primary" disabled={!saved} onClick={onContinue} data-testid="mfa-continue">
          <FormattedMessage id="mfa.codes.continue" />
        </Button>
      </div>
    </div>
  );
}

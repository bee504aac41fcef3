import { Button, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { useClipboard } from '../../../components/useClipboard';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: '16px' },
  label: { margin: 0, fontWeight: tokens.fontWeightSemibold },
  row: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  value: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase300,
    padding: '8px 14px',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    userSelect: 'all',
    overflowWrap: 'anywhere',
    flexGrow: 1,
    minWidth: 0,
  },
  note: { margin: 0, color: tokens.colorNeutralForeground3 },
});

/** A value with a Copy button (the button says when it worked, or that it did not). */
export function CopyValue({ value, label, testId }: { value: string; label: string; testId: string }) {
  const s = useStyles();
  const intl = useIntl();
  const { copied, copy } = useClipboard();
  return (
    <>
      <div className={s.row}>
        <code className={s.value} data-testid={testId}>
          {value}
        </code>
        <Button size="small" onClick={() => void copy(value)} aria-label={intl.formatMessage({ id: 'apps.copyLabel' }, { what: label })} data-testid={`${testId}-copy`}>
          <FormattedMessage id={copied ? 'apps.copied' : 'apps.copy'} />
        </Button>
      </div>
      {copied === false && (
        <MessageBar intent="error">
          <MessageBarBody>
            <FormattedMessage id="apps.copyFailed" />
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}

/** The client id and a new secret, shown this once: a warning, copy buttons and the expiry. */
export function SecretOnce({ clientId, secret, expiresAt }: { clientId: string; secret: string; expiresAt: string }) {
  const s = useStyles();
  const intl = useIntl();
  const labels = { clientId: intl.formatMessage({ id: 'apps.clientId' }), secret: intl.formatMessage({ id: 'apps.reveal.secret' }) };
  return (
    <div className={s.box} data-testid="app-secret-once">
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>
            <FormattedMessage id="apps.reveal.onceTitle" />
          </MessageBarTitle>
          <FormattedMessage id="apps.reveal.once" />
        </MessageBarBody>
      </MessageBar>
      <p className={s.label}>{labels.clientId}</p>
      <CopyValue value={clientId} label={labels.clientId} testId="app-reveal-clientid" />
      <p className={s.label}>{labels.secret}</p>
      <CopyValue value={secret} label={labels.secret} testId="app-reveal-secret" />
      <p className={s.note}>
        <FormattedMessage id="apps.reveal.expires" values={{ date: <FormattedDate value={expiresAt} dateStyle="long" /> }} />
      </p>
      <p className={s.note}>
        <FormattedMessage id="apps.reveal.usage" values={{ code: (chunks) => <code>{chunks}</code> }} />
      </p>
    </div>
  );
}

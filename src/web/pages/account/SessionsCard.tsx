import {
  Badge,
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client';
import type { Collection, MySession } from '../../api/types';
import { FormError, LoadError } from '../../components/FormError';
import { useLayoutStyles } from '../../components/layout';
import { usePartnerSession } from '../../session/PartnerSession';

const useStyles = makeStyles({
  head: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px', flexWrap: 'wrap' },
  lead: { margin: 0, color: tokens.colorNeutralForeground3 },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '640px' },
  device: { display: 'flex', flexDirection: 'column', gap: '2px', paddingBlock: '8px' },
  deviceName: { display: 'flex', alignItems: 'center', gap: '8px', fontWeight: tokens.fontWeightSemibold },
  ua: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase100, overflowWrap: 'anywhere', maxWidth: '360px' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

function DeviceName({ session }: { session: MySession }) {
  if (session.browser && session.os) return <FormattedMessage id="sessions.deviceOn" values={{ browser: session.browser, os: session.os }} />;
  if (session.browser ?? session.os) return <>{session.browser ?? session.os}</>;
  return <FormattedMessage id="sessions.unknownDevice" />;
}

/** My profile → Sessions: where I am signed in; end any session, or all the others. */
export function SessionsCard() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { can, signOut } = usePartnerSession();
  const [sessions, setSessions] = useState<MySession[] | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<'ended' | 'othersEnded' | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    setLoadError(null);
    api<Collection<MySession>>('/v1/me/sessions', { signal: ctl.signal }).then(
      (c) => setSessions(c.items),
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
      },
    );
    return () => ctl.abort();
  }, [reload]);

  async function end(session: MySession) {
    setBusy(session.id);
    setError(null);
    setNotice(null);
    try {
      await api<void>(`/v1/me/sessions/${encodeURIComponent(session.id)}`, { method: 'DELETE' });
      if (session.current) {
        await signOut();
        return;
      }
      setNotice('ended');
      setReload((n) => n + 1);
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    }
    setBusy(null);
  }

  async function endOthers() {
    setBusy('others');
    setError(null);
    setNotice(null);
    try {
      await api<void>('/v1/me/sessions', { method: 'DELETE' });
      setNotice('othersEnded');
      setReload((n) => n + 1);
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    }
    setBusy(null);
  }

  const manage = can('me.update');
  const others = (sessions ?? []).filter((x) => !x.current).length;

  return (
    <section className={l.card} aria-labelledby="profile-sessions" data-testid="profile-sessions">
      <div className={s.head}>
        <h2 id="profile-sessions" className={l.sectionTitle}>
          <FormattedMessage id="sessions.title" />
        </h2>
        {manage && others > 0 && (
          <Button onClick={() => void endOthers()} disabled={busy !== null} data-testid="sessions-end-others">
            <FormattedMessage id="sessions.endOthers" />
          </Button>
        )}
      </div>
      <p className={s.lead}>
        <FormattedMessage id="sessions.lead" />
      </p>
      {notice && (
        <MessageBar intent="success" data-testid="sessions-notice">
          <MessageBarBody>
            <FormattedMessage id={`sessions.${notice}`} />
          </MessageBarBody>
        </MessageBar>
      )}
      <FormError error={error} />
      {loadError && <LoadError error={loadError} />}
      {!sessions && !loadError && <Spinner size="tiny" label={intl.formatMessage({ id: 'common.loading' })} labelPosition="after" />}
      {sessions && (
        <div className={s.tableWrap}>
          <Table className={s.table} data-testid="sessions-table" aria-label={intl.formatMessage({ id: 'sessions.title' })}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: '38%' }}>
                  <FormattedMessage id="sessions.col.device" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '16%' }}>
                  <FormattedMessage id="sessions.col.ip" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '16%' }}>
                  <FormattedMessage id="sessions.col.signedIn" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '16%' }}>
                  <FormattedMessage id="sessions.col.lastActive" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '14%' }}>
                  <FormattedMessage id="sessions.col.actions" />
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sessions.map((x) => (
                <TableRow key={x.id} data-testid="sessions-row">
                  <TableCell>
                    <div className={s.device}>
                      <span className={s.deviceName}>
                        <DeviceName session={x} />
                        {x.current && (
                          <Badge appearance="tint" color="brand" shape="rounded" data-testid="sessions-current">
                            <FormattedMessage id="sessions.thisDevice" />
                          </Badge>
                        )}
                      </span>
                      {x.userAgent && <span className={s.ua}>{x.userAgent}</span>}
                    </div>
                  </TableCell>
                  <TableCell>
                    <span className={s.mono}>{x.ip ?? '—'}</span>
                  </TableCell>
                  <TableCell>
                    <FormattedDate value={x.createdAt} dateStyle="medium" timeStyle="short" />
                  </TableCell>
                  <TableCell>
                    <FormattedDate value={x.lastSeenAt} dateStyle="medium" timeStyle="short" />
                  </TableCell>
                  <TableCell>
                    {manage && (
                      <Button
                        size="small"
                        appearance={x.current ? 'secondary' : 'subtle'}
                        onClick={() => void end(x)}
                        disabled={busy !== null}
                        data-testid="sessions-end"
                        aria-label={intl.formatMessage({ id: x.current ? 'sessions.endCurrentAria' : 'sessions.endAria' })}
                      >
                        <FormattedMessage id="sessions.end" />
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}

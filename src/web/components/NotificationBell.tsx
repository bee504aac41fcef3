import { Button, CounterBadge, Popover, PopoverSurface, PopoverTrigger, Spinner, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import type { PartnerNotification } from '../api/types';

/** How often the badge re-reads the unread count (and on window focus). */
const POLL_MS = 60_000;
/** How many of the latest notifications the popover lists. */
const LATEST = 10;

const useStyles = makeStyles({
  trigger: {
    position: 'relative',
    minWidth: 'auto',
    width: '36px',
    height: '36px',
    padding: 0,
    borderRadius: tokens.borderRadiusCircular,
    color: tokens.colorNeutralForegroundOnBrand,
    ':hover': { backgroundColor: 'rgba(255,255,255,0.14)', color: tokens.colorNeutralForegroundOnBrand },
    ':hover:active': { backgroundColor: 'rgba(255,255,255,0.2)', color: tokens.colorNeutralForegroundOnBrand },
  },
  badge: { position: 'absolute', top: '1px', right: '0px', pointerEvents: 'none' },
  surface: { width: '380px', maxWidth: 'calc(100vw - 24px)', padding: 0 },
  head: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: '8px',
    padding: '12px 16px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  list: { listStyleType: 'none', margin: 0, padding: 0, maxHeight: '420px', overflowY: 'auto' },
  item: {
    display: 'flex',
    gap: '10px',
    width: '100%',
    textAlign: 'left',
    padding: '12px 16px',
    border: 'none',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    backgroundColor: 'transparent',
    cursor: 'pointer',
    font: 'inherit',
    color: tokens.colorNeutralForeground1,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  unread: { backgroundColor: tokens.colorBrandBackground2 },
  dot: { flexShrink: 0, width: '8px', height: '8px', marginTop: '6px', borderRadius: '50%' },
  dotUnread: { backgroundColor: tokens.colorBrandBackground },
  text: { display: 'flex', flexDirection: 'column', gap: '4px', minWidth: 0 },
  message: { fontSize: tokens.fontSizeBase300, overflowWrap: 'anywhere' },
  when: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  empty: { margin: 0, padding: '24px 16px', color: tokens.colorNeutralForeground3, textAlign: 'center' },
  center: { display: 'flex', justifyContent: 'center', padding: '24px' },
});

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M10 2a5.5 5.5 0 0 1 5.5 5.5v3.38l1.35 2.7A1 1 0 0 1 15.96 15H12.5a2.5 2.5 0 0 1-5 0H4.04a1 1 0 0 1-.9-1.42l1.36-2.7V7.5A5.5 5.5 0 0 1 10 2Zm1.5 13h-3a1.5 1.5 0 0 0 3 0ZM10 3a4.5 4.5 0 0 0-4.5 4.5V11a.5.5 0 0 1-.05.22L4.04 14h11.92l-1.41-2.78A.5.5 0 0 1 14.5 11V7.5A4.5 4.5 0 0 0 10 3Z"
      />
    </svg>
  );
}

/** The translated message of a notification: `notification.<kind>` with its params. */
function useNotificationText() {
  const intl = useIntl();
  return (n: PartnerNotification) => {
    const id = `notification.${n.kind}`;
    return intl.messages[id] ? intl.formatMessage({ id }, n.params) : intl.formatMessage({ id: 'bell.unknown' });
  };
}

/**
 * The bell in the top bar: the unread count as a badge (re-read every minute and when the
 * window regains focus), and a popover with the latest notifications, each linking to the
 * page that deals with it, and "Mark all read". Read state is the signed-in user's own.
 */
export function NotificationBell() {
  const s = useStyles();
  const intl = useIntl();
  const navigate = useNavigate();
  const text = useNotificationText();
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<PartnerNotification[] | null>(null);
  const [failed, setFailed] = useState(false);

  const refreshCount = useCallback(() => {
    api<{ unread: number }>('/v1/notifications/unreadcount').then(
      (r) => setUnread(r.unread),
      () => undefined,
    );
  }, []);

  useEffect(() => {
    refreshCount();
    const timer = window.setInterval(refreshCount, POLL_MS);
    const onFocus = () => refreshCount();
    window.addEventListener('focus', onFocus);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [refreshCount]);

  const loadList = useCallback(() => {
    setFailed(false);
    api<{ items: PartnerNotification[]; unread: number }>(`/v1/notifications?size=${LATEST}`).then(
      (r) => {
        setItems(r.items);
        setUnread(r.unread);
      },
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setFailed(true);
      },
    );
  }, []);

  useEffect(() => {
    if (open) loadList();
  }, [open, loadList]);

  async function openItem(n: PartnerNotification) {
    if (!n.read) {
      try {
        const r = await api<{ unread: number }>(`/v1/notifications/${encodeURIComponent(n.id)}/read`, { method: 'POST' });
        setUnread(r.unread);
      } catch {
        /* still follow the link */
      }
    }
    setOpen(false);
    if (n.link) navigate(n.link);
  }

  async function markAll() {
    try {
      const r = await api<{ unread: number }>('/v1/notifications/read', { method: 'POST' });
      setUnread(r.unread);
      setItems((list) => list?.map((n) => ({ ...n, read: true })) ?? list);
    } catch {
      /* the badge is re-read on the next poll */
    }
  }

  const label = intl.formatMessage({ id: 'bell.label' }, { count: unread });
  return (
    <Popover open={open} onOpenChange={(_, d) => setOpen(d.open)} positioning={{ position: 'below', align: 'end' }} trapFocus>
      <PopoverTrigger disableButtonEnhancement>
        <Button appearance="transparent" className={s.trigger} aria-label={label} title={label} data-testid="notification-bell">
          <BellIcon />
          {unread > 0 && <CounterBadge className={s.badge} count={unread} overflowCount={99} size="small" color="danger" data-testid="notification-badge" />}
        </Button>
      </PopoverTrigger>
      <PopoverSurface className={s.surface} aria-label={intl.formatMessage({ id: 'bell.title' })} data-testid="notification-popover">
        <div className={s.head}>
          <h2 className={s.title}>
            <FormattedMessage id="bell.title" />
          </h2>
          <Button size="small" appearance="subtle" disabled={unread === 0} onClick={() => void markAll()} data-testid="notification-mark-all">
            <FormattedMessage id="bell.markAllRead" />
          </Button>
        </div>
        {failed && (
          <p className={s.empty}>
            <FormattedMessage id="bell.failed" />
          </p>
        )}
        {!items && !failed && (
          <div className={s.center}>
            <Spinner size="small" label={intl.formatMessage({ id: 'common.loading' })} />
          </div>
        )}
        {items && items.length === 0 && (
          <p className={s.empty} data-testid="notification-empty">
            <FormattedMessage id="bell.empty" />
          </p>
        )}
        {items && items.length > 0 && (
          <ul className={s.list}>
            {items.map((n) => (
              <li key={n.id}>
                <button type="button" className={mergeClasses(s.item, !n.read && s.unread)} onClick={() => void openItem(n)} data-testid="notification-item">
                  <span className={mergeClasses(s.dot, !n.read && s.dotUnread)} aria-hidden="true" />
                  <span className={s.text}>
                    <span className={s.message}>
                      {!n.read && (
                        <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
                          <FormattedMessage id="bell.unreadItem" />
                        </span>
                      )}
                      {text(n)}
                    </span>
                    <span className={s.when}>
                      <FormattedDate value={n.createdAt} dateStyle="medium" timeStyle="short" />
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </PopoverSurface>
    </Popover>
  );
}

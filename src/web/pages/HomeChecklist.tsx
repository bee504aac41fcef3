import { MessageBar, MessageBarBody, MessageBarTitle, ProgressBar, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { api } from '../api/client';
import type { AccountChecklist } from '../api/types';
import { AppLink } from '../components/AppLink';
import { useLayoutStyles } from '../components/layout';

const useStyles = makeStyles({
  head: { display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: '12px', flexWrap: 'wrap' },
  progress: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase300 },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: '12px',
    paddingBlock: '10px',
    borderTop: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  mark: {
    flexShrink: 0,
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: '20px',
    height: '20px',
    borderRadius: '50%',
    border: `2px solid ${tokens.colorNeutralStroke1}`,
    boxSizing: 'border-box',
  },
  markDone: { backgroundColor: tokens.colorPaletteGreenBackground3, border: `2px solid ${tokens.colorPaletteGreenBackground3}`, color: tokens.colorNeutralForegroundOnBrand },
  label: { flexGrow: 1, minWidth: 0 },
  labelDone: { color: tokens.colorNeutralForeground3 },
  hint: { display: 'block', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  action: { flexShrink: 0, fontSize: tokens.fontSizeBase300 },
  state: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)' },
});

function Check() {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d="M2 6.2 4.8 9 10 3.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/**
 * Home → "Complete your company profile": what remains (GET /v1/account/checklist), each
 * item linking to the page that fixes it, and the reminder to settle tax exemptions before
 * adding customers (reference advice).
 */
export function HomeChecklist() {
  const s = useStyles();
  const l = useLayoutStyles();
  const [data, setData] = useState<AccountChecklist | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    // The checklist is a helper: if it cannot be read, Home simply shows without it.
    api<AccountChecklist>('/v1/account/checklist', { signal: ctl.signal }).then(setData, () => undefined);
    return () => ctl.abort();
  }, []);

  if (!data) return null;
  const taxPending = data.items.some((i) => i.id === 'taxSettled' && !i.done);
  return (
    <>
      {taxPending && (
        <MessageBar intent="warning" layout="multiline" data-testid="home-tax-reminder">
          <MessageBarBody>
            <MessageBarTitle>
              <FormattedMessage id="checklist.taxReminder.title" />
            </MessageBarTitle>
            <FormattedMessage id="checklist.taxReminder.text" />{' '}
            <AppLink to="/account/payout" inline data-testid="home-tax-reminder-link">
              <FormattedMessage id="checklist.taxReminder.link" />
            </AppLink>
          </MessageBarBody>
        </MessageBar>
      )}
      <section className={l.card} data-testid="home-checklist">
        <div className={s.head}>
          <h2 className={l.sectionTitle}>
            <FormattedMessage id={data.doneCount === data.totalCount ? 'checklist.titleDone' : 'checklist.title'} />
          </h2>
          <span className={s.progress} data-testid="home-checklist-progress">
            <FormattedMessage id="checklist.progress" values={{ done: data.doneCount, total: data.totalCount }} />
          </span>
        </div>
        <ProgressBar value={data.doneCount} max={data.totalCount} thickness="large" color={data.doneCount === data.totalCount ? 'success' : 'brand'} />
        <ul className={s.list}>
          {data.items.map((item) => (
            <li key={item.id} className={s.item} data-testid={`checklist-${item.id}`} data-done={item.done}>
              <span className={mergeClasses(s.mark, item.done && s.markDone)} aria-hidden="true">
                {item.done && <Check />}
              </span>
              <span className={mergeClasses(s.label, item.done && s.labelDone)}>
                <span className={s.state}>
                  <FormattedMessage id={item.done ? 'checklist.stateDone' : 'checklist.stateTodo'} />
                </span>
                <FormattedMessage id={`checklist.item.${item.id}`} />
                {!item.done && (
                  <span className={s.hint}>
                    <FormattedMessage id={`checklist.item.${item.id}.hint`} />
                  </span>
                )}
              </span>
              <AppLink to={item.link} className={s.action} data-testid={`checklist-${item.id}-link`}>
                <FormattedMessage id={item.done ? 'checklist.view' : 'checklist.fix'} />
              </AppLink>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import { Outlet } from 'react-router-dom';
import { Brand } from './Brand';
import { LanguageSwitch } from './LanguageSwitch';
import { TopBar } from './TopBar';
import { useLayoutStyles } from './layout';

const useStyles = makeStyles({
  content: {
    flexGrow: 1,
    display: 'flex',
    justifyContent: 'center',
    alignItems: 'flex-start',
    paddingBlock: '48px',
    paddingInline: '16px',
  },
  footer: {
    textAlign: 'center',
    padding: '16px',
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
  },
});

/** Sign-in, enrolment and verification: the bar with the language switch, a centred panel. */
export function PublicLayout({ children, brand }: { children?: ReactNode; brand?: ReactNode }) {
  const l = useLayoutStyles();
  const s = useStyles();
  return (
    <div className={l.app}>
      <TopBar brand={brand ?? <Brand to="/" />} end={<LanguageSwitch />} />
      <main className={s.content}>{children ?? <Outlet />}</main>
      <footer className={s.footer}>
        <FormattedMessage id="footer.note" />
      </footer>
    </div>
  );
}

export const usePanelStyles = makeStyles({
  panel: {
    width: '100%',
    maxWidth: '440px',
    boxSizing: 'border-box',
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusXLarge,
    boxShadow: tokens.shadow8,
    padding: '36px 40px',
    display: 'flex',
    flexDirection: 'column',
    gap: '20px',
  },
  wide: { maxWidth: '760px' },
  heading: { display: 'flex', flexDirection: 'column', gap: '6px' },
  title: {
    margin: 0,
    fontSize: tokens.fontSizeBase600,
    lineHeight: tokens.lineHeightBase600,
    fontWeight: tokens.fontWeightSemibold,
  },
  lead: { margin: 0, color: tokens.colorNeutralForeground2 },
  form: { display: 'flex', flexDirection: 'column', gap: '16px' },
  actions: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap', marginTop: '4px' },
  links: {
    display: 'flex',
    flexDirection: 'column',
    gap: '8px',
    paddingTop: '16px',
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
});

import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';

const useStyles = makeStyles({
  bar: {
    position: 'sticky',
    top: 0,
    zIndex: 10,
    display: 'flex',
    alignItems: 'center',
    gap: '24px',
    height: '48px',
    paddingInline: '20px',
    backgroundColor: '#1b1a19',
    color: tokens.colorNeutralForegroundOnBrand,
    boxShadow: tokens.shadow4,
  },
  nav: {
    display: 'flex',
    alignItems: 'stretch',
    height: '100%',
    minWidth: 0,
    flexGrow: 1,
    overflowX: 'auto',
    scrollbarWidth: 'none',
  },
  end: {
    display: 'flex',
    alignItems: 'center',
    gap: '8px',
    marginLeft: 'auto',
    flexShrink: 0,
  },
});

/** The dark Partner Center-style bar: brand on the left, navigation, account at the far right. */
export function TopBar({ brand, nav, end }: { brand: ReactNode; nav?: ReactNode; end?: ReactNode }) {
  const s = useStyles();
  const intl = useIntl();
  return (
    <header className={s.bar}>
      {brand}
      {nav ? (
        <nav className={s.nav} aria-label={intl.formatMessage({ id: 'nav.workspaces' })}>
          {nav}
        </nav>
      ) : (
        <div className={s.nav} />
      )}
      <div className={s.end}>{end}</div>
    </header>
  );
}

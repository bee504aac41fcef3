import { Spinner, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';

export const useLayoutStyles = makeStyles({
  app: {
    minHeight: '100vh',
    display: 'flex',
    flexDirection: 'column',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  main: {
    flexGrow: 1,
    display: 'flex',
    flexDirection: 'column',
    minWidth: 0,
  },
  page: {
    width: '100%',
    maxWidth: '1120px',
    boxSizing: 'border-box',
    paddingBlock: '28px 48px',
    paddingInline: '32px',
    display: 'flex',
    flexDirection: 'column',
    gap: '20px',
    marginInline: 'auto',
  },
  wide: { maxWidth: '1440px' },
  header: { display: 'flex', flexDirection: 'column', gap: '4px' },
  title: {
    margin: 0,
    fontSize: tokens.fontSizeHero700,
    lineHeight: tokens.lineHeightHero700,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground1,
  },
  subtitle: { margin: 0, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase300 },
  card: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    padding: '24px',
    display: 'flex',
    flexDirection: 'column',
    gap: '16px',
  },
  sectionTitle: {
    margin: 0,
    fontSize: tokens.fontSizeBase400,
    lineHeight: tokens.lineHeightBase400,
    fontWeight: tokens.fontWeightSemibold,
  },
  center: { display: 'flex', justifyContent: 'center', alignItems: 'center', padding: '64px' },
});

/** A page of the signed-in app: a title, an optional subtitle, then the content. */
export function Page({ title, subtitle, actions, wide, children }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; wide?: boolean; children?: ReactNode }) {
  const s = useLayoutStyles();
  return (
    <div className={mergeClasses(s.page, wide && s.wide)}>
      <div className={s.header} style={actions ? { flexDirection: 'row', alignItems: 'flex-end', justifyContent: 'space-between', gap: '16px' } : undefined}>
        <div className={s.header}>
          <h1 className={s.title}>{title}</h1>
          {subtitle && <p className={s.subtitle}>{subtitle}</p>}
        </div>
        {actions}
      </div>
      {children}
    </div>
  );
}

export function Loading() {
  const s = useLayoutStyles();
  const intl = useIntl();
  return (
    <div className={s.center}>
      <Spinner label={intl.formatMessage({ id: 'common.loading' })} />
    </div>
  );
}

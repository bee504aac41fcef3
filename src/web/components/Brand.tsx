import { makeStyles, tokens } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router-dom';

const useStyles = makeStyles({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: '10px',
    color: tokens.colorNeutralForegroundOnBrand,
    textDecorationLine: 'none',
    flexShrink: 0,
    height: '100%',
    ':focus-visible': { outline: `2px solid ${tokens.colorNeutralForegroundOnBrand}`, outlineOffset: '2px' },
  },
  name: {
    fontSize: tokens.fontSizeBase400,
    fontWeight: tokens.fontWeightSemibold,
    whiteSpace: 'nowrap',
  },
  divider: {
    width: '1px',
    height: '20px',
    backgroundColor: 'rgba(255,255,255,0.35)',
  },
  sub: {
    fontSize: tokens.fontSizeBase300,
    whiteSpace: 'nowrap',
    color: tokens.colorNeutralForegroundInverted2,
  },
});

export function Logo({ size = 22 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="2" y="2" width="13" height="13" rx="2" fill="#4f9fe8" />
      <rect x="17" y="2" width="13" height="13" rx="2" fill="#8cc4f5" />
      <rect x="2" y="17" width="13" height="13" rx="2" fill="#8cc4f5" />
      <rect x="17" y="17" width="13" height="13" rx="2" fill="#cfe6fb" />
    </svg>
  );
}

/** "Partner Space" with its logo, linking home; `subtitleId` adds e.g. "Operator console". */
export function Brand({ to, subtitleId }: { to: string; subtitleId?: string }) {
  const s = useStyles();
  return (
    <Link to={to} className={s.root}>
      <Logo />
      <span className={s.name}>
        <FormattedMessage id="app.name" />
      </span>
      {subtitleId && (
        <>
          <span className={s.divider} aria-hidden="true" />
          <span className={s.sub}>
            <FormattedMessage id={subtitleId} />
          </span>
        </>
      )}
    </Link>
  );
}

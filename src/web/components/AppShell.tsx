import { MenuItem, makeStyles, tokens } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { seesWorkspace, WORKSPACES } from '../../shared/permissions';
import type { ApiError } from '../api/client';
import { useLocale } from '../i18n/LocaleProvider';
import { PartnerSessionProvider, usePartnerSession } from '../session/PartnerSession';
import { AccountMenu, useFullName } from './AccountMenu';
import { Brand } from './Brand';
import { LoadFallback } from './LoadFallback';
import { NotificationBell } from './NotificationBell';
import { useLayoutStyles } from './layout';
import { TopBar } from './TopBar';

const useStyles = makeStyles({
  link: {
    display: 'flex',
    alignItems: 'center',
    paddingInline: '12px',
    whiteSpace: 'nowrap',
    color: tokens.colorNeutralForegroundInverted2,
    textDecorationLine: 'none',
    fontSize: tokens.fontSizeBase300,
    borderBottom: '3px solid transparent',
    borderTop: '3px solid transparent',
    ':hover': { color: tokens.colorNeutralForegroundOnBrand, backgroundColor: 'rgba(255,255,255,0.08)' },
    ':focus-visible': { outline: `2px solid ${tokens.colorNeutralForegroundOnBrand}`, outlineOffset: '-4px' },
  },
  active: {
    color: tokens.colorNeutralForegroundOnBrand,
    fontWeight: tokens.fontWeightSemibold,
    borderBottomColor: '#4f9fe8',
  },
});

function WorkspaceNav() {
  const s = useStyles();
  const { can } = usePartnerSession();
  return (
    <>
      {WORKSPACES.filter((w) => seesWorkspace(w, can)).map((w) => (
        <NavLink key={w.id} to={w.path} end={w.path === '/'} className={({ isActive }) => (isActive ? `${s.link} ${s.active}` : s.link)} data-testid={`nav-${w.id}`}>
          <FormattedMessage id={`workspace.${w.id}`} />
        </NavLink>
      ))}
    </>
  );
}

function PartnerAccountMenu() {
  const { me, changeLocale, signOut } = usePartnerSession();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const name = useFullName(me.user.firstName, me.user.lastName) || me.user.email;
  return (
    <AccountMenu
      name={name}
      email={me.user.email}
      organisation={me.partner.companyName}
      locale={locale}
      onLocale={(l) => void changeLocale(l)}
      onSignOut={() => void signOut()}
      items={
        <>
          <MenuItem onClick={() => navigate('/account/profile')} data-testid="menu-my-profile">
            <FormattedMessage id="menu.myProfile" />
          </MenuItem>
          <MenuItem onClick={() => navigate('/account/overview')} data-testid="menu-account-settings">
            <FormattedMessage id="menu.accountSettings" />
          </MenuItem>
        </>
      }
    />
  );
}

/** The signed-in partner app: loads /v1/me, then the top bar and the current page. */
export function AppShell() {
  const l = useLayoutStyles();
  const fallback = (error: ApiError | null, retry: () => void) => (
    <div className={l.app}>
      <TopBar brand={<Brand to="/" />} />
      <LoadFallback error={error && !error.isAuthFailure ? error : null} retry={retry} />
    </div>
  );
  return (
    <PartnerSessionProvider fallback={fallback}>
      <div className={l.app}>
        <TopBar brand={<Brand to="/" />} nav={<WorkspaceNav />} end={
            <>
              <NotificationBell />
              <PartnerAccountMenu />
            </>
          }
        />
        <main className={l.main}>
          <Outlet />
        </main>
      </div>
    </PartnerSessionProvider>
  );
}

import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { lazy, Suspense, type ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Navigate, NavLink, Route, Routes } from 'react-router-dom';
import { ACCOUNT_SETTINGS_PAGES } from '../../../shared/permissions';
import { NotFoundPage, NoAccess } from '../Workspace';
import { usePartnerSession } from '../../session/PartnerSession';
import { LegalInfoPage } from './LegalInfo';
import { OverviewPage } from './Overview';
import { Loading } from '../../components/layout';

const UserManagement = lazy(() => import('./users/UserManagement'));
const ActivityLogPage = lazy(() => import('./ActivityLog'));
const AppManagementPage = lazy(() => import('./apps/AppManagement'));
const LocationsPage = lazy(() => import('./Locations'));
const PayoutPage = lazy(() => import('./payout/PayoutPage'));

type PageId = (typeof ACCOUNT_SETTINGS_PAGES)[number]['id'];

const useStyles = makeStyles({
  layout: { display: 'flex', flexGrow: 1, minHeight: 0, alignItems: 'stretch' },
  pane: {
    width: '248px',
    flexShrink: 0,
    boxSizing: 'border-box',
    backgroundColor: tokens.colorNeutralBackground1,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    paddingBlock: '20px',
  },
  paneTitle: {
    margin: 0,
    paddingInline: '20px',
    paddingBottom: '12px',
    fontSize: tokens.fontSizeBase400,
    fontWeight: tokens.fontWeightSemibold,
  },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  link: {
    position: 'relative',
    display: 'block',
    paddingBlock: '9px',
    paddingInline: '20px',
    color: tokens.colorNeutralForeground2,
    textDecorationLine: 'none',
    fontSize: tokens.fontSizeBase300,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover, color: tokens.colorNeutralForeground1 },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  active: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    color: tokens.colorNeutralForeground1,
    fontWeight: tokens.fontWeightSemibold,
    '::before': {
      content: '""',
      position: 'absolute',
      left: 0,
      top: '6px',
      bottom: '6px',
      width: '3px',
      borderRadius: '2px',
      backgroundColor: tokens.colorBrandBackground,
    },
  },
  content: { flexGrow: 1, minWidth: 0 },
});

const PATHS: Record<PageId, string> = { overview: 'overview', legal: 'legal', users: 'users', activity: 'activity', apps: 'apps', locations: 'locations', payout: 'payout' };

/** Account settings: its own left-hand pane and pages (lazy-loaded). */
export default function AccountSettings() {
  const s = useStyles();
  const intl = useIntl();
  const { can } = usePartnerSession();
  const pages = ACCOUNT_SETTINGS_PAGES.filter((p) => can(p.permission));
  const allowed = (id: PageId) => pages.some((p) => p.id === id);
  const guard = (id: PageId, el: ReactNode) => (allowed(id) ? el : <NoAccess />);

  return (
    <div className={s.layout}>
      <nav className={s.pane} aria-label={intl.formatMessage({ id: 'account.title' })} data-testid="account-nav">
        <h2 className={s.paneTitle}>
          <FormattedMessage id="account.title" />
        </h2>
        <ul className={s.list}>
          {pages.map((p) => (
            <li key={p.id}>
              <NavLink to={`/account/${PATHS[p.id]}`} className={({ isActive }) => mergeClasses(s.link, isActive && s.active)} data-testid={`account-nav-${p.id}`}>
                <FormattedMessage id={`account.${p.id}`} />
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className={s.content}>
        <Routes>
          <Route index element={<Navigate to="overview" replace />} />
          <Route path="overview" element={guard('overview', <OverviewPage />)} />
          <Route path="legal" element={guard('legal', <LegalInfoPage />)} />
          <Route
            path="users/*"
            element={guard(
              'users',
              <Suspense fallback={<Loading />}>
                <UserManagement />
              </Suspense>,
            )}
          />
          <Route
            path="activity"
            element={guard(
              'activity',
              <Suspense fallback={<Loading />}>
                <ActivityLogPage />
              </Suspense>,
            )}
          />
          <Route
            path="locations"
            element={guard(
              'locations',
              <Suspense fallback={<Loading />}>
                <LocationsPage />
              </Suspense>,
            )}
          />
          <Route
            path="payout"
            element={guard(
              'payout',
              <Suspense fallback={<Loading />}>
                <PayoutPage />
              </Suspense>,
            )}
          />
          <Route
            path="apps"
            element={guard(
              'apps',
              <Suspense fallback={<Loading />}>
                <AppManagementPage />
              </Suspense>,
            )}
          />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </div>
    </div>
  );
}

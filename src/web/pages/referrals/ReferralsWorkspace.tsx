import { makeStyles, Tab, TabList } from '@fluentui/react-components';
import { lazy, Suspense } from 'react';
import { FormattedMessage } from 'react-intl';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Loading } from '../../components/layout';
import { usePartnerSession } from '../../session/PartnerSession';

const BusinessProfiles = lazy(() => import('./BusinessProfiles'));
const Leads = lazy(() => import('./Leads'));

// The tabs line up with the inbox's content column (components/layout.tsx, wide page: 1440 px, 32 px padding; a tab pads itself by 10 px).
const useStyles = makeStyles({
  tabs: { width: '100%', maxWidth: '1440px', boxSizing: 'border-box', marginInline: 'auto', paddingInline: '22px', paddingTop: '12px' },
});

/** Referrals: the company's business profiles (what the directory shows) and the leads they bring. */
export default function ReferralsWorkspace() {
  const s = useStyles();
  const { can } = usePartnerSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const tabs = [
    ...(can('referrals.read') ? [{ id: 'leads', path: '/referrals/leads' }] : []),
    ...(can('businessprofile.read') ? [{ id: 'profiles', path: '/referrals/profiles' }] : []),
  ];
  const selected = tabs.find((t) => pathname.startsWith(t.path))?.id ?? tabs[0]?.id;
  return (
    <>
      <TabList className={s.tabs} selectedValue={selected} onTabSelect={(_, d) => navigate(tabs.find((t) => t.id === d.value)!.path)}>
        {tabs.map((t) => (
          <Tab key={t.id} value={t.id} data-testid={`referrals-tab-${t.id}`}>
            <FormattedMessage id={`referrals.tab.${t.id}`} />
          </Tab>
        ))}
      </TabList>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route index element={tabs[0] ? <Navigate to={tabs[0].path} replace /> : null} />
          <Route path="leads/*" element={<Leads />} />
          <Route path="profiles/*" element={<BusinessProfiles />} />
        </Routes>
      </Suspense>
    </>
  );
}

import { Tab, TabList } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { useSearchParams } from 'react-router-dom';
import { Page } from '../../components/layout';
import { usePartnerSession } from '../../session/PartnerSession';
import { LegalTab } from './legal/LegalTab';
import { BillingTab, IdentifiersTab, OrganizationTab, SecurityContactTab, SupportTab } from './legal/ProfileTabs';

export function isWebUrl(v: string | null | undefined): v is string {
  return typeof v === 'string' && /^https?:\/\//i.test(v);
}

const TABS = [
  { id: 'legal', permission: 'legal.read' },
  { id: 'billing', permission: 'billingprofile.read' },
  { id: 'organization', permission: 'legal.read' },
  { id: 'support', permission: 'legal.read' },
  { id: 'securitycontact', permission: 'legal.read' },
  { id: 'identifiers', permission: 'legal.read' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/** Account settings → Legal info: the company's profiles, one tab each (the tab is in the URL: ?tab=billing). */
export function LegalInfoPage() {
  const { can } = usePartnerSession();
  const [params, setParams] = useSearchParams();
  const tabs = TABS.filter((t) => can(t.permission));
  const wanted = params.get('tab');
  const current: TabId = tabs.find((t) => t.id === wanted)?.id ?? tabs[0]?.id ?? 'legal';

  return (
    <Page title={<FormattedMessage id="account.legal" />} subtitle={<FormattedMessage id="legal.lead" />}>
      <TabList selectedValue={current} onTabSelect={(_, d) => setParams({ tab: String(d.value) }, { replace: true })} data-testid="legal-tabs">
        {tabs.map((t) => (
          <Tab key={t.id} value={t.id} data-testid={`legal-tab-${t.id}`}>
            <FormattedMessage id={`legal.tab.${t.id}`} />
          </Tab>
        ))}
      </TabList>
      {current === 'legal' && <LegalTab />}
      {current === 'billing' && <BillingTab />}
      {current === 'organization' && <OrganizationTab />}
      {current === 'support' && <SupportTab />}
      {current === 'securitycontact' && <SecurityContactTab />}
      {current === 'identifiers' && <IdentifiersTab />}
    </Page>
  );
}

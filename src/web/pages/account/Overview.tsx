import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import { PARTNER_PERMISSIONS } from '../../../shared/permissions';
import { AppLink } from '../../components/AppLink';
import { Facts } from '../../components/Facts';
import { Page, useLayoutStyles } from '../../components/layout';
import { countryName, currencyName } from '../../components/regions';
import { RolePills } from '../../components/RolePills';
import { StatusBadge } from '../../components/StatusBadge';
import { useFullName } from '../../components/AccountMenu';
import { usePartnerSession } from '../../session/PartnerSession';
import { SecuritySettingsCard } from './SecuritySettings';

const useStyles = makeStyles({
  cardHead: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px', flexWrap: 'wrap' },
  perms: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  perm: {
    display: 'flex',
    alignItems: 'baseline',
    justifyContent: 'space-between',
    gap: '16px',
    paddingBlock: '7px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  permId: {
    flexShrink: 0,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase100,
    color: tokens.colorNeutralForeground3,
  },
  permCount: { color: tokens.colorNeutralForeground3, margin: 0, marginBottom: '8px' },
  surface: { maxWidth: '640px' },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function OverviewPage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { me, can } = usePartnerSession();
  const locale = intl.locale;
  const name = useFullName(me.user.firstName, me.user.lastName);
  const known = (p: string) => intl.messages[`permission.${p}`] !== undefined;
  // In the registry's order (account first, then the workspaces), unknown ones last.
  const rank = (p: string) => {
    const i = (PARTNER_PERMISSIONS as readonly string[]).indexOf(p);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const ordered = [...me.permissions].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

  return (
    <Page title={<FormattedMessage id="account.overview" />} subtitle={<FormattedMessage id="overview.lead" />}>
      <section className={l.card} aria-labelledby="ov-company">
        <h2 id="ov-company" className={l.sectionTitle}>
          <FormattedMessage id="overview.company" />
        </h2>
        <Facts
          items={[
            { key: 'name', label: <FormattedMessage id="overview.companyName" />, value: me.partner.companyName, testId: 'overview-company' },
            { key: 'country', label: <FormattedMessage id="overview.country" />, value: countryName(locale, me.partner.country) },
            {
              key: 'currency',
              label: <FormattedMessage id="overview.currency" />,
              value: <FormattedMessage id="overview.currencyValue" values={{ code: me.partner.currency, name: currencyName(locale, me.partner.currency) }} />,
            },
            { key: 'status', label: <FormattedMessage id="overview.status" />, value: <StatusBadge status={me.partner.status} /> },
          ]}
        />
        <span className={s.muted}>
          <AppLink to="/account/legal">
            <FormattedMessage id="overview.seeLegal" />
          </AppLink>
        </span>
      </section>

      <section className={l.card} aria-labelledby="ov-access">
        <div className={s.cardHead}>
          <h2 id="ov-access" className={l.sectionTitle}>
            <FormattedMessage id="overview.access" />
          </h2>
          <Dialog>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="secondary" data-testid="view-permissions">
                <FormattedMessage id="overview.viewPermissions" />
              </Button>
            </DialogTrigger>
            <DialogSurface className={s.surface}>
              <DialogBody>
                <DialogTitle>
                  <FormattedMessage id="overview.permissionsTitle" />
                </DialogTitle>
                <DialogContent>
                  <p className={s.permCount}>
                    <FormattedMessage id="overview.permissionsLead" values={{ count: me.permissions.length }} />
                  </p>
                  <ul className={s.perms} data-testid="permissions-list">
                    {ordered.map((p) => (
                      <li key={p} className={s.perm}>
                        <span>{known(p) ? <FormattedMessage id={`permission.${p}`} /> : p}</span>
                        <code className={s.permId}>{p}</code>
                      </li>
                    ))}
                  </ul>
                </DialogContent>
                <DialogActions>
                  <DialogTrigger disableButtonEnhancement>
                    <Button appearance="primary">
                      <FormattedMessage id="common.close" />
                    </Button>
                  </DialogTrigger>
                </DialogActions>
              </DialogBody>
            </DialogSurface>
          </Dialog>
        </div>
        <Facts
          items={[
            { key: 'user', label: <FormattedMessage id="overview.user" />, value: name },
            { key: 'email', label: <FormattedMessage id="overview.email" />, value: me.user.email },
            {
              key: 'roles',
              label: <FormattedMessage id="overview.roles" />,
              value: <RolePills roles={me.roles} testId="overview-roles" />,
            },
          ]}
        />
      </section>
      {can('security.manage') && <SecuritySettingsCard />}
    </Page>
  );
}

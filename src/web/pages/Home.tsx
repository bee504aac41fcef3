import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router-dom';
import { seesWorkspace, WORKSPACES } from '../../shared/permissions';
import { Page, useLayoutStyles } from '../components/layout';
import { StatusBadge } from '../components/StatusBadge';
import { usePartnerSession } from '../session/PartnerSession';
import { HomeChecklist } from './HomeChecklist';

const useStyles = makeStyles({
  hero: {
    display: 'flex',
    flexDirection: 'row',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: '16px',
    flexWrap: 'wrap',
  },
  company: { display: 'flex', flexDirection: 'column', gap: '6px' },
  companyLabel: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  companyName: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))',
    gap: '16px',
  },
  tile: {
    display: 'flex',
    flexDirection: 'column',
    gap: '6px',
    padding: '18px 20px',
    minHeight: '88px',
    boxSizing: 'border-box',
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    color: tokens.colorNeutralForeground1,
    textDecorationLine: 'none',
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
    transitionProperty: 'box-shadow',
    transitionDuration: tokens.durationFaster,
    ':hover': { boxShadow: tokens.shadow16 },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '2px' },
  },
  tileTitle: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, color: tokens.colorBrandForeground1 },
  tileText: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  pending: {
    margin: 0,
    color: tokens.colorNeutralForeground2,
  },
});

function Tile({ to, titleId, textId }: { to: string; titleId: string; textId: string }) {
  const s = useStyles();
  return (
    <Link to={to} className={s.tile}>
      <span className={s.tileTitle}>
        <FormattedMessage id={titleId} />
      </span>
      <span className={s.tileText}>
        <FormattedMessage id={textId} />
      </span>
    </Link>
  );
}

export function HomePage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const { me, can } = usePartnerSession();
  const tiles: ReactNode[] = [
    <Tile key="account" to="/account/overview" titleId="home.link.accountSettings" textId="home.link.accountSettings.text" />,
    <Tile key="profile" to="/account/profile" titleId="home.link.profile" textId="home.link.profile.text" />,
  ];
  if (can('legal.read')) tiles.push(<Tile key="legal" to="/account/legal" titleId="home.link.legal" textId="home.link.legal.text" />);
  for (const w of WORKSPACES) {
    if (w.id !== 'home' && seesWorkspace(w, can)) tiles.push(<Tile key={w.id} to={w.path} titleId={`workspace.${w.id}`} textId={`workspace.${w.id}.text`} />);
  }
  return (
    <Page title={<FormattedMessage id="home.welcome" values={{ firstName: me.user.firstName }} />} subtitle={<FormattedMessage id="home.lead" />}>
      <div className={l.card}>
        <div className={s.hero}>
          <div className={s.company}>
            <span className={s.companyLabel}>
              <FormattedMessage id="home.company" />
            </span>
            <span className={s.companyName} data-testid="home-company">
              {me.partner.companyName}
              <StatusBadge status={me.partner.status} />
            </span>
          </div>
        </div>
        {me.partner.status === 'pending_verification' && (
          <p className={s.pending}>
            <FormattedMessage id="home.pendingNote" />
          </p>
        )}
        {me.partner.status === 'rejected' && (
          <p className={s.pending}>
            <FormattedMessage id="home.rejectedNote" />
          </p>
        )}
      </div>
      <HomeChecklist />
      <h2 className={l.sectionTitle}>
        <FormattedMessage id="home.quickLinks" />
      </h2>
      <div className={s.grid}>{tiles}</div>
    </Page>
  );
}

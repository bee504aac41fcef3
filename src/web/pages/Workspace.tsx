import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { seesWorkspace, WORKSPACES } from '../../shared/permissions';
import { AppLink } from '../components/AppLink';
import { Page, useLayoutStyles } from '../components/layout';
import { usePartnerSession } from '../session/PartnerSession';

type WorkspaceId = (typeof WORKSPACES)[number]['id'];

/** A workspace that is not built yet: its title and a note (or a refusal without the permission). */
export function WorkspacePage({ id }: { id: WorkspaceId }) {
  const l = useLayoutStyles();
  const { can } = usePartnerSession();
  const ws = WORKSPACES.find((w) => w.id === id);
  if (!ws || !seesWorkspace(ws, can)) return <NoAccess />;
  return (
    <Page title={<FormattedMessage id={`workspace.${id}`} />} subtitle={<FormattedMessage id={`workspace.${id}.text`} />}>
      <div className={l.card}>
        <MessageBar intent="info">
          <MessageBarBody>
            <FormattedMessage id="workspace.comingSoon" />
          </MessageBarBody>
        </MessageBar>
      </div>
    </Page>
  );
}

export function NoAccess() {
  return (
    <Page title={<FormattedMessage id="noAccess.title" />}>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <FormattedMessage id="noAccess.text" />
        </MessageBarBody>
      </MessageBar>
      <div>
        <AppLink to="/">
          <FormattedMessage id="notFound.home" />
        </AppLink>
      </div>
    </Page>
  );
}

export function NotFoundPage() {
  return (
    <Page title={<FormattedMessage id="notFound.title" />} subtitle={<FormattedMessage id="notFound.text" />}>
      <div>
        <AppLink to="/">
          <FormattedMessage id="notFound.home" />
        </AppLink>
      </div>
    </Page>
  );
}

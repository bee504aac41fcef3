import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { Page, useLayoutStyles } from '../../components/layout';

/** User management, Activity log, App management: they arrive with the users-and-roles release. */
export function LaterPage({ id }: { id: 'users' | 'activity' | 'apps' }) {
  const l = useLayoutStyles();
  return (
    <Page title={<FormattedMessage id={`account.${id}`} />} subtitle={<FormattedMessage id={`account.${id}.text`} />}>
      <div className={l.card}>
        <MessageBar intent="info">
          <MessageBarBody>
            <FormattedMessage id="account.laterNote" />
          </MessageBarBody>
        </MessageBar>
      </div>
    </Page>
  );
}

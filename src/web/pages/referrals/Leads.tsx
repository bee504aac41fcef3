import { FormattedMessage } from 'react-intl';

// Skeleton: this page is being written.
export default function Leads() {
  return <FormattedMessage id="workspace.comingSoon" />;
}

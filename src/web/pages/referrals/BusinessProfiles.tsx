import { FormattedMessage } from 'react-intl';

// Skeleton: this page is being written.
export default function BusinessProfiles() {
  return <FormattedMessage id="workspace.comingSoon" />;
}

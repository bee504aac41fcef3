import { FormattedMessage } from 'react-intl';

// Skeleton: this page is being written.
export default function CatalogPage() {
  return <FormattedMessage id="workspace.comingSoon" />;
}

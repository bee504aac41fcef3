import { FormattedMessage } from 'react-intl';

// Skeleton: this page is being written.
export default function CatalogImports() {
  return <FormattedMessage id="workspace.comingSoon" />;
}

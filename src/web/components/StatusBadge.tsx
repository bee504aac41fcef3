import { Badge } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';

const COLORS: Record<string, 'warning' | 'success' | 'danger' | 'informative'> = {
  pending_verification: 'warning',
  authorized: 'success',
  rejected: 'danger',
};

/** A partner's programme status, translated. */
export function StatusBadge({ status, size = 'medium' }: { status: string; size?: 'small' | 'medium' | 'large' }) {
  const known = status in COLORS;
  return (
    <Badge appearance="tint" color={COLORS[status] ?? 'informative'} size={size} shape="rounded">
      {known ? <FormattedMessage id={`status.${status}`} /> : status}
    </Badge>
  );
}

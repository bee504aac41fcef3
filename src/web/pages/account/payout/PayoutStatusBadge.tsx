import { Badge } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';

const COLORS: Record<string, 'warning' | 'success' | 'danger' | 'informative'> = {
  pending_validation: 'warning',
  submitted: 'warning',
  approved: 'success',
  action_required: 'danger',
  rejected: 'danger',
};

/** The review status of a bank profile or a tax exemption, translated. */
export function PayoutStatusBadge({ status }: { status: string }) {
  return (
    <Badge appearance="tint" color={COLORS[status] ?? 'informative'} shape="rounded" data-testid="payout-status">
      <FormattedMessage id={`payout.status.${status}`} />
    </Badge>
  );
}

import { Button, makeStyles } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import type { ApiError } from '../api/client';
import { LoadError } from './FormError';
import { Loading } from './layout';

const useStyles = makeStyles({
  retry: { display: 'flex', flexDirection: 'column', gap: '12px', alignItems: 'flex-start', padding: '32px', maxWidth: '640px' },
});

/** While a session loads: a spinner, or the error with a retry button. */
export function LoadFallback({ error, retry }: { error: ApiError | null; retry: () => void }) {
  const s = useStyles();
  if (!error) return <Loading />;
  return (
    <div className={s.retry}>
      <LoadError error={error} />
      <Button onClick={retry}>
        <FormattedMessage id="common.retry" />
      </Button>
    </div>
  );
}

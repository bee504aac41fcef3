import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';

const useStyles = makeStyles({
  paging: { display: 'flex', alignItems: 'center', gap: '8px', justifyContent: 'flex-end' },
  pageNo: { color: tokens.colorNeutralForeground3, marginRight: 'auto' },
});

/** The footer of a keyset-paged list (see useKeysetList): page number, First page, Next page. */
export function ListPager({ list, testIdPrefix }: { list: { page: number; hasNext: boolean; loading: boolean; first: () => void; next: () => void }; testIdPrefix: string }) {
  const s = useStyles();
  return (
    <div className={s.paging}>
      <span className={s.pageNo}>
        <FormattedMessage id="list.page" values={{ page: list.page }} />
      </span>
      <Button disabled={list.page === 1} onClick={list.first} data-testid={`${testIdPrefix}-first-page`}>
        <FormattedMessage id="list.first" />
      </Button>
      <Button appearance="primary" disabled={!list.hasNext || list.loading} onClick={list.next} data-testid={`${testIdPrefix}-next-page`}>
        <FormattedMessage id="list.next" />
      </Button>
    </div>
  );
}

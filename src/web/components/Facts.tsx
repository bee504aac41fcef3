import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gridTemplateColumns: 'minmax(160px, 220px) 1fr',
    columnGap: 0,
    rowGap: '0',
    margin: 0,
  },
  term: {
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase300,
    paddingBlock: '10px',
    paddingRight: '24px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  value: {
    margin: 0,
    color: tokens.colorNeutralForeground1,
    fontSize: tokens.fontSizeBase300,
    paddingBlock: '10px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
  empty: { color: tokens.colorNeutralForeground4 },
});

export interface Fact {
  key: string;
  label: ReactNode;
  value: ReactNode;
  testId?: string;
}

/** A read-only list of label / value pairs (a <dl>). */
export function Facts({ items }: { items: Fact[] }) {
  const s = useStyles();
  return (
    <dl className={s.list}>
      {items.map((f) => (
        <div key={f.key} style={{ display: 'contents' }}>
          <dt className={s.term}>{f.label}</dt>
          <dd className={s.value} data-testid={f.testId}>
            {f.value ?? <span className={s.empty}>{'—'}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

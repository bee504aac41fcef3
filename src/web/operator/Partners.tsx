import {
  Field,
  Input,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import type { Collection, PartnerStatus, PartnerSummary } from '../api/types';
import { LoadError } from '../components/FormError';
import { ListPager } from '../components/ListPager';
import { useDebounced, useKeysetList } from '../components/useKeysetList';
import { Page, useLayoutStyles } from '../components/layout';
import { countryName } from '../components/regions';
import { StatusBadge } from '../components/StatusBadge';

const PAGE_SIZE = 25;
const STATUSES: readonly PartnerStatus[] = ['pending_verification', 'authorized', 'rejected'];

const useStyles = makeStyles({
  toolbar: { display: 'flex', alignItems: 'flex-end', gap: '16px', flexWrap: 'wrap' },
  search: { flexGrow: 1, minWidth: '260px', maxWidth: '420px' },
  status: { minWidth: '220px' },
  summary: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px', minHeight: '32px' },
  total: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '960px' },
  wrap: { overflowWrap: 'anywhere', paddingBlock: '8px' },
  sub: { display: 'block', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  company: { fontWeight: tokens.fontWeightSemibold },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  empty: { textAlign: 'center', color: tokens.colorNeutralForeground3, paddingBlock: '24px' },
});

function firstPageUri(search: string, status: string): string {
  const q = new URLSearchParams({ size: String(PAGE_SIZE) });
  if (search) q.set('search', search);
  if (status) q.set('status', status);
  return `/v1/operator/partners?${q.toString()}`;
}

/** The partner list: search (debounced), status filter, keyset paging. */
export function PartnersPage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim());
  const [status, setStatus] = useState('');
  const list = useKeysetList<Collection<PartnerSummary>>(firstPageUri(search, status));
  const { data, loading, error } = list;

  return (
    <Page wide title={<FormattedMessage id="operator.partners.title" />} subtitle={<FormattedMessage id="operator.partners.lead" />}>
      <div className={l.card}>
        <div className={s.toolbar}>
          <Field className={s.search} label={intl.formatMessage({ id: 'operator.partners.search' })}>
            <Input
              type="search"
              value={searchText}
              onChange={(_, d) => setSearchText(d.value)}
              placeholder={intl.formatMessage({ id: 'operator.partners.searchPlaceholder' })}
              data-testid="operator-search"
            />
          </Field>
          <Field className={s.status} label={intl.formatMessage({ id: 'operator.partners.status' })}>
            <Select value={status} onChange={(_, d) => setStatus(d.value)} data-testid="operator-status">
              <option value="">{intl.formatMessage({ id: 'operator.partners.status.all' })}</option>
              {STATUSES.map((st) => (
                <option key={st} value={st}>
                  {intl.formatMessage({ id: `status.${st}` })}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <div className={s.summary}>
          <span className={s.total} data-testid="operator-total" aria-live="polite">
            {data && <FormattedMessage id="operator.partners.total" values={{ count: data.totalCount }} />}
          </span>
          {loading && <Spinner size="tiny" label={intl.formatMessage({ id: 'common.loading' })} labelPosition="after" />}
        </div>
        {error && <LoadError error={error} />}
        <div className={s.tableWrap}>
          <Table className={s.table} data-testid="operator-partners-table" aria-label={intl.formatMessage({ id: 'operator.partners.title' })}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: '24%' }}>
                  <FormattedMessage id="operator.partners.col.company" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '13%' }}>
                  <FormattedMessage id="operator.partners.col.country" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '8%' }}>
                  <FormattedMessage id="operator.partners.col.currency" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '16%' }}>
                  <FormattedMessage id="operator.partners.col.status" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '26%' }}>
                  <FormattedMessage id="operator.partners.col.contact" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '13%' }}>
                  <FormattedMessage id="operator.partners.col.enrolled" />
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data?.items.map((p) => (
                <TableRow key={p.id} data-testid="operator-partner-row">
                  <TableCell className={s.wrap}>
                    <span className={s.company}>{p.companyName}</span>
                  </TableCell>
                  <TableCell>{countryName(intl.locale, p.country)}</TableCell>
                  <TableCell>
                    <span className={s.mono}>{p.currency}</span>
                  </TableCell>
                  <TableCell>
                    <StatusBadge status={p.status} />
                  </TableCell>
                  <TableCell className={s.wrap}>
                    <span>
                      <FormattedMessage id="user.fullName" values={{ firstName: p.primaryContact.firstName, lastName: p.primaryContact.lastName }} />
                      <span className={s.sub}>{p.primaryContact.email}</span>
                    </span>
                  </TableCell>
                  <TableCell>
                    <FormattedDate value={p.createdAt} dateStyle="medium" />
                  </TableCell>
                </TableRow>
              ))}
              {data && data.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={6} className={s.empty}>
                    <FormattedMessage id="operator.partners.empty" />
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </div>
        <ListPager list={list} testIdPrefix="operator" />
      </div>
    </Page>
  );
}

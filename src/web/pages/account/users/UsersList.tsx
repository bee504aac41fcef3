import {
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
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
import { FormattedMessage, useIntl } from 'react-intl';
import type { UserCollection } from '../../../api/types';
import { AppLink, LinkButton } from '../../../components/AppLink';
import { LoadError } from '../../../components/FormError';
import { ListPager } from '../../../components/ListPager';
import { useDebounced, useKeysetList } from '../../../components/useKeysetList';
import { Page, useLayoutStyles } from '../../../components/layout';
import { RolePills } from '../../../components/RolePills';
import { usePartnerSession } from '../../../session/PartnerSession';
import { UserManagementTabs } from './Roles';
import { UsersBulkMenu } from './UsersBulkMenu';
import { LastSignIn, roleNames, useRoles, UserStatusBadge } from './shared';

const PAGE_SIZE = 50;
type Sort = 'name' | 'email';

const useStyles = makeStyles({
  toolbar: { display: 'flex', alignItems: 'flex-end', gap: '16px', flexWrap: 'wrap' },
  actions: { display: 'flex', alignItems: 'center', gap: '8px', flexWrap: 'wrap' },
  search: { flexGrow: 1, minWidth: '240px', maxWidth: '420px' },
  filter: { minWidth: '220px' },
  sort: { minWidth: '160px' },
  summary: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px', minHeight: '32px' },
  total: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '900px' },
  wrap: { overflowWrap: 'anywhere', paddingBlock: '8px' },
  empty: { textAlign: 'center', color: tokens.colorNeutralForeground3, paddingBlock: '24px' },
});

function firstPageUri(search: string, role: string, sort: Sort): string {
  const q = new URLSearchParams({ size: String(PAGE_SIZE), sort });
  if (search) q.set('search', search);
  if (role) q.set('role', role);
  return `/v1/users?${q.toString()}`;
}

/** Account settings → User management: the company's users, their roles and status. */
export function UsersListPage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { can } = usePartnerSession();
  const { roles } = useRoles();
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim());
  const [role, setRole] = useState('');
  const [sort, setSort] = useState<Sort>('name');
  const list = useKeysetList<UserCollection>(firstPageUri(search, role, sort));
  const { data, loading, error } = list;
  const filterRoles = (roles ?? []).filter((r) => r.id !== 'default-user');
  const admins = data?.globalAdminCount;

  return (
    <Page
      wide
      title={<FormattedMessage id="account.users" />}
      subtitle={<FormattedMessage id="account.users.text" />}
      actions={
        <div className={s.actions}>
          <UsersBulkMenu search={search} role={role} />
          {can('users.manage') && (
            <LinkButton to="/account/users/new" appearance="primary" data-testid="users-add">
              <FormattedMessage id="users.add" />
            </LinkButton>
          )}
        </div>
      }
    >
      <UserManagementTabs selected="users" />
      {typeof admins === 'number' && admins < 2 && (
        <MessageBar intent="warning" layout="multiline" data-testid="users-admin-warning">
          <MessageBarBody>
            <MessageBarTitle>
              <FormattedMessage id="users.adminWarningTitle" values={{ count: admins }} />
            </MessageBarTitle>
            <FormattedMessage id="users.adminWarning" />
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={l.card}>
        <div className={s.toolbar}>
          <Field className={s.search} label={intl.formatMessage({ id: 'users.search' })}>
            <Input
              type="search"
              value={searchText}
              onChange={(_, d) => setSearchText(d.value)}
              placeholder={intl.formatMessage({ id: 'users.searchPlaceholder' })}
              data-testid="users-search"
            />
          </Field>
          <Field className={s.filter} label={intl.formatMessage({ id: 'users.roleFilter' })}>
            <Select value={role} onChange={(_, d) => setRole(d.value)} data-testid="users-role-filter">
              <option value="">{intl.formatMessage({ id: 'users.roleFilter.all' })}</option>
              {filterRoles.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field className={s.sort} label={intl.formatMessage({ id: 'users.sort' })}>
            <Select value={sort} onChange={(_, d) => setSort(d.value === 'email' ? 'email' : 'name')} data-testid="users-sort">
              <option value="name">{intl.formatMessage({ id: 'users.sort.name' })}</option>
              <option value="email">{intl.formatMessage({ id: 'users.sort.email' })}</option>
            </Select>
          </Field>
        </div>
        <div className={s.summary}>
          <span className={s.total} data-testid="users-total" aria-live="polite">
            {data && <FormattedMessage id="users.total" values={{ count: data.totalCount }} />}
          </span>
          {loading && <Spinner size="tiny" label={intl.formatMessage({ id: 'common.loading' })} labelPosition="after" />}
        </div>
        {error && <LoadError error={error} />}
        <div className={s.tableWrap}>
          <Table className={s.table} data-testid="users-table" aria-label={intl.formatMessage({ id: 'account.users' })}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: '22%' }}>
                  <FormattedMessage id="users.col.name" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '26%' }}>
                  <FormattedMessage id="users.col.email" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '26%' }}>
                  <FormattedMessage id="users.col.roles" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '10%' }}>
                  <FormattedMessage id="users.col.status" />
                </TableHeaderCell>
                <TableHeaderCell style={{ width: '16%' }}>
                  <FormattedMessage id="users.col.lastSignIn" />
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data?.items.map((u) => (
                <TableRow key={u.id} data-testid="users-row">
                  <TableCell className={s.wrap}>
                    <AppLink to={`/account/users/${encodeURIComponent(u.id)}`} data-testid="users-row-link">
                      <FormattedMessage id="user.fullName" values={{ firstName: u.firstName, lastName: u.lastName }} />
                    </AppLink>
                  </TableCell>
                  <TableCell className={s.wrap}>{u.email}</TableCell>
                  <TableCell className={s.wrap}>
                    <RolePills roles={roleNames(u, roles)} />
                  </TableCell>
                  <TableCell>
                    <UserStatusBadge status={u.status} invited={u.invited} />
                  </TableCell>
                  <TableCell>
                    <LastSignIn value={u.lastSignInAt} />
                  </TableCell>
                </TableRow>
              ))}
              {data && data.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={5} className={s.empty}>
                    <FormattedMessage id="users.empty" />
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </div>
        <ListPager list={list} testIdPrefix="users" />
      </div>
    </Page>
  );
}

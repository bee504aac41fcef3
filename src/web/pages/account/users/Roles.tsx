import {
  Badge,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { PARTNER_PERMISSIONS } from '../../../../shared/permissions';
import { api, ApiError } from '../../../api/client';
import type { Collection, Role } from '../../../api/types';
import { AppLink, LinkButton } from '../../../components/AppLink';
import { fieldErrors, FormError, LoadError } from '../../../components/FormError';
import { Loading, Page, useLayoutStyles } from '../../../components/layout';
import { usePartnerSession } from '../../../session/PartnerSession';
import { NoAccess } from '../../Workspace';

/** Every user holds these; every role includes them. */
const DEFAULT_PERMISSIONS: readonly string[] = ['account.read', 'me.update'];

/** How the permission checkboxes are grouped, by resource (the part before the dot). */
const GROUPS: readonly { id: string; resources: readonly string[] }[] = [
  { id: 'users', resources: ['users', 'roles', 'audit', 'security', 'securitycontact', 'apps'] },
  { id: 'company', resources: ['legal', 'billingprofile', 'businessprofile', 'payout'] },
  { id: 'customers', resources: ['customers', 'subscriptions', 'pricing', 'billing'] },
  { id: 'programmes', resources: ['referrals', 'incentives'] },
  { id: 'support', resources: ['support', 'reports'] },
];

function groupOf(permission: string): string {
  const resource = permission.split('.')[0] ?? '';
  return GROUPS.find((g) => g.resources.includes(resource))?.id ?? 'other';
}

const useTabStyles = makeStyles({ tabs: { marginBottom: '-8px' } });

/** Users | Roles, at the top of Account settings → User management. */
export function UserManagementTabs({ selected }: { selected: 'users' | 'roles' }) {
  const s = useTabStyles();
  const navigate = useNavigate();
  const intl = useIntl();
  const { can } = usePartnerSession();
  if (!can('roles.read')) return null;
  return (
    <TabList
      className={s.tabs}
      selectedValue={selected}
      onTabSelect={(_, d) => navigate(d.value === 'roles' ? '/account/users/roles' : '/account/users')}
      aria-label={intl.formatMessage({ id: 'account.users' })}
      data-testid="users-tabs"
    >
      <Tab value="users" data-testid="users-tab-users">
        <FormattedMessage id="users.tab.users" />
      </Tab>
      <Tab value="roles" data-testid="users-tab-roles">
        <FormattedMessage id="users.tab.roles" />
      </Tab>
    </TabList>
  );
}

const useListStyles = makeStyles({
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '720px' },
  name: { display: 'flex', flexDirection: 'column', gap: '2px', paddingBlock: '8px' },
  description: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap' },
  sectionHead: { display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: '12px', flexWrap: 'wrap' },
  empty: { color: tokens.colorNeutralForeground3, margin: 0 },
  dialogBody: { display: 'flex', flexDirection: 'column', gap: '12px' },
});

/** Account settings → User management → Roles: the built-in roles and the company's custom roles. */
export function RolesListPage() {
  const s = useListStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const location = useLocation();
  const { can } = usePartnerSession();
  const [roles, setRoles] = useState<Role[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reload, setReload] = useState(0);
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);
  const [deleting, setDeleting] = useState<Role | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    api<Collection<Role>>('/v1/roles', { signal: ctl.signal }).then(
      (c) => setRoles(c.items),
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setError(e);
      },
    );
    return () => ctl.abort();
  }, [intl.locale, reload]);

  if (!can('roles.read')) return <NoAccess />;
  const manage = can('roles.manage');
  const custom = (roles ?? []).filter((r) => !r.builtIn);
  const builtIn = (roles ?? []).filter((r) => r.builtIn && r.assignable);

  const table = (items: Role[], testId: string, label: string) => (
    <div className={s.tableWrap}>
      <Table className={s.table} data-testid={testId} aria-label={label}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell style={{ width: '44%' }}>
              <FormattedMessage id="roles.col.name" />
            </TableHeaderCell>
            <TableHeaderCell style={{ width: '16%' }}>
              <FormattedMessage id="roles.col.permissions" />
            </TableHeaderCell>
            <TableHeaderCell style={{ width: '14%' }}>
              <FormattedMessage id="roles.col.users" />
            </TableHeaderCell>
            <TableHeaderCell style={{ width: '26%' }}>
              <FormattedMessage id="roles.col.actions" />
            </TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((r) => (
            <TableRow key={r.id} data-testid="roles-row">
              <TableCell>
                <div className={s.name}>
                  <AppLink to={`/account/users/roles/${encodeURIComponent(r.id)}`} data-testid="roles-open">
                    {r.name}
                  </AppLink>
                  {r.description && <span className={s.description}>{r.description}</span>}
                </div>
              </TableCell>
              <TableCell>
                <FormattedMessage id="roles.permissionCount" values={{ count: r.permissions.length }} />
              </TableCell>
              <TableCell data-testid="roles-users">{r.userCount}</TableCell>
              <TableCell>
                <div className={s.actions}>
                  {!r.builtIn && manage && (
                    <>
                      <LinkButton to={`/account/users/roles/${encodeURIComponent(r.id)}`} data-testid="roles-edit">
                        <FormattedMessage id="roles.edit" />
                      </LinkButton>
                      <Button appearance="subtle" onClick={() => setDeleting(r)} data-testid="roles-delete">
                        <FormattedMessage id="roles.delete" />
                      </Button>
                    </>
                  )}
                  {(r.builtIn || !manage) && (
                    <LinkButton to={`/account/users/roles/${encodeURIComponent(r.id)}`} appearance="subtle" data-testid="roles-view">
                      <FormattedMessage id="roles.view" />
                    </LinkButton>
                  )}
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );

  return (
    <Page
      wide
      title={<FormattedMessage id="account.users" />}
      subtitle={<FormattedMessage id="roles.lead" />}
      actions={
        manage && (
          <LinkButton to="/account/users/roles/new" appearance="primary" data-testid="roles-new">
            <FormattedMessage id="roles.new" />
          </LinkButton>
        )
      }
    >
      <UserManagementTabs selected="roles" />
      {notice && (
        <MessageBar intent="success" data-testid="roles-notice">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {error && <LoadError error={error} />}
      {!roles && !error && <Loading />}
      {roles && (
        <>
          <section className={l.card} aria-labelledby="roles-custom">
            <div className={s.sectionHead}>
              <h2 id="roles-custom" className={l.sectionTitle}>
                <FormattedMessage id="roles.customTitle" />
              </h2>
            </div>
            {custom.length === 0 ? (
              <p className={s.empty} data-testid="roles-empty">
                <FormattedMessage id={manage ? 'roles.emptyManage' : 'roles.empty'} />
              </p>
            ) : (
              table(custom, 'roles-custom-table', intl.formatMessage({ id: 'roles.customTitle' }))
            )}
          </section>
          <section className={l.card} aria-labelledby="roles-builtin">
            <h2 id="roles-builtin" className={l.sectionTitle}>
              <FormattedMessage id="roles.builtInTitle" />
            </h2>
            {table(builtIn, 'roles-builtin-table', intl.formatMessage({ id: 'roles.builtInTitle' }))}
          </section>
        </>
      )}
      {deleting && (
        <DeleteRoleDialog
          role={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setNotice(intl.formatMessage({ id: 'roles.deleted' }, { name: deleting.name }));
            setDeleting(null);
            setReload((n) => n + 1);
          }}
        />
      )}
    </Page>
  );
}

function DeleteRoleDialog({ role, onClose, onDeleted }: { role: Role; onClose: () => void; onDeleted: () => void }) {
  const s = useListStyles();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api<void>(`/v1/roles/${encodeURIComponent(role.id)}`, { method: 'DELETE' });
      onDeleted();
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
      setBusy(false);
    }
  }
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface data-testid="roles-delete-dialog">
        <DialogBody>
          <DialogTitle>
            <FormattedMessage id="roles.deleteTitle" values={{ name: role.name }} />
          </DialogTitle>
          <DialogContent className={s.dialogBody}>
            <FormError error={error} />
            <FormattedMessage
              id={role.userCount > 0 ? 'roles.deleteInUse' : 'roles.deleteBody'}
              values={{ count: role.userCount }}
            />
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onClose}>
              <FormattedMessage id="common.cancel" />
            </Button>
            <Button appearance="primary" onClick={() => void confirm()} disabled={busy} data-testid="roles-delete-confirm">
              <FormattedMessage id="roles.deleteConfirm" />
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

const useEditorStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '20px' },
  fields: { display: 'grid', gridTemplateColumns: 'minmax(240px, 420px)', gap: '16px' },
  groups: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(340px, 1fr))', gap: '20px 32px', alignItems: 'start' },
  group: { border: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '2px', minWidth: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: '4px' },
  perm: { display: 'flex', flexDirection: 'column' },
  permId: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase100, color: tokens.colorNeutralForeground3, paddingLeft: '36px', marginTop: '-6px' },
  plain: { display: 'flex', flexDirection: 'column', paddingBlock: '5px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}` },
  plainId: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase100, color: tokens.colorNeutralForeground3 },
  note: { margin: 0, color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  head: { display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: '12px', flexWrap: 'wrap' },
  count: { color: tokens.colorNeutralForeground3 },
});

/** New custom role, edit a custom role, or view a built-in role's permissions. */
export function RoleEditorPage() {
  const s = useEditorStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const navigate = useNavigate();
  const { roleId } = useParams();
  const isNew = roleId === undefined;
  const { can } = usePartnerSession();
  const [role, setRole] = useState<Role | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set(DEFAULT_PERMISSIONS));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (isNew) return;
    const ctl = new AbortController();
    api<Role>(`/v1/roles/${encodeURIComponent(roleId)}`, { signal: ctl.signal }).then(
      (r) => {
        setRole(r);
        setName(r.name);
        setDescription(r.description ?? '');
        setSelected(new Set([...DEFAULT_PERMISSIONS, ...r.permissions]));
      },
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
      },
    );
    return () => ctl.abort();
  }, [isNew, roleId, intl.locale]);

  const groups = useMemo(() => {
    const out = new Map<string, string[]>();
    for (const g of [...GROUPS.map((x) => x.id), 'other']) out.set(g, []);
    for (const p of PARTNER_PERMISSIONS as readonly string[]) if (!DEFAULT_PERMISSIONS.includes(p)) out.get(groupOf(p))!.push(p);
    return [...out.entries()].filter(([, perms]) => perms.length > 0);
  }, []);

  if (!can('roles.read') || (isNew && !can('roles.manage'))) return <NoAccess />;
  if (loadError) return <Page title={<FormattedMessage id="roles.title" />}>{<LoadError error={loadError} />}</Page>;
  if (!isNew && !role) return <Loading />;

  const readOnly = !!role?.builtIn || !can('roles.manage');
  const fe = fieldErrors(error);
  const labels = { name: intl.formatMessage({ id: 'roles.name' }), description: intl.formatMessage({ id: 'roles.description' }), permissions: intl.formatMessage({ id: 'roles.permissions' }) };
  const known = (p: string) => intl.messages[`permission.${p}`] !== undefined;
  const chosen = [...selected].filter((p) => !DEFAULT_PERMISSIONS.includes(p));

  function toggle(p: string, on: boolean) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(p);
      else next.delete(p);
      return next;
    });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (readOnly) return;
    setBusy(true);
    setError(null);
    const body = { name: name.trim(), description: description.trim() || null, permissions: chosen };
    try {
      const saved = isNew
        ? await api<Role>('/v1/roles', { method: 'POST', body })
        : await api<Role>(`/v1/roles/${encodeURIComponent(roleId)}`, { method: 'PATCH', body });
      const notice = intl.formatMessage({ id: isNew ? 'roles.created' : 'roles.saved' }, { name: saved.name });
      navigate('/account/users/roles', { state: { notice } });
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
      setBusy(false);
    }
  }

  const title = isNew ? <FormattedMessage id="roles.newTitle" /> : role!.name;
  const subtitle = isNew ? (
    <FormattedMessage id="roles.editorLead" />
  ) : role!.builtIn ? (
    <FormattedMessage id="roles.builtInNote" />
  ) : readOnly ? (
    <FormattedMessage id="roles.readOnlyNote" />
  ) : (
    <FormattedMessage id="roles.editorLead" />
  );

  return (
    <Page title={title} subtitle={subtitle}>
      <form className={s.form} onSubmit={submit} noValidate>
        <FormError error={error} shownFields={['name', 'description']} fieldLabels={labels} />
        {role && (
          <p className={s.note} data-testid="role-holders">
            <Badge appearance="tint" shape="rounded" color={role.builtIn ? 'informative' : 'brand'}>
              <FormattedMessage id={role.builtIn ? 'roles.builtIn' : 'roles.custom'} />
            </Badge>{' '}
            <FormattedMessage id="roles.holders" values={{ count: role.userCount }} />
          </p>
        )}
        {!role?.builtIn && (
          <section className={l.card} aria-labelledby="role-details">
            <h2 id="role-details" className={l.sectionTitle}>
              <FormattedMessage id="roles.details" />
            </h2>
            <div className={s.fields}>
              <Field label={labels.name} required validationMessage={fe['name']}>
                <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={80} disabled={readOnly} autoComplete="off" data-testid="role-name" />
              </Field>
              <Field label={labels.description} hint={intl.formatMessage({ id: 'roles.descriptionHint' })} validationMessage={fe['description']}>
                <Textarea value={description} onChange={(_, d) => setDescription(d.value)} maxLength={500} disabled={readOnly} resize="vertical" data-testid="role-description" />
              </Field>
            </div>
          </section>
        )}
        <section className={l.card} aria-labelledby="role-permissions">
          <div className={s.head}>
            <h2 id="role-permissions" className={l.sectionTitle}>
              {labels.permissions}
            </h2>
            <span className={s.count} data-testid="role-permission-count" aria-live="polite">
              <FormattedMessage id="roles.permissionCount" values={{ count: chosen.length + DEFAULT_PERMISSIONS.length }} />
            </span>
          </div>
          {!readOnly && (
            <p className={s.note}>
              <FormattedMessage id="roles.onlyHeld" />
            </p>
          )}
          <div className={s.groups} data-testid="role-permissions">
            <fieldset className={s.group}>
              <legend className={s.legend}>
                <FormattedMessage id="roles.group.default" />
              </legend>
              {DEFAULT_PERMISSIONS.map((p) => (
                <div key={p} className={s.plain}>
                  <span>{known(p) ? intl.formatMessage({ id: `permission.${p}` }) : p}</span>
                  <code className={s.plainId}>{p}</code>
                </div>
              ))}
            </fieldset>
            {groups.map(([group, perms]) => {
              const visible = readOnly ? perms.filter((p) => selected.has(p)) : perms;
              if (visible.length === 0) return null;
              return (
                <fieldset key={group} className={s.group}>
                  <legend className={s.legend}>
                    <FormattedMessage id={`roles.group.${group}`} />
                  </legend>
                  {visible.map((p) => {
                    const held = can(p);
                    const label = known(p) ? intl.formatMessage({ id: `permission.${p}` }) : p;
                    if (readOnly)
                      return (
                        <div key={p} className={s.plain} data-testid={`role-perm-${p}`}>
                          <span>{label}</span>
                          <code className={s.plainId}>{p}</code>
                        </div>
                      );
                    return (
                      <div key={p} className={s.perm} title={!readOnly && !held ? intl.formatMessage({ id: 'roles.notHeld' }) : undefined}>
                        <Checkbox
                          checked={selected.has(p)}
                          disabled={!held}
                          onChange={(_, d) => toggle(p, d.checked === true)}
                          label={!readOnly && !held ? intl.formatMessage({ id: 'roles.notHeldLabel' }, { label }) : label}
                          data-testid={`role-perm-${p}`}
                        />
                        <code className={s.permId}>{p}</code>
                      </div>
                    );
                  })}
                </fieldset>
              );
            })}
          </div>
        </section>
        <div className={s.actions}>
          {!readOnly && (
            <Button type="submit" appearance="primary" disabled={busy || !name.trim()} data-testid="role-save">
              <FormattedMessage id={isNew ? 'roles.create' : 'roles.save'} />
            </Button>
          )}
          {busy && <Spinner size="tiny" />}
          <LinkButton to="/account/users/roles" data-testid="role-back">
            <FormattedMessage id={readOnly ? 'roles.back' : 'common.cancel'} />
          </LinkButton>
        </div>
      </form>
    </Page>
  );
}

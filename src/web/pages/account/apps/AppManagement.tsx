import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
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
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../../api/client';
import type { ApiApp, Collection, CreatedApp, NewAppSecret } from '../../../api/types';
import { Facts } from '../../../components/Facts';
import { fieldErrors, FormError, LoadError } from '../../../components/FormError';
import { Loading, Page, useLayoutStyles } from '../../../components/layout';
import { RolePills } from '../../../components/RolePills';
import { usePartnerSession } from '../../../session/PartnerSession';
import { NoAccess } from '../../Workspace';
import { RoleSelectors, roleNames, selectedRoleIds, useRoles } from '../users/shared';
import { CopyValue, SecretOnce } from './SecretOnce';

/** The server keeps at most this many valid secrets per app (rotation: add, switch, revoke). */
const MAX_LIVE_SECRETS = 2;

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '16px' },
  name: { maxWidth: '420px' },
  actions: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  note: { margin: 0, color: tokens.colorNeutralForeground3 },
  head: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  empty: { margin: 0, color: tokens.colorNeutralForeground3, textAlign: 'center', paddingBlock: '16px' },
  tableWrap: { overflowX: 'auto' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  subTitle: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
});

type Reveal = { title: 'created' | 'secret'; clientId: string; secret: NewAppSecret };
type Confirm = { kind: 'delete'; app: ApiApp } | { kind: 'revoke'; app: ApiApp; secretId: string; hint: string };

/** Account settings → App management: the company's API apps, their roles and secrets. */
export default function AppManagementPage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const { can } = usePartnerSession();
  const { roles, error: rolesError } = useRoles();
  const [apps, setApps] = useState<ApiApp[] | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reveal, setReveal] = useState<Reveal | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);

  const load = useCallback((signal?: AbortSignal) => {
    setLoadError(null);
    return api<Collection<ApiApp>>('/v1/apps', signal ? { signal } : {}).then(
      (c) => setApps(c.items),
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
      },
    );
  }, []);

  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    return () => ctl.abort();
  }, [load]);

  if (!can('apps.manage')) return <NoAccess />;

  /** Run one action on an app (its id marks the busy buttons), then re-read the list. */
  async function run(key: string, call: () => Promise<void>) {
    setBusy(key);
    setError(null);
    try {
      await call();
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
    }
    await load();
    setBusy(null);
  }

  const base = (app: ApiApp) => `/v1/apps/${encodeURIComponent(app.id)}`;
  const addSecret = (app: ApiApp) =>
    run(app.id, async () => {
      const secret = await api<NewAppSecret>(`${base(app)}/secrets`, { method: 'POST' });
      setReveal({ title: 'secret', clientId: app.clientId, secret });
    });
  const toggle = (app: ApiApp) => run(app.id, () => api<ApiApp>(base(app), { method: 'PATCH', body: { status: app.status === 'active' ? 'disabled' : 'active' } }).then(() => undefined));
  const confirmed = () => {
    const c = confirm;
    setConfirm(null);
    if (!c) return;
    if (c.kind === 'delete') void run(c.app.id, () => api<void>(base(c.app), { method: 'DELETE' }));
    else void run(c.app.id, () => api<void>(`${base(c.app)}/secrets/${encodeURIComponent(c.secretId)}`, { method: 'DELETE' }));
  };

  return (
    <Page
      title={<FormattedMessage id="account.apps" />}
      subtitle={<FormattedMessage id="account.apps.text" />}
      actions={
        !adding && (
          <Button appearance="primary" onClick={() => setAdding(true)} data-testid="apps-add">
            <FormattedMessage id="apps.add" />
          </Button>
        )
      }
    >
      {adding && (
        <AddAppForm
          roles={roles}
          rolesError={rolesError}
          onCancel={() => setAdding(false)}
          onCreated={(app) => {
            setAdding(false);
            setReveal({ title: 'created', clientId: app.clientId, secret: app.secret });
            void load();
          }}
        />
      )}
      <FormError error={error} />
      {loadError && <LoadError error={loadError} />}
      {!apps && !loadError && <Loading />}
      {apps && apps.length === 0 && (
        <section className={l.card}>
          <p className={s.empty} data-testid="apps-empty">
            <FormattedMessage id="apps.empty" />
          </p>
        </section>
      )}
      {apps?.map((app) => (
        <AppCard
          key={app.id}
          app={app}
          roleList={roleNames(app, roles)}
          busy={busy === app.id}
          onAddSecret={() => void addSecret(app)}
          onToggle={() => void toggle(app)}
          onDelete={() => setConfirm({ kind: 'delete', app })}
          onRevoke={(secretId, hint) => setConfirm({ kind: 'revoke', app, secretId, hint })}
        />
      ))}

      <Dialog open={reveal !== null} modalType="alert">
        <DialogSurface>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id={reveal?.title === 'created' ? 'apps.reveal.createdTitle' : 'apps.reveal.secretTitle'} />
            </DialogTitle>
            <DialogContent>{reveal && <SecretOnce clientId={reveal.clientId} secret={reveal.secret.secret} expiresAt={reveal.secret.expiresAt} />}</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => setReveal(null)} data-testid="app-reveal-done">
                <FormattedMessage id="apps.done" />
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>

      <Dialog open={confirm !== null} onOpenChange={(_, d) => !d.open && setConfirm(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>
              {confirm?.kind === 'delete' ? <FormattedMessage id="apps.deleteTitle" values={{ name: confirm.app.name }} /> : <FormattedMessage id="apps.secret.revokeTitle" />}
            </DialogTitle>
            <DialogContent>
              {confirm?.kind === 'delete' ? <FormattedMessage id="apps.deleteText" /> : <FormattedMessage id="apps.secret.revokeText" values={{ hint: confirm?.kind === 'revoke' ? confirm.hint : '' }} />}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={confirmed} data-testid="apps-confirm">
                <FormattedMessage id={confirm?.kind === 'delete' ? 'apps.delete' : 'apps.secret.revoke'} />
              </Button>
              <Button onClick={() => setConfirm(null)} data-testid="apps-confirm-cancel">
                <FormattedMessage id="common.cancel" />
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </Page>
  );
}

/** Add app: a name and roles (one per category, as for a user); the answer carries the first secret. */
function AddAppForm({
  roles,
  rolesError,
  onCancel,
  onCreated,
}: {
  roles: ReturnType<typeof useRoles>['roles'];
  rolesError: ApiError | null;
  onCancel: () => void;
  onCreated: (app: CreatedApp) => void;
}) {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { can } = usePartnerSession();
  const [name, setName] = useState('');
  const [byCategory, setByCategory] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fe = fieldErrors(error);
  const labels = { name: intl.formatMessage({ id: 'apps.form.name' }), roles: intl.formatMessage({ id: 'apps.roles' }) };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCreated(await api<CreatedApp>('/v1/apps', { method: 'POST', body: { name: name.trim(), roles: selectedRoleIds(byCategory) } }));
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
    }
    setBusy(false);
  }

  return (
    <form className={`${l.card} ${s.form}`} onSubmit={submit} noValidate aria-labelledby="addapp-title" data-testid="addapp-form">
      <h2 id="addapp-title" className={l.sectionTitle}>
        <FormattedMessage id="apps.form.title" />
      </h2>
      <FormError error={error} shownFields={['name']} fieldLabels={labels} />
      <Field className={s.name} label={labels.name} required validationMessage={fe['name']} hint={intl.formatMessage({ id: 'apps.form.nameHint' })}>
        <Input value={name} onChange={(_, d) => setName(d.value)} autoComplete="off" data-testid="addapp-name" />
      </Field>
      <h3 className={s.subTitle}>{labels.roles}</h3>
      <p className={s.note}>
        <FormattedMessage id="apps.form.rolesNote" />
      </p>
      {rolesError && <LoadError error={rolesError} />}
      {!roles && !rolesError && <Spinner size="tiny" />}
      {roles && <RoleSelectors roles={roles} value={byCategory} onChange={setByCategory} testIdPrefix="addapp-role" canGrant={(r) => r.permissions.every((p) => can(p))} />}
      <div className={s.actions}>
        <Button type="submit" appearance="primary" disabled={busy} data-testid="addapp-submit">
          <FormattedMessage id={busy ? 'apps.form.submitting' : 'apps.form.submit'} />
        </Button>
        <Button onClick={onCancel} data-testid="addapp-cancel">
          <FormattedMessage id="common.cancel" />
        </Button>
      </div>
    </form>
  );
}

function AppStatusBadge({ status }: { status: ApiApp['status'] }) {
  return (
    <Badge appearance="tint" shape="rounded" color={status === 'active' ? 'success' : 'subtle'} data-testid="app-status">
      <FormattedMessage id={status === 'active' ? 'apps.status.active' : 'apps.status.disabled'} />
    </Badge>
  );
}

function AppCard({
  app,
  roleList,
  busy,
  onAddSecret,
  onToggle,
  onDelete,
  onRevoke,
}: {
  app: ApiApp;
  roleList: { id: string; name: string }[];
  busy: boolean;
  onAddSecret: () => void;
  onToggle: () => void;
  onDelete: () => void;
  onRevoke: (secretId: string, hint: string) => void;
}) {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const live = app.secrets.filter((x) => !x.expired).length;
  const titleId = `app-${app.id}`;
  const cell = (children: ReactNode) => <TableCell>{children}</TableCell>;
  return (
    <section className={l.card} aria-labelledby={titleId} data-testid="app-card">
      <div className={s.head}>
        <h2 id={titleId} className={l.sectionTitle} data-testid="app-name">
          {app.name}
        </h2>
        <AppStatusBadge status={app.status} />
      </div>
      <Facts
        items={[
          { key: 'clientId', label: <FormattedMessage id="apps.clientId" />, value: <CopyValue value={app.clientId} label={intl.formatMessage({ id: 'apps.clientId' })} testId="app-clientid" /> },
          { key: 'roles', label: <FormattedMessage id="apps.roles" />, value: <RolePills roles={roleList} testId="app-roles" /> },
          { key: 'created', label: <FormattedMessage id="apps.createdAt" />, value: <FormattedDate value={app.createdAt} dateStyle="long" /> },
        ]}
      />
      <h3 className={s.subTitle}>
        <FormattedMessage id="apps.secrets" />
      </h3>
      <p className={s.note}>
        <FormattedMessage id="apps.secrets.note" values={{ max: MAX_LIVE_SECRETS }} />
      </p>
      {app.secrets.length === 0 ? (
        <p className={s.note} data-testid="app-no-secret">
          <FormattedMessage id="apps.secret.none" />
        </p>
      ) : (
        <div className={s.tableWrap}>
          <Table size="small" aria-label={intl.formatMessage({ id: 'apps.secretsOf' }, { name: app.name })} data-testid="app-secrets">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>
                  <FormattedMessage id="apps.secret.col.secret" />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="apps.secret.col.created" />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="apps.secret.col.expires" />
                </TableHeaderCell>
                <TableHeaderCell>
                  <FormattedMessage id="apps.secret.col.actions" />
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {app.secrets.map((x) => (
                <TableRow key={x.id} data-testid="app-secret-row">
                  {cell(
                    <span className={s.mono}>
                      <FormattedMessage id="apps.secret.hint" values={{ hint: x.hint }} />
                    </span>,
                  )}
                  {cell(<FormattedDate value={x.createdAt} dateStyle="medium" />)}
                  {cell(
                    <span className={s.head}>
                      <FormattedDate value={x.expiresAt} dateStyle="medium" />
                      {x.expired && (
                        <Badge appearance="tint" shape="rounded" color="danger">
                          <FormattedMessage id="apps.secret.expired" />
                        </Badge>
                      )}
                    </span>,
                  )}
                  {cell(
                    <Button size="small" disabled={busy} onClick={() => onRevoke(x.id, x.hint)} data-testid="app-secret-revoke">
                      <FormattedMessage id="apps.secret.revoke" />
                    </Button>,
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <div className={s.actions}>
        <Button disabled={busy || live >= MAX_LIVE_SECRETS} onClick={onAddSecret} data-testid="app-add-secret">
          <FormattedMessage id="apps.secret.add" />
        </Button>
        <Button disabled={busy} onClick={onToggle} data-testid="app-toggle-status">
          <FormattedMessage id={app.status === 'active' ? 'apps.disable' : 'apps.enable'} />
        </Button>
        <Button disabled={busy} onClick={onDelete} data-testid="app-delete">
          <FormattedMessage id="apps.delete" />
        </Button>
      </div>
    </section>
  );
}

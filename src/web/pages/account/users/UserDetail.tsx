import {
  Button,
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
  makeStyles,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../../api/client';
import type { PartnerUser } from '../../../api/types';
import { AppLink } from '../../../components/AppLink';
import { Facts } from '../../../components/Facts';
import { fieldErrors, FormError, LoadError } from '../../../components/FormError';
import { Loading, Page, useLayoutStyles } from '../../../components/layout';
import { RolePills } from '../../../components/RolePills';
import { usePartnerSession } from '../../../session/PartnerSession';
import { LastSignIn, RoleSelectors, roleNames, rolesByCategory, selectedRoleIds, TempPassword, useRoles, UserStatusBadge } from './shared';
import { UserMfaCard } from './UserMfaCard';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: '16px', alignItems: 'start' },
  actions: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  note: { margin: 0 },
});

type Pending = null | 'save' | 'status' | 'delete' | 'reset' | 'invite';

/** One user: details, roles (one per category), deactivate / reactivate, reset password, delete. */
export function UserDetailPage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const { can } = usePartnerSession();
  const manage = can('users.manage');
  const { roles } = useRoles();
  const [user, setUser] = useState<PartnerUser | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [byCategory, setByCategory] = useState<Record<string, string>>({});
  const [pending, setPending] = useState<Pending>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [resent, setResent] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [resetOpen, setResetOpen] = useState(false);
  const [tempPassword, setTempPassword] = useState<string | null>(null);
  const fe = fieldErrors(error);
  const labels = {
    firstName: intl.formatMessage({ id: 'users.firstName' }),
    lastName: intl.formatMessage({ id: 'users.lastName' }),
    roles: intl.formatMessage({ id: 'users.roles' }),
    status: intl.formatMessage({ id: 'users.col.status' }),
  };

  function show(u: PartnerUser) {
    setUser(u);
    setFirstName(u.firstName);
    setLastName(u.lastName);
  }

  useEffect(() => {
    const ctl = new AbortController();
    setLoadError(null);
    api<PartnerUser>(`/v1/users/${encodeURIComponent(id)}`, { signal: ctl.signal }).then(show, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
    });
    return () => ctl.abort();
  }, [id]);

  // The role selectors follow the loaded user (and the role list once it is there).
  useEffect(() => {
    if (user && roles) setByCategory(rolesByCategory(user.roles, roles));
  }, [user, roles]);

  async function run(kind: Exclude<Pending, null>, call: () => Promise<void>) {
    setPending(kind);
    setError(null);
    setSaved(false);
    setResent(false);
    try {
      await call();
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
    }
    setPending(null);
  }

  const path = `/v1/users/${encodeURIComponent(id)}`;

  const save = () =>
    run('save', async () => {
      show(await api<PartnerUser>(path, { method: 'PATCH', body: { firstName: firstName.trim(), lastName: lastName.trim(), roles: selectedRoleIds(byCategory) } }));
      setSaved(true);
    });

  const toggleStatus = () =>
    run('status', async () => {
      show(await api<PartnerUser>(path, { method: 'PATCH', body: { status: user?.status === 'active' ? 'inactive' : 'active' } }));
    });

  const remove = () => {
    setConfirmDelete(false);
    return run('delete', async () => {
      await api<void>(path, { method: 'DELETE' });
      navigate('/account/users', { replace: true });
    });
  };

  const reset = () =>
    run('reset', async () => {
      try {
        const answer = await api<{ temporaryPassword: string }>(`${path}/resetpassword`, { method: 'POST' });
        setTempPassword(answer.temporaryPassword);
      } catch (e) {
        setResetOpen(false);
        throw e;
      }
    });

  const resendInvitation = () =>
    run('invite', async () => {
      await api<void>(`${path}/invitation`, { method: 'POST' });
      setResent(true);
    });

  const back = (
    <AppLink to="/account/users" data-testid="user-back">
      <FormattedMessage id="users.backToList" />
    </AppLink>
  );

  if (loadError)
    return (
      <Page title={<FormattedMessage id="account.users" />}>
        <LoadError error={loadError} />
        <div>{back}</div>
      </Page>
    );
  if (!user)
    return (
      <Page title={<FormattedMessage id="account.users" />}>
        <Loading />
      </Page>
    );

  const busy = pending !== null;
  /** The server re-sends only to an active user who has not accepted yet. */
  const invitationPending = user.invited && user.status === 'active';

  return (
    <Page
      title={<FormattedMessage id="user.fullName" values={{ firstName: user.firstName, lastName: user.lastName }} />}
      subtitle={user.email}
      actions={back}
    >
      <FormError error={error} shownFields={['firstName', 'lastName']} fieldLabels={labels} />
      {saved && (
        <MessageBar intent="success" data-testid="user-saved">
          <MessageBarBody>
            <FormattedMessage id="users.saved" />
          </MessageBarBody>
        </MessageBar>
      )}
      {resent && (
        <MessageBar intent="success" data-testid="user-invitation-resent">
          <MessageBarBody>
            <FormattedMessage id="users.invitationResent" values={{ email: user.email }} />
          </MessageBarBody>
        </MessageBar>
      )}
      <section className={l.card} aria-labelledby="user-about">
        <h2 id="user-about" className={l.sectionTitle}>
          <FormattedMessage id="users.details" />
        </h2>
        <Facts
          items={[
            { key: 'email', label: <FormattedMessage id="users.email" />, value: user.email, testId: 'user-email' },
            { key: 'status', label: <FormattedMessage id="users.col.status" />, value: <UserStatusBadge status={user.status} invited={user.invited} /> },
            { key: 'roles', label: <FormattedMessage id="users.roles" />, value: <RolePills roles={roleNames(user, roles)} testId="user-roles" /> },
            { key: 'created', label: <FormattedMessage id="users.createdAt" />, value: <FormattedDate value={user.createdAt} dateStyle="long" /> },
            { key: 'lastSignIn', label: <FormattedMessage id="users.col.lastSignIn" />, value: <LastSignIn value={user.lastSignInAt} /> },
          ]}
        />
      </section>
      {manage && (
        <section className={l.card} aria-labelledby="user-edit">
          <h2 id="user-edit" className={l.sectionTitle}>
            <FormattedMessage id="users.edit" />
          </h2>
          <div className={s.grid}>
            <Field label={labels.firstName} required validationMessage={fe['firstName']}>
              <Input value={firstName} onChange={(_, d) => setFirstName(d.value)} data-testid="user-firstName" />
            </Field>
            <Field label={labels.lastName} required validationMessage={fe['lastName']}>
              <Input value={lastName} onChange={(_, d) => setLastName(d.value)} data-testid="user-lastName" />
            </Field>
          </div>
          <p className={s.note}>
            <FormattedMessage id="users.rolesNote" />
          </p>
          {roles ? (
            <RoleSelectors
              roles={roles}
              value={byCategory}
              onChange={setByCategory}
              testIdPrefix="user-role"
              canGrant={(r) => r.permissions.every((p) => can(p))}
              disabled={busy}
            />
          ) : (
            <Spinner size="tiny" />
          )}
          <div className={s.actions}>
            <Button appearance="primary" disabled={busy} onClick={() => void save()} data-testid="user-save">
              <FormattedMessage id={pending === 'save' ? 'users.saving' : 'users.save'} />
            </Button>
          </div>
        </section>
      )}
      {manage && (
        <section className={l.card} aria-labelledby="user-access">
          <h2 id="user-access" className={l.sectionTitle}>
            <FormattedMessage id="users.access" />
          </h2>
          <p className={s.note}>
            <FormattedMessage id={user.status === 'active' ? 'users.access.activeNote' : 'users.access.inactiveNote'} />
          </p>
          {invitationPending && (
            <p className={s.note} data-testid="user-invited-note">
              <FormattedMessage id="users.access.invitedNote" values={{ email: user.email }} />
            </p>
          )}
          <div className={s.actions}>
            {invitationPending && (
              <Button appearance="primary" disabled={busy} onClick={() => void resendInvitation()} data-testid="user-resend-invitation">
                <FormattedMessage id={pending === 'invite' ? 'users.resendingInvitation' : 'users.resendInvitation'} />
              </Button>
            )}
            <Button disabled={busy} onClick={() => void toggleStatus()} data-testid="user-toggle-status">
              <FormattedMessage id={user.status === 'active' ? 'users.deactivate' : 'users.reactivate'} />
            </Button>
            <Button
              disabled={busy}
              onClick={() => {
                setTempPassword(null);
                setResetOpen(true);
              }}
              data-testid="user-reset-password"
            >
              <FormattedMessage id="users.resetPassword" />
            </Button>
            <Button disabled={busy} onClick={() => setConfirmDelete(true)} data-testid="user-delete">
              <FormattedMessage id="users.delete" />
            </Button>
          </div>
        </section>
      )}

      {can('security.manage') && <UserMfaCard user={user} onChanged={() => void api<PartnerUser>(`/v1/users/${user.id}`).then(show, () => undefined)} />}

      <Dialog open={confirmDelete} onOpenChange={(_, d) => setConfirmDelete(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id="users.deleteTitle" />
            </DialogTitle>
            <DialogContent>
              <FormattedMessage id="users.deleteText" values={{ name: intl.formatMessage({ id: 'user.fullName' }, { firstName: user.firstName, lastName: user.lastName }), email: user.email }} />
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void remove()} data-testid="user-delete-confirm">
                <FormattedMessage id="users.delete" />
              </Button>
              <Button onClick={() => setConfirmDelete(false)} data-testid="user-delete-cancel">
                <FormattedMessage id="common.cancel" />
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>

      <Dialog
        open={resetOpen}
        modalType={tempPassword ? 'alert' : 'modal'}
        onOpenChange={(_, d) => {
          if (!d.open && pending !== 'reset') {
            setResetOpen(false);
            setTempPassword(null);
          }
        }}
      >
        <DialogSurface>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id={tempPassword ? 'users.resetDoneTitle' : 'users.resetTitle'} />
            </DialogTitle>
            <DialogContent>
              {tempPassword ? (
                <TempPassword email={user.email} password={tempPassword} />
              ) : (
                <FormattedMessage id="users.resetText" values={{ email: user.email }} />
              )}
            </DialogContent>
            <DialogActions>
              {tempPassword ? (
                <Button
                  appearance="primary"
                  onClick={() => {
                    setResetOpen(false);
                    setTempPassword(null);
                  }}
                  data-testid="temp-password-done"
                >
                  <FormattedMessage id="users.temp.done" />
                </Button>
              ) : (
                <>
                  <Button appearance="primary" disabled={busy} onClick={() => void reset()} data-testid="user-reset-confirm">
                    <FormattedMessage id="users.resetPassword" />
                  </Button>
                  <Button disabled={busy} onClick={() => setResetOpen(false)} data-testid="user-reset-cancel">
                    <FormattedMessage id="common.cancel" />
                  </Button>
                </>
              )}
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </Page>
  );
}

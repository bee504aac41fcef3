import { Button, Field, Input, MessageBar, MessageBarBody, Radio, RadioGroup, Spinner, makeStyles } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../../../api/client';
import type { CreatedUser } from '../../../api/types';
import { LinkButton } from '../../../components/AppLink';
import { fieldErrors, FormError, LoadError } from '../../../components/FormError';
import { Page, useLayoutStyles } from '../../../components/layout';
import { usePartnerSession } from '../../../session/PartnerSession';
import { NoAccess } from '../../Workspace';
import { RoleSelectors, selectedRoleIds, TempPassword, useRoles } from './shared';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: '16px', alignItems: 'start' },
  form: { display: 'flex', flexDirection: 'column', gap: '20px' },
  actions: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  note: { margin: 0 },
});

/** Add a user: name, email, roles (one per category) → the temporary password, shown once. */
export function AddUserPage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const navigate = useNavigate();
  const { can } = usePartnerSession();
  const { roles, error: rolesError } = useRoles();
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [email, setEmail] = useState('');
  const [byCategory, setByCategory] = useState<Record<string, string>>({});
  /** First sign-in: a temporary password shown once, or an invitation link by email. */
  const [invite, setInvite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const fe = fieldErrors(error);
  const labels = {
    firstName: intl.formatMessage({ id: 'users.firstName' }),
    lastName: intl.formatMessage({ id: 'users.lastName' }),
    email: intl.formatMessage({ id: 'users.email' }),
    roles: intl.formatMessage({ id: 'users.roles' }),
  };

  if (!can('users.manage')) return <NoAccess />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await api<CreatedUser>('/v1/users', {
        method: 'POST',
        body: { firstName: firstName.trim(), lastName: lastName.trim(), email: email.trim(), roles: selectedRoleIds(byCategory), ...(invite ? { invite: true } : {}) },
      });
      setCreated(user);
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
    }
    setBusy(false);
  }

  if (created)
    return (
      <Page title={<FormattedMessage id="users.added.title" />} subtitle={<FormattedMessage id="user.fullName" values={{ firstName: created.firstName, lastName: created.lastName }} />}>
        <section className={l.card} data-testid="adduser-done">
          {created.temporaryPassword ? (
            <>
              <h2 className={l.sectionTitle}>
                <FormattedMessage id="users.added.lead" />
              </h2>
              <TempPassword email={created.email} password={created.temporaryPassword} />
            </>
          ) : (
            <MessageBar intent="success" layout="multiline" data-testid="adduser-invited">
              <MessageBarBody>
                <FormattedMessage id="users.added.invited" values={{ email: created.email, days: 7, b: (c) => <b>{c}</b> }} />
              </MessageBarBody>
            </MessageBar>
          )}
          <div className={s.actions}>
            <Button appearance="primary" onClick={() => navigate('/account/users')} data-testid="adduser-done-back">
              <FormattedMessage id="users.backToList" />
            </Button>
            <LinkButton to={`/account/users/${encodeURIComponent(created.id)}`} data-testid="adduser-done-open">
              <FormattedMessage id="users.added.open" />
            </LinkButton>
          </div>
        </section>
      </Page>
    );

  return (
    <Page title={<FormattedMessage id="users.add" />} subtitle={<FormattedMessage id="users.addLead" />}>
      <form className={s.form} onSubmit={submit} noValidate>
        <FormError error={error} shownFields={['firstName', 'lastName', 'email']} fieldLabels={labels} />
        <section className={l.card} aria-labelledby="adduser-details">
          <h2 id="adduser-details" className={l.sectionTitle}>
            <FormattedMessage id="users.details" />
          </h2>
          <div className={s.grid}>
            <Field label={labels.firstName} required validationMessage={fe['firstName']}>
              <Input value={firstName} onChange={(_, d) => setFirstName(d.value)} autoComplete="off" data-testid="adduser-firstName" />
            </Field>
            <Field label={labels.lastName} required validationMessage={fe['lastName']}>
              <Input value={lastName} onChange={(_, d) => setLastName(d.value)} autoComplete="off" data-testid="adduser-lastName" />
            </Field>
            <Field label={labels.email} required validationMessage={fe['email']} hint={intl.formatMessage({ id: 'users.emailHint' })}>
              <Input type="email" value={email} onChange={(_, d) => setEmail(d.value)} autoComplete="off" data-testid="adduser-email" />
            </Field>
          </div>
        </section>
        <section className={l.card} aria-labelledby="adduser-roles">
          <h2 id="adduser-roles" className={l.sectionTitle}>
            <FormattedMessage id="users.roles" />
          </h2>
          <p className={s.note}>
            <FormattedMessage id="users.rolesNote" />
          </p>
          {rolesError && <LoadError error={rolesError} />}
          {!roles && !rolesError && <Spinner size="tiny" />}
          {roles && (
            <RoleSelectors
              roles={roles}
              value={byCategory}
              onChange={setByCategory}
              testIdPrefix="adduser-role"
              canGrant={(r) => r.permissions.every((p) => can(p))}
            />
          )}
        </section>
        <section className={l.card} aria-labelledby="adduser-signin">
          <h2 id="adduser-signin" className={l.sectionTitle}>
            <FormattedMessage id="users.firstSignIn" />
          </h2>
          <RadioGroup value={invite ? 'invite' : 'password'} onChange={(_, d) => setInvite(d.value === 'invite')} aria-labelledby="adduser-signin" data-testid="adduser-signin-mode">
            <Radio value="password" label={intl.formatMessage({ id: 'users.firstSignIn.password' })} data-testid="adduser-mode-password" />
            <Radio value="invite" label={intl.formatMessage({ id: 'users.firstSignIn.invite' })} data-testid="adduser-mode-invite" />
          </RadioGroup>
        </section>
        <div className={s.actions}>
          <Button type="submit" appearance="primary" disabled={busy} data-testid="adduser-submit">
            <FormattedMessage id={busy ? 'users.adding' : 'users.addSubmit'} />
          </Button>
          <LinkButton to="/account/users" data-testid="adduser-cancel">
            <FormattedMessage id="common.cancel" />
          </LinkButton>
        </div>
      </form>
    </Page>
  );
}

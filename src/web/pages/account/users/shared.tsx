import { Badge, Button, Field, MessageBar, MessageBarBody, MessageBarTitle, Select, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../../api/client';
import { useClipboard } from '../../../components/useClipboard';
import type { Collection, PartnerUser, Role, RoleCategory, UserStatus } from '../../../api/types';

/** The categories a user picks at most one role from, in display order. */
export const ROLE_CATEGORIES: readonly Exclude<RoleCategory, 'default'>[] = ['admin', 'agent', 'incentives', 'referrals', 'reports', 'compliance', 'custom'];

/** GET /v1/roles, re-read when the language changes (names are translated by the server). */
export function useRoles(): { roles: Role[] | null; error: ApiError | null } {
  const intl = useIntl();
  const [roles, setRoles] = useState<Role[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
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
  }, [intl.locale]);
  return { roles, error };
}

/** The role names of a user; the default user role when they hold no other. */
export function roleNames(user: Pick<PartnerUser, 'roles'>, roles: Role[] | null): { id: string; name: string }[] {
  const byId = new Map((roles ?? []).map((r) => [r.id, r]));
  const held = user.roles.filter((id) => id !== 'default-user');
  if (held.length === 0) {
    const def = byId.get('default-user');
    return def ? [{ id: def.id, name: def.name }] : [];
  }
  return held.map((id) => ({ id, name: byId.get(id)?.name ?? id }));
}

/** A user's roles as a category → role id map (the per-category selectors' value). */
export function rolesByCategory(roleIds: readonly string[], roles: Role[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of roleIds) {
    const r = roles.find((x) => x.id === id);
    if (r && r.category !== 'default' && !(r.category in out)) out[r.category] = r.id;
  }
  return out;
}

export function selectedRoleIds(byCategory: Record<string, string>): string[] {
  return ROLE_CATEGORIES.map((c) => byCategory[c]).filter((v): v is string => !!v);
}

const useSelectorStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: '16px', alignItems: 'start' },
});

/**
 * One native select per role category (at most one role each), "none" by default:
 * a user with no role is a default user. Roles granting permissions the signed-in
 * user does not hold are marked (the server refuses them with ROLE_ESCALATION).
 */
export function RoleSelectors({
  roles,
  value,
  onChange,
  testIdPrefix,
  canGrant,
  disabled,
}: {
  roles: Role[];
  value: Record<string, string>;
  onChange: (next: Record<string, string>) => void;
  testIdPrefix: string;
  canGrant: (role: Role) => boolean;
  disabled?: boolean;
}) {
  const s = useSelectorStyles();
  const intl = useIntl();
  return (
    <div className={s.grid}>
      {ROLE_CATEGORIES.map((cat) => {
        const options = roles.filter((r) => r.category === cat && r.assignable);
        if (options.length === 0) return null;
        return (
          <Field key={cat} label={intl.formatMessage({ id: `users.category.${cat}` })}>
            <Select
              value={value[cat] ?? ''}
              disabled={disabled}
              onChange={(_, d) => onChange({ ...value, [cat]: d.value })}
              data-testid={`${testIdPrefix}-${cat}`}
            >
              <option value="">{intl.formatMessage({ id: 'users.role.none' })}</option>
              {options.map((r) => (
                <option key={r.id} value={r.id}>
                  {canGrant(r) ? r.name : intl.formatMessage({ id: 'users.role.notGrantable' }, { name: r.name })}
                </option>
              ))}
            </Select>
          </Field>
        );
      })}
    </div>
  );
}

/** Active, Inactive, or Invited: active but has not accepted the invitation yet. */
export function UserStatusBadge({ status, invited = false }: { status: UserStatus; invited?: boolean }) {
  const shown = status === 'inactive' ? 'inactive' : invited ? 'invited' : 'active';
  return (
    <Badge appearance="tint" shape="rounded" color={shown === 'active' ? 'success' : shown === 'invited' ? 'warning' : 'subtle'} data-testid="user-status" data-status={shown}>
      <FormattedMessage id={`users.status.${shown}`} />
    </Badge>
  );
}

export function LastSignIn({ value }: { value: string | null }) {
  if (!value) return <FormattedMessage id="users.never" />;
  return <FormattedDate value={value} dateStyle="medium" timeStyle="short" />;
}

const useTempStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: '16px' },
  row: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  password: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase500,
    padding: '8px 14px',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    userSelect: 'all',
    overflowWrap: 'anywhere',
  },
  who: { margin: 0 },
});

/** A temporary password, shown once: a copy button and the warning that goes with it. */
export function TempPassword({ email, password }: { email: string; password: string }) {
  const s = useTempStyles();
  const { copied, copy } = useClipboard();
  return (
    <div className={s.box}>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>
            <FormattedMessage id="users.temp.onceTitle" />
          </MessageBarTitle>
          <FormattedMessage id="users.temp.once" />
        </MessageBarBody>
      </MessageBar>
      <p className={s.who}>
        <FormattedMessage id="users.temp.for" values={{ email, b: (chunks) => <strong>{chunks}</strong> }} />
      </p>
      <div className={s.row}>
        <code className={s.password} data-testid="temp-password">
          {password}
        </code>
        <Button onClick={() => void copy(password)} data-testid="temp-password-copy">
          <FormattedMessage id={copied ? 'users.temp.copied' : 'users.temp.copy'} />
        </Button>
      </div>
      {copied === false && (
        <MessageBar intent="error">
          <MessageBarBody>
            <FormattedMessage id="users.temp.copyFailed" />
          </MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}

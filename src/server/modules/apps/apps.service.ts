import { randomUUID } from 'node:crypto';
import { audit } from '../../core/audit';
import { inTransaction, requireUser, type RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { newToken, sha256 } from '../../core/tokens';
import { checkAssignableRoles, holdsAll, permissionsOfRoles } from '../roles/roles.service';
import {
  countLiveSecrets, deleteAppTokens, deleteSecret, findApp, findCredentials, insertApp, insertAppToken, insertSecret, listApps, listSecrets,
  replaceAppRoles, type AppRow, type SecretRow,
} from './apps.repo';

/** An app's bearer token lives 60 minutes; it then exchanges its secret again. */
export const APP_TOKEN_TTL_S = 3600;
/** Two valid secrets at most, so a secret can be rotated without downtime. */
export const MAX_LIVE_SECRETS = 2;
export const DEFAULT_SECRET_DAYS = 365;
const DAY = 24 * 60 * 60 * 1000;

/** A secret is shown once; afterwards only its last four characters identify it. */
const hintOf = (secret: string) => secret.slice(-4);
const masked = (hint: string) => `…${hint}`;

function presentSecret(s: SecretRow, now: Date) {
  return { id: s.id, hint: s.hint, createdAt: s.created_at.toISOString(), expiresAt: s.expires_at.toISOString(), expired: s.expires_at.getTime() <= now.getTime() };
}

function presentApp(a: AppRow, secrets: SecretRow[], now: Date) {
  return {
    id: a.id,
    name: a.name,
    clientId: a.client_id,
    roles: a.roles,
    status: a.status,
    createdAt: a.created_at.toISOString(),
    updatedAt: a.updated_at.toISOString(),
    secrets: secrets.filter((s) => s.app_id === a.id).map((s) => presentSecret(s, now)),
  };
}

export type PresentedApp = ReturnType<typeof presentApp>;

async function present(ctx: RequestContext, a: AppRow): Promise<PresentedApp> {
  return presentApp(a, await listSecrets(ctx.db, a.partner_id, [a.id]), ctx.now);
}

async function getTarget(ctx: RequestContext, appId: string, forUpdate = false): Promise<AppRow> {
  const p = requireUser(ctx);
  const a = await findApp(ctx.db, p.partnerId, appId, { forUpdate });
  if (!a) throw new AppError('NOT_FOUND');
  return a;
}

/** An admin only changes an app whose permissions they hold themselves (as for users). */
async function assertCanManage(ctx: RequestContext, a: AppRow): Promise<void> {
  const p = requireUser(ctx);
  if (!holdsAll(p.permissions, await permissionsOfRoles(ctx.db, a.roles))) throw new AppError('ROLE_ESCALATION');
}

function newSecret(ctx: RequestContext, days: number) {
  const secret = newToken();
  return { id: randomUUID(), secret, hash: sha256(secret), hint: hintOf(secret), expiresAt: new Date(ctx.now.getTime() + days * DAY) };
}

export async function listAppsOfPartner(ctx: RequestContext): Promise<PresentedApp[]> {
  const p = requireUser(ctx);
  const apps = await listApps(ctx.db, p.partnerId);
  const secrets = await listSecrets(ctx.db, p.partnerId, apps.map((a) => a.id));
  return apps.map((a) => presentApp(a, secrets, ctx.now));
}

export async function getApp(ctx: RequestContext, appId: string): Promise<PresentedApp> {
  return present(ctx, await getTarget(ctx, appId));
}

/** Register an app: a client id, its roles and a first secret, answered this once. */
export async function createApp(ctx: RequestContext, input: { name: string; roles: string[] }) {
  const p = requireUser(ctx);
  const roles = await checkAssignableRoles(ctx, p.partnerId, input.roles, p.permissions);
  const id = randomUUID();
  const clientId = randomUUID();
  const s = newSecret(ctx, DEFAULT_SECRET_DAYS);
  const app = await inTransaction(ctx, async (tx) => {
    await insertApp(tx.db, { id, partnerId: p.partnerId, name: input.name, clientId, now: tx.now });
    await replaceAppRoles(tx.db, p.partnerId, id, roles);
    await insertSecret(tx.db, { id: s.id, partnerId: p.partnerId, appId: id, secretHash: s.hash, hint: s.hint, now: tx.now, expiresAt: s.expiresAt });
    await audit(tx, {
      partnerId: p.partnerId,
      action: 'app.created',
      targetType: 'app',
      targetId: id,
      changes: { name: { after: input.name }, clientId: { after: clientId }, roles: { after: roles.map((r) => r.id).sort() }, secret: { after: masked(s.hint) } },
    });
    return present(tx, (await findApp(tx.db, p.partnerId, id))!);
  });
  return { ...app, secret: { id: s.id, secret: s.secret, hint: s.hint, expiresAt: s.expiresAt.toISOString() } };
}

/** Rename, change roles, disable or enable. Disabling ends the app's tokens at once. */
export async function updateApp(
  ctx: RequestContext,
  appId: string,
  input: { name?: string | undefined; roles?: string[] | undefined; status?: 'active' | 'disabled' | undefined },
  onTokensChanged: (appId: string) => void,
): Promise<PresentedApp> {
  const p = requireUser(ctx);
  const updated = await inTransaction(ctx, async (tx) => {
    const before = await getTarget(tx, appId, true);
    await assertCanManage(tx, before);
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    const set: { name?: string; status?: 'active' | 'disabled'; updated_at: Date } = { updated_at: tx.now };
    if (input.name !== undefined && input.name !== before.name) {
      set.name = input.name;
      changes.name = { before: before.name, after: input.name };
    }
    if (input.status !== undefined && input.status !== before.status) {
      set.status = input.status;
      changes.status = { before: before.status, after: input.status };
    }
    if (input.roles !== undefined) {
      const roles = await checkAssignableRoles(tx, p.partnerId, input.roles, p.permissions);
      const next = roles.map((r) => r.id).sort();
      if (next.join() !== before.roles.join()) {
        await replaceAppRoles(tx.db, p.partnerId, appId, roles);
        changes.roles = { before: before.roles, after: next };
      }
    }
    if (Object.keys(changes).length) {
      await tx.db.updateTable('api_apps').set(set).where('partner_id', '=', p.partnerId).where('id', '=', appId).execute();
      if (changes.status?.after === 'disabled') await deleteAppTokens(tx.db, p.partnerId, appId);
      const action = changes.status ? (changes.status.after === 'disabled' ? 'app.disabled' : 'app.enabled') : changes.roles ? 'app.roles_changed' : 'app.updated';
      await audit(tx, { partnerId: p.partnerId, action, targetType: 'app', targetId: appId, changes });
    }
    return present(tx, (await findApp(tx.db, p.partnerId, appId))!);
  });
  onTokensChanged(appId);
  return updated;
}

/** Delete an app: its secrets, roles and tokens go with it. */
export async function deleteApp(ctx: RequestContext, appId: string, onTokensChanged: (appId: string) => void): Promise<void> {
  const p = requireUser(ctx);
  await inTransaction(ctx, async (tx) => {
    const target = await getTarget(tx, appId, true);
    await assertCanManage(tx, target);
    await tx.db.deleteFrom('api_apps').where('partner_id', '=', p.partnerId).where('id', '=', appId).execute();
    await audit(tx, { partnerId: p.partnerId, action: 'app.deleted', targetType: 'app', targetId: appId, changes: { name: { before: target.name }, clientId: { before: target.client_id }, roles: { before: target.roles } } });
  });
  onTokensChanged(appId);
}

/** A new secret, shown once. At most two valid secrets, so rotation is add, switch, revoke. */
export async function addSecret(ctx: RequestContext, appId: string, input: { expiresInDays?: number | undefined }) {
  const p = requireUser(ctx);
  const s = newSecret(ctx, input.expiresInDays ?? DEFAULT_SECRET_DAYS);
  await inTransaction(ctx, async (tx) => {
    const target = await getTarget(tx, appId, true);
    await assertCanManage(tx, target);
    if ((await countLiveSecrets(tx.db, p.partnerId, appId, tx.now)) >= MAX_LIVE_SECRETS) throw new AppError('APP_SECRET_LIMIT', { max: MAX_LIVE_SECRETS });
    await insertSecret(tx.db, { id: s.id, partnerId: p.partnerId, appId, secretHash: s.hash, hint: s.hint, now: tx.now, expiresAt: s.expiresAt });
    await audit(tx, { partnerId: p.partnerId, action: 'app.secret_added', targetType: 'app', targetId: appId, changes: { secret: { after: masked(s.hint) }, expiresAt: { after: s.expiresAt.toISOString() } } });
  });
  return { id: s.id, secret: s.secret, hint: s.hint, expiresAt: s.expiresAt.toISOString() };
}

/** Revoke a secret: the tokens obtained with it stop working at once. */
export async function revokeSecret(ctx: RequestContext, appId: string, secretId: string, onTokensChanged: (appId: string) => void): Promise<void> {
  const p = requireUser(ctx);
  await inTransaction(ctx, async (tx) => {
    const target = await getTarget(tx, appId, true);
    await assertCanManage(tx, target);
    const gone = await deleteSecret(tx.db, p.partnerId, appId, secretId);
    if (!gone) throw new AppError('NOT_FOUND');
    await audit(tx, { partnerId: p.partnerId, action: 'app.secret_revoked', targetType: 'app', targetId: appId, changes: { secret: { before: masked(gone.hint) } } });
  });
  onTokensChanged(appId);
}

/**
 * Client credentials → a 60-minute bearer token. An unknown client, a wrong, revoked or
 * expired secret and a disabled app all get the same 401 INVALID_CLIENT; failures of a
 * known client are written to its partner's activity log.
 */
export async function issueToken(ctx: RequestContext, input: { clientId: string; clientSecret: string }) {
  const found = await findCredentials(ctx.db, input.clientId, sha256(input.clientSecret));
  if (!found) {
    ctx.log.info({ event: 'app_token_refused' }, 'unknown client id');
    throw new AppError('INVALID_CLIENT');
  }
  const { app, secret } = found;
  const reason = !secret ? 'invalid_secret' : secret.expires_at.getTime() <= ctx.now.getTime() ? 'secret_expired' : app.status !== 'active' ? 'app_disabled' : null;
  if (reason || !secret) {
    await inTransaction(ctx, (tx) =>
      audit(tx, { partnerId: app.partner_id, action: 'app.token_issued', targetType: 'app', targetId: app.id, outcome: 'failure', actor: { type: 'anonymous', id: null }, changes: { reason: { after: reason } } }),
    );
    throw new AppError('INVALID_CLIENT');
  }
  const token = newToken();
  await inTransaction(ctx, async (tx) => {
    await insertAppToken(tx.db, {
      tokenHash: sha256(token),
      partnerId: app.partner_id,
      appId: app.id,
      secretId: secret.id,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      now: tx.now,
      expiresAt: new Date(tx.now.getTime() + APP_TOKEN_TTL_S * 1000),
    });
    await audit(tx, { partnerId: app.partner_id, action: 'app.token_issued', targetType: 'app', targetId: app.id, actor: { type: 'app', id: app.id } });
  });
  return { accessToken: token, tokenType: 'Bearer' as const, expiresIn: APP_TOKEN_TTL_S };
}

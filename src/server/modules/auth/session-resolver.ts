import { LRUCache } from 'lru-cache';
import { OPERATOR_PERMISSIONS } from '../../../shared/permissions';
import type { Db } from '../../db/database';
import type { Principal } from '../../core/context';
import { isLocale } from '../../core/i18n';
import { sha256 } from '../../core/tokens';
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, LAST_SEEN_RESOLUTION_MS, deleteSession, findAppSession, findOperatorSession, findSessionKind, findUserSession, touchSession } from './sessions.repo';

export type Resolution = { principal: Principal } | { principal: null; reason: 'expired' | 'unknown' };

const DEFAULT_PERMISSIONS = ['account.read', 'me.update'];
/** An API app holds its roles' permissions except these: the default user's "me" and managing apps (no app mints credentials). */
const NOT_FOR_APPS: ReadonlySet<string> = new Set([...DEFAULT_PERMISSIONS, 'apps.manage']);

/**
 * Turns a presented token into a principal. Sessions are server-side: the row is the
 * truth. A resolved principal may be served from a short in-process cache
 * (SESSION_CACHE_MS, default 2 s) to keep reads to one query or none; sign-out and
 * changes made by this process evict it at once.
 */
export class SessionResolver {
  private cache: LRUCache<string, Principal> | undefined;

  constructor(private readonly db: Db, cacheMs: number) {
    if (cacheMs > 0) this.cache = new LRUCache({ max: 50_000, ttl: cacheMs });
  }

  evict(tokenHash: string): void {
    this.cache?.delete(tokenHash);
  }

  /** Evict every cached session of one user (roles, status, password or language changed). */
  evictUser(userId: string): void {
    this.evictWhere((p) => p.kind === 'user' && p.userId === userId);
  }

  /** Evict every cached token of one API app (roles, status, secrets changed, or deleted). */
  evictApp(appId: string): void {
    this.evictWhere((p) => p.kind === 'app' && p.appId === appId);
  }

  /** Evict every cached session of a user or partner (role or status change). */
  evictWhere(pred: (p: Principal) => boolean): void {
    if (!this.cache) return;
    for (const [k, v] of this.cache.entries()) if (pred(v)) this.cache.delete(k);
  }

  async resolve(token: string, now: Date): Promise<Resolution> {
    const tokenHash = sha256(token);
    const cached = this.cache?.get(tokenHash);
    if (cached && this.live(cached, now)) return { principal: cached };

    const kind = cached?.kind ?? (await findSessionKind(this.db, tokenHash));
    if (!kind) return { principal: null, reason: 'unknown' };
    const principal = kind === 'user' ? await this.loadUser(tokenHash) : kind === 'app' ? await this.loadApp(tokenHash) : await this.loadOperator(tokenHash);
    if (!principal) return { principal: null, reason: 'unknown' };
    if (!this.live(principal, now)) {
      await deleteSession(this.db, tokenHash);
      this.evict(tokenHash);
      return { principal: null, reason: 'expired' };
    }
    if (now.getTime() - principal.session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
      await touchSession(this.db, tokenHash, now);
      principal.session.lastSeenAt = now;
    }
    this.cache?.set(tokenHash, principal);
    return { principal };
  }

  private live(p: Principal, now: Date): boolean {
    const s = p.session;
    const t = now.getTime();
    // An app token is short-lived (60 minutes) and has no idle timeout.
    if (p.kind === 'app') return t < s.expiresAt.getTime();
    return t < s.expiresAt.getTime() && t < s.createdAt.getTime() + ABSOLUTE_TIMEOUT_MS && t - s.lastSeenAt.getTime() < IDLE_TIMEOUT_MS;
  }

  private async loadApp(tokenHash: string): Promise<Principal | undefined> {
    const r = await findAppSession(this.db, tokenHash);
    if (!r) return undefined;
    return {
      kind: 'app',
      appId: r.app_id,
      partnerId: r.partner_id!,
      name: r.name,
      locale: null,
      roles: r.roles,
      permissions: new Set(r.permissions.filter((perm) => !NOT_FOR_APPS.has(perm))),
      session: { tokenHash, csrfToken: '', mfaPassed: true, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at },
    };
  }

  private async loadUser(tokenHash: string): Promise<Principal | undefined> {
    const r = await findUserSession(this.db, tokenHash);
    if (!r || r.user_status !== 'active') return undefined;
    return {
      kind: 'user',
      userId: r.user_id,
      partnerId: r.partner_id!,
      email: r.email,
      firstName: r.first_name,
      lastName: r.last_name,
      locale: isLocale(r.locale) ? r.locale : null,
      roles: r.roles,
      permissions: new Set([...DEFAULT_PERMISSIONS, ...r.permissions]),
      mustChangePassword: r.must_change_password,
      session: { tokenHash, csrfToken: r.csrf_token, mfaPassed: r.mfa_passed, mfaPending: r.mfa_pending, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at },
    };
  }

  private async loadOperator(tokenHash: string): Promise<Principal | undefined> {
    const r = await findOperatorSession(this.db, tokenHash);
    if (!r) return undefined;
    return {
      kind: 'operator',
      operatorId: r.operator_id,
      email: r.email,
      displayName: r.display_name,
      locale: isLocale(r.locale) ? r.locale : null,
      permissions: new Set(OPERATOR_PERMISSIONS),
      session: { tokenHash, csrfToken: r.csrf_token, mfaPassed: r.mfa_passed, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at },
    };
  }
}

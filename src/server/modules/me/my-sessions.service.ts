import { audit } from '../../core/audit';
import { inTransaction, requireUser, type RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from '../auth/sessions.repo';

/** A short, non-identifying label for a user agent: the browser family and the OS. */
export function describeUserAgent(ua: string | null): { browser: string | null; os: string | null } {
  if (!ua) return { browser: null, os: null };
  const browser = /Edg(e|A|iOS)?\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /Firefox\/|FxiOS/.test(ua)
        ? 'Firefox'
        : /Chrome\/|Chromium\/|CriOS/.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : /^curl\//i.test(ua)
              ? 'curl'
              : null;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /Android/.test(ua)
        ? 'Android'
        : /CrOS/.test(ua)
          ? 'ChromeOS'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'macOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  return { browser, os };
}

/** My live sessions (not expired, not idle), the most recently used first; `current` marks this one. */
export async function listMySessions(ctx: RequestContext) {
  const p = requireUser(ctx);
  const now = ctx.now.getTime();
  const rows = await ctx.db
    .selectFrom('sessions')
    .select(['id', 'token_hash', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('principal_kind', '=', 'user')
    .where('partner_id', '=', p.partnerId)
    .where('user_id', '=', p.userId)
    .where('expires_at', '>', ctx.now)
    .where('created_at', '>', new Date(now - ABSOLUTE_TIMEOUT_MS))
    .where('last_seen_at', '>', new Date(now - IDLE_TIMEOUT_MS))
    .orderBy('last_seen_at', 'desc')
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => {
    const current = r.token_hash === p.session.tokenHash;
    // This request is using the current session: it was seen now.
    const lastSeenAt = current ? ctx.now : r.last_seen_at;
    return {
      id: r.id,
      current,
      createdAt: r.created_at.toISOString(),
      lastSeenAt: lastSeenAt.toISOString(),
      expiresAt: r.expires_at.toISOString(),
      ip: r.ip,
      userAgent: r.user_agent,
      ...describeUserAgent(r.user_agent),
    };
  });
}

/**
 * End one of my sessions by its public id (another user's, or an unknown id, is not
 * found). Answers the ended session's token hash, to evict it from the cache, and
 * whether it was the current one.
 */
export async function endMySession(ctx: RequestContext, sessionId: string): Promise<{ tokenHash: string; current: boolean }> {
  const p = requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .deleteFrom('sessions')
      .where('id', '=', sessionId)
      .where('principal_kind', '=', 'user')
      .where('partner_id', '=', p.partnerId)
      .where('user_id', '=', p.userId)
      .returning(['token_hash', 'ip', 'user_agent'])
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND');
    const current = row.token_hash === p.session.tokenHash;
    await audit(tx, {
      partnerId: p.partnerId,
      action: 'session.ended',
      targetType: 'session',
      targetId: sessionId,
      changes: { session: { before: { ip: row.ip, ...describeUserAgent(row.user_agent), current } } },
    });
    return { tokenHash: row.token_hash, current };
  });
}

/** End all my sessions but this one. Answers the ended token hashes. */
export async function endMyOtherSessions(ctx: RequestContext): Promise<string[]> {
  const p = requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    const rows = await tx.db
      .deleteFrom('sessions')
      .where('principal_kind', '=', 'user')
      .where('partner_id', '=', p.partnerId)
      .where('user_id', '=', p.userId)
      .where('token_hash', '!=', p.session.tokenHash)
      .returning(['token_hash'])
      .execute();
    if (rows.length) {
      await audit(tx, { partnerId: p.partnerId, action: 'session.ended_others', targetType: 'user', targetId: p.userId, changes: { sessions: { before: rows.length, after: 0 } } });
    }
    return rows.map((r) => r.token_hash);
  });
}

import type { RequestContext } from './context';

export interface AuditEntry {
  partnerId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  outcome?: 'success' | 'failure';
  /** Changed fields as {field: {before, after}}; restricted values must already be masked. */
  changes?: Record<string, { before?: unknown; after?: unknown }>;
  actor?: { type: 'user' | 'operator' | 'system' | 'anonymous'; id: string | null };
}

/** Append an audit record through the context's connection, so it commits with the change. */
export async function audit(ctx: RequestContext, e: AuditEntry): Promise<void> {
  const p = ctx.principal;
  const actor = e.actor ?? (p ? { type: p.kind, id: p.kind === 'user' ? p.userId : p.operatorId } : { type: 'anonymous' as const, id: null });
  await ctx.db
    .insertInto('audit_records')
    .values({
      partner_id: e.partnerId,
      at: ctx.now,
      actor_type: actor.type,
      actor_id: actor.id,
      action: e.action,
      target_type: e.targetType ?? null,
      target_id: e.targetId ?? null,
      outcome: e.outcome ?? 'success',
      changes: e.changes ? JSON.stringify(e.changes) : null,
      ip: ctx.ip,
      user_agent: ctx.userAgent,
      request_id: ctx.requestId,
    })
    .execute();
}

import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { RequestContext } from './context';

export interface AuditEntry {
  partnerId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  outcome?: 'success' | 'failure';
  /** Changed fields as {field: {before, after}}; restricted values must already be masked. */
  changes?: Record<string, { before?: unknown; after?: unknown }>;
  actor?: { type: 'user' | 'operator' | 'system' | 'anonymous' | 'app'; id: string | null };
}

export interface AuditRow {
  partner_id: string | null;
  at: Date;
  actor_type: 'user' | 'operator' | 'system' | 'anonymous' | 'app';
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: 'success' | 'failure';
  changes: unknown;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
}

/** JSON with sorted keys, so the same record always hashes the same. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  return `{${Object.keys(v as object)
    .sort()
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

export function chainHash(prevHash: string, seq: string | number, row: AuditRow): string {
  const record = { ...row, at: row.at.toISOString(), seq: String(seq) };
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(record)).digest('hex');
}

export const GENESIS = '0'.repeat(64);
const chainKey = (partnerId: string | null) => partnerId ?? 'operator';

/**
 * Append a record to its chain, through the given connection (the caller's transaction,
 * so it commits with the change). A transaction-scoped advisory lock serialises appends
 * to one chain.
 */
export async function appendAudit(db: Db, row: AuditRow): Promise<void> {
  const at = new Date(Math.floor(row.at.getTime())); // millisecond precision: what the hash covers
  await sql`select pg_advisory_xact_lock(hashtext(${'audit:' + chainKey(row.partner_id)}))`.execute(db);
  let lastQ = db.selectFrom('audit_records').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).where('seq', 'is not', null);
  lastQ = row.partner_id ? lastQ.where('partner_id', '=', row.partner_id) : lastQ.where('partner_id', 'is', null);
  const last = await lastQ.executeTakeFirst();
  const seq = String(last?.seq ? BigInt(last.seq) + 1n : 1n);
  const prev = last?.hash ?? GENESIS;
  const full = { ...row, at };
  await db
    .insertInto('audit_records')
    .values({ ...full, changes: full.changes === null || full.changes === undefined ? null : JSON.stringify(full.changes), seq, prev_hash: prev, hash: chainHash(prev, seq, full) })
    .execute();
}

/** Append an audit record for the request: actor, IP, user agent and request id from the context. */
export async function audit(ctx: RequestContext, e: AuditEntry): Promise<void> {
  const p = ctx.principal;
  const actor = e.actor ?? (p ? { type: p.kind, id: p.kind === 'user' ? p.userId : p.kind === 'app' ? p.appId : p.operatorId } : { type: 'anonymous' as const, id: null });
  await appendAudit(ctx.db, {
    partner_id: e.partnerId,
    at: ctx.now,
    actor_type: actor.type,
    actor_id: actor.id,
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId ?? null,
    outcome: e.outcome ?? 'success',
    changes: e.changes ?? null,
    ip: ctx.ip,
    user_agent: ctx.userAgent,
    request_id: ctx.requestId,
  });
}

/**
 * Append many records of the request to one partner's chain at once (bulk operations such as
 * a CSV import): one lock, one read of the chain's end, multi-row inserts. Same hashes as
 * appending them one by one.
 */
export async function auditMany(ctx: RequestContext, partnerId: string, entries: Omit<AuditEntry, 'partnerId'>[]): Promise<void> {
  if (!entries.length) return;
  const p = ctx.principal;
  const at = new Date(Math.floor(ctx.now.getTime()));
  await sql`select pg_advisory_xact_lock(hashtext(${'audit:' + chainKey(partnerId)}))`.execute(ctx.db);
  const last = await ctx.db
    .selectFrom('audit_records').select(['seq', 'hash']).where('partner_id', '=', partnerId).where('seq', 'is not', null).orderBy('seq', 'desc').limit(1)
    .executeTakeFirst();
  let seq = last?.seq ? BigInt(last.seq) : 0n;
  let prev = last?.hash ?? GENESIS;
  const rows = entries.map((e) => {
    const actor = e.actor ?? (p ? { type: p.kind, id: p.kind === 'user' ? p.userId : p.kind === 'app' ? p.appId : p.operatorId } : { type: 'anonymous' as const, id: null });
    const row: AuditRow = {
      partner_id: partnerId, at, actor_type: actor.type, actor_id: actor.id, action: e.action, target_type: e.targetType ?? null, target_id: e.targetId ?? null,
      outcome: e.outcome ?? 'success', changes: e.changes ?? null, ip: ctx.ip, user_agent: ctx.userAgent, request_id: ctx.requestId,
    };
    seq += 1n;
    const hash = chainHash(prev, String(seq), row);
    const out = { ...row, changes: row.changes === null ? null : JSON.stringify(row.changes), seq: String(seq), prev_hash: prev, hash };
    prev = hash;
    return out;
  });
  // One statement, the varying columns as arrays (unnest): much cheaper to parse than a VALUES list.
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  await sql`
    insert into audit_records (partner_id, at, actor_type, actor_id, action, target_type, target_id, outcome, changes, ip, user_agent, request_id, seq, prev_hash, hash)
    select ${partnerId}::uuid, ${at}::timestamptz, actor_type, actor_id, action, target_type, target_id, outcome, changes, ${ctx.ip}, ${ctx.userAgent}, ${ctx.requestId}, seq, prev_hash, hash
    from unnest(${col('actor_type')}::text[], ${col('actor_id')}::uuid[], ${col('action')}::text[], ${col('target_type')}::text[], ${col('target_id')}::text[],
      ${col('outcome')}::text[], ${col('changes')}::jsonb[], ${col('seq')}::bigint[], ${col('prev_hash')}::text[], ${col('hash')}::text[])
      as t(actor_type, actor_id, action, target_type, target_id, outcome, changes, seq, prev_hash, hash)`.execute(ctx.db);
}

export interface ChainReport {
  verified: boolean;
  records: number;
  /** The first record whose hash or link does not match, if any. */
  firstBrokenSeq: string | null;
}

/** Recompute a chain from the start and report the first broken link. */
export async function verifyChain(db: Db, partnerId: string | null): Promise<ChainReport> {
  let q = db
    .selectFrom('audit_records')
    .select(['partner_id', 'at', 'actor_type', 'actor_id', 'action', 'target_type', 'target_id', 'outcome', 'changes', 'ip', 'user_agent', 'request_id', 'seq', 'prev_hash', 'hash'])
    .where('seq', 'is not', null)
    .orderBy('seq');
  q = partnerId ? q.where('partner_id', '=', partnerId) : q.where('partner_id', 'is', null);
  const rows = await q.execute();
  let prev = GENESIS;
  let expectedSeq = 1n;
  for (const r of rows) {
    const { seq, prev_hash, hash, ...rest } = r;
    const ok = BigInt(seq!) === expectedSeq && prev_hash === prev && hash === chainHash(prev, seq!, rest as AuditRow);
    if (!ok) return { verified: false, records: rows.length, firstBrokenSeq: String(seq) };
    prev = hash!;
    expectedSeq += 1n;
  }
  return { verified: true, records: rows.length, firstBrokenSeq: null };
}

import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { PartnerProfilesTable } from '../../db/schema';
import { companyNameKey } from '../partners/partners.repo';

export type ProfileKind = PartnerProfilesTable['kind'];

/** The partner's row, locked for the write's transaction (tenant first: another partner's row is not found). */
export function lockPartner(db: Db, partnerId: string) {
  return db.selectFrom('partners').selectAll().where('id', '=', partnerId).forUpdate().executeTakeFirst();
}

export function findProfile(db: Db, partnerId: string, kind: ProfileKind) {
  return db.selectFrom('partner_profiles').select(['data', 'version', 'updated_at']).where('partner_id', '=', partnerId).where('kind', '=', kind).executeTakeFirst();
}

/** Lock a profile row in the caller's transaction, creating it (version 0) when it does not exist yet. */
export async function lockProfile(db: Db, partnerId: string, kind: ProfileKind, initial: Record<string, unknown>, now: Date) {
  await db
    .insertInto('partner_profiles')
    .values({ partner_id: partnerId, kind, data: JSON.stringify(initial), version: 0, updated_at: now, updated_by: null })
    .onConflict((oc) => oc.columns(['partner_id', 'kind']).doNothing())
    .execute();
  return db.selectFrom('partner_profiles').select(['data', 'version']).where('partner_id', '=', partnerId).where('kind', '=', kind).forUpdate().executeTakeFirstOrThrow();
}

export async function saveProfile(db: Db, partnerId: string, kind: ProfileKind, data: Record<string, unknown>, version: number, now: Date, by: string | null) {
  await db
    .updateTable('partner_profiles')
    .set({ data: JSON.stringify(data), version, updated_at: now, updated_by: by })
    .where('partner_id', '=', partnerId)
    .where('kind', '=', kind)
    .execute();
}

export interface QueueQuery {
  status: 'pending_verification' | 'authorized' | 'rejected';
  size: number;
  search?: string | undefined;
  after?: { key: string; id: string } | undefined;
}

/**
 * The operator's verification queue: oldest submission first, keyset paging on
 * (submitted_at, id), served by partners_verification_queue_idx (status, submitted_at, id).
 */
export async function listVerificationQueue(db: Db, q: QueueQuery) {
  let base = db.selectFrom('partners').where('status', '=', q.status);
  if (q.search) base = base.where('company_name_key', 'like', `%${companyNameKey(q.search).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  let page = base.select(['id', 'company_name', 'country', 'status', 'submitted_at', 'pending_fields', 'rejection_reason']);
  if (q.after) page = page.where(sql<boolean>`(submitted_at, id) > (${new Date(q.after.key)}, ${q.after.id}::uuid)`);
  const [rows, count] = await Promise.all([
    page.orderBy('submitted_at').orderBy('id').limit(q.size + 1).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.slice(0, q.size), hasMore: rows.length > q.size, totalCount: Number(count.n) };
}


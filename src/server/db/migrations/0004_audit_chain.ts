import { sql, type Kysely } from 'kysely';

/**
 * Tamper evidence for the activity log (security-baseline AU3): each chain (one per
 * partner, one for operator and system events) numbers its records and links each to the
 * previous one by hash = SHA-256(prev_hash ‖ canonical JSON of the record).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_records add column seq bigint`.execute(db);
  await sql`alter table audit_records add column prev_hash text`.execute(db);
  await sql`alter table audit_records add column hash text`.execute(db);
  await sql`create unique index audit_records_chain_uq on audit_records (coalesce(partner_id, '00000000-0000-0000-0000-000000000000'::uuid), seq)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0004_audit_chain cannot be reverted');
}

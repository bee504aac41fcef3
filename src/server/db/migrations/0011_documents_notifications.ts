import { sql, type Kysely } from 'kysely';

/**
 * Supporting documents (PDF, JPEG, PNG; checked by content) attached to reviews, and the
 * in-app notifications behind the bell in the top bar (read state per user: migration 0014).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table documents (
      id uuid primary key,
      partner_id uuid not null references partners (id) on delete cascade,
      purpose text not null,
      filename text not null,
      content_type text not null check (content_type in ('application/pdf', 'image/jpeg', 'image/png')),
      size_bytes integer not null check (size_bytes > 0),
      sha256 text not null,
      content bytea not null,
      uploaded_by uuid,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index documents_partner_idx on documents (partner_id, purpose, created_at desc)`.execute(db);
  await sql`
    create table notifications (
      id uuid primary key,
      partner_id uuid not null references partners (id) on delete cascade,
      kind text not null,
      params jsonb not null default '{}'::jsonb,
      link text,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index notifications_partner_idx on notifications (partner_id, created_at desc, id desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0011_documents_notifications cannot be reverted');
}

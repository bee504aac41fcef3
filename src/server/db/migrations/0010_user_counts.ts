import { sql, type Kysely } from 'kysely';

/**
 * The users list shows how many users a company has. Counting 10,000 index entries on
 * every page view is what made the list slow, so the count is kept on the partner row by
 * statement-level triggers (one UPDATE per INSERT or DELETE statement, however many rows:
 * a bulk import of 10,000 users costs one counter update).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table partners add column user_count integer not null default 0`.execute(db);
  await sql`update partners p set user_count = (select count(*) from users u where u.partner_id = p.id)`.execute(db);
  await sql`
    create function partners_user_count_ins() returns trigger language plpgsql as $$
    begin
      update partners p set user_count = p.user_count + n.c
        from (select partner_id, count(*)::integer as c from new_rows group by partner_id) n
        where p.id = n.partner_id;
      return null;
    end $$`.execute(db);
  await sql`
    create function partners_user_count_del() returns trigger language plpgsql as $$
    begin
      update partners p set user_count = p.user_count - o.c
        from (select partner_id, count(*)::integer as c from old_rows group by partner_id) o
        where p.id = o.partner_id;
      return null;
    end $$`.execute(db);
  await sql`create trigger users_count_ins after insert on users referencing new table as new_rows for each statement execute function partners_user_count_ins()`.execute(db);
  await sql`create trigger users_count_del after delete on users referencing old table as old_rows for each statement execute function partners_user_count_del()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0010_user_counts cannot be reverted');
}

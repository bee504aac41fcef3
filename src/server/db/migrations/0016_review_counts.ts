import { sql, type Kysely } from 'kysely';

/**
 * The operator's review queues show how many items wait in each status. Counting 10,000
 * pending rows on every page view is what made the queues slow, so the counts are kept
 * in `review_counts` by statement-level triggers (one update per statement, however many
 * rows it touches), like the partners' user counters (migration 0010).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table review_counts (queue text not null, status text not null, n integer not null default 0, primary key (queue, status))`.execute(db);
  await sql`
    insert into review_counts (queue, status, n)
    select 'bankprofiles', status, count(*)::integer from bank_profiles group by status
    union all
    select 'taxexemptions', status, count(*)::integer from tax_exemptions group by status`.execute(db);
  await sql`
    create function review_counts_apply() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        insert into review_counts as r (queue, status, n)
          select tg_argv[0], status, -count(*)::integer from old_rows group by status
          on conflict (queue, status) do update set n = r.n + excluded.n;
      end if;
      if tg_op in ('UPDATE', 'INSERT') then
        insert into review_counts as r (queue, status, n)
          select tg_argv[0], status, count(*)::integer from new_rows group by status
          on conflict (queue, status) do update set n = r.n + excluded.n;
      end if;
      return null;
    end $$`.execute(db);
  for (const [table, queue] of [['bank_profiles', 'bankprofiles'], ['tax_exemptions', 'taxexemptions']] as const) {
    await sql.raw(`create trigger ${table}_counts_ins after insert on ${table} referencing new table as new_rows for each statement execute function review_counts_apply('${queue}')`).execute(db);
    await sql.raw(`create trigger ${table}_counts_upd after update on ${table} referencing old table as old_rows new table as new_rows for each statement execute function review_counts_apply('${queue}')`).execute(db);
    await sql.raw(`create trigger ${table}_counts_del after delete on ${table} referencing old table as old_rows for each statement execute function review_counts_apply('${queue}')`).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('0016_review_counts cannot be reverted');
}

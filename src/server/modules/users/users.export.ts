import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'kysely';
import type { Db } from '../../db/database';

/** CSV export of users: streamed in keyset-paged batches, so any number of users takes constant memory. */
export const EXPORT_COLUMNS = ['firstName', 'lastName', 'email', 'roles', 'status', 'createdAt', 'lastSignInAt'] as const;
const PAGE = 1000;

/**
 * A cell a spreadsheet would read as a formula (= + - @, or a leading tab or carriage return)
 * is prefixed with an apostrophe: opening the file never runs anything (CSV injection).
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export interface ExportFilter {
  search?: string | undefined;
  role?: string | undefined;
}

/** One page of the partner's users in name order after (sort_name, id); the same filters as the users list. */
function page(db: Db, partnerId: string, f: ExportFilter, after: { key: string; id: string } | undefined) {
  let q = db.selectFrom('users as u').where('u.partner_id', '=', partnerId);
  if (f.search) {
    const like = `%${f.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('u.sort_name', 'like', like), eb('u.email_key', 'like', like)]));
  }
  if (f.role) {
    const role = f.role;
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('user_roles as ur').select('ur.user_id').whereRef('ur.partner_id', '=', 'u.partner_id').whereRef('ur.user_id', '=', 'u.id').where('ur.role_id', '=', role)),
    );
  }
  if (after) q = q.where(sql<boolean>`(u.sort_name, u.id) > (${after.key}, ${after.id}::uuid)`);
  return q
    .select(['u.id', 'u.sort_name', 'u.first_name', 'u.last_name', 'u.email', 'u.status', 'u.invited_at', 'u.created_at', 'u.last_sign_in_at'])
    .select(sql<string[]>`array(select ur.role_id from user_roles ur where ur.partner_id = u.partner_id and ur.user_id = u.id order by ur.role_id)`.as('roles'))
    .orderBy('u.sort_name')
    .orderBy('u.id')
    .limit(PAGE)
    .execute();
}

async function* csvChunks(db: Db, partnerId: string, f: ExportFilter): AsyncGenerator<string> {
  // A BOM, so spreadsheet software reads accents as UTF-8.
  yield '\uFEFF' + stringify([[...EXPORT_COLUMNS]], { record_delimiter: 'windows' });
  let after: { key: string; id: string } | undefined;
  for (;;) {
    const rows = await page(db, partnerId, f, after);
    if (!rows.length) return;
    yield stringify(
      rows.map((u) => [
        neutralise(u.first_name),
        neutralise(u.last_name),
        neutralise(u.email),
        neutralise(u.roles.join(';')),
        u.status === 'active' && u.invited_at ? 'invited' : u.status,
        u.created_at.toISOString(),
        u.last_sign_in_at ? u.last_sign_in_at.toISOString() : '',
      ]),
      { record_delimiter: 'windows' },
    );
    if (rows.length < PAGE) return;
    const last = rows.at(-1)!;
    after = { key: last.sort_name, id: last.id };
  }
}

export function exportUsersCsv(db: Db, partnerId: string, f: ExportFilter): Readable {
  return Readable.from(csvChunks(db, partnerId, f), { objectMode: false });
}

import { randomUUID } from 'node:crypto';
import { CsvError, parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { auditMany } from '../../core/audit';
import { inTransaction, requirePartnerActor, type RequestContext } from '../../core/context';
import { AppError, type ErrorDetail } from '../../core/errors';
import { ZEmail } from '../../core/schemas';
import { insertInvitations, mailInvitations, unusablePasswordHash, type IssuedInvitation } from '../invitations/invitations.service';
import { checkAssignableRoles } from '../roles/roles.service';
import { emailKey } from './users.repo';

/** CSV import of users (Account settings → Users → Import). */
export const IMPORT_MAX_ROWS = 10_000;
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const IMPORT_COLUMNS = ['firstName', 'lastName', 'email', 'roles'] as const;
type Column = (typeof IMPORT_COLUMNS)[number];

const NAME_MAX = 50;
const ROLES_MAX = 10;

interface Row {
  line: number;
  firstName: string;
  lastName: string;
  email: string;
  roles: { id: string; category: string }[];
}

function readCsv(text: string): { line: number; cells: string[] }[] {
  try {
    const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as { record: string[]; info: { lines: number; empty_lines: number } }[];
    // csv-parse reports the line a record ends on; a quoted field may span lines, so count from the previous record.
    let prevEnd = 0;
    let prevEmpty = 0;
    return records.map(({ record, info }) => {
      const line = prevEnd + 1 + (info.empty_lines - prevEmpty);
      prevEnd = info.lines;
      prevEmpty = info.empty_lines;
      return { line, cells: record };
    });
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw new AppError('IMPORT_INVALID', { rows: 1 }, [{ ...(line ? { line } : {}), reason: 'csv_malformed', message: '' }]);
    }
    throw err;
  }
}

function checkName(value: string, field: Column, line: number, out: ErrorDetail[]): string {
  const v = value.trim();
  if (!v) out.push({ line, field, reason: 'required', message: '' });
  else if ([...v].length > NAME_MAX) out.push({ line, field, reason: 'too_long', message: '', params: { max: NAME_MAX } });
  return v;
}

function checkEmail(value: string, line: number, out: ErrorDetail[]): string {
  const v = value.trim();
  if (!v) {
    out.push({ line, field: 'email', reason: 'required', message: '' });
    return v;
  }
  const r = ZEmail.safeParse(v);
  if (!r.success) {
    const tooLong = r.error.issues.some((i) => i.code === 'too_big');
    out.push(tooLong ? { line, field: 'email', reason: 'too_long', message: '', params: { max: 254 } } : { line, field: 'email', reason: 'invalid_format', message: '', params: { format: 'email' } });
  }
  return v;
}

/**
 * Validate every row first (all problems, with their line), then create every user in one
 * transaction with multi-row inserts, or nobody. Imported users get an invitation by email
 * (no password is hashed per row: they choose theirs when they accept).
 */
export async function importUsers(ctx: RequestContext, text: string): Promise<{ imported: number }> {
  const p = requirePartnerActor(ctx);
  const records = readCsv(text);
  const header = records[0];
  if (!header) throw new AppError('IMPORT_INVALID', { rows: 1 }, [{ line: 1, reason: 'empty_file', message: '' }]);

  // Header: the four columns, in any order, names compared without case.
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const index = {} as Record<Column, number>;
  const headerProblems: ErrorDetail[] = [];
  for (const col of IMPORT_COLUMNS) {
    const i = names.indexOf(col.toLowerCase());
    if (i < 0) headerProblems.push({ line: header.line, field: col, reason: 'missing_column', message: '' });
    index[col] = i;
  }
  names.forEach((n, i) => {
    if (!IMPORT_COLUMNS.some((c) => c.toLowerCase() === n) || names.indexOf(n) !== i) headerProblems.push({ line: header.line, field: header.cells[i] ?? '', reason: 'unknown_column', message: '' });
  });
  if (headerProblems.length) throw new AppError('IMPORT_INVALID', { rows: 1 }, headerProblems);

  const data = records.slice(1);
  if (!data.length) throw new AppError('IMPORT_INVALID', { rows: 1 }, [{ line: header.line, reason: 'empty_file', message: '' }]);
  if (data.length > IMPORT_MAX_ROWS) throw new AppError('IMPORT_TOO_MANY_ROWS', { max: IMPORT_MAX_ROWS, rows: data.length });

  const problems: ErrorDetail[] = [];
  const rows: (Row & { roleIds: string[] })[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, cells } of data) {
    if (cells.length !== names.length) {
      problems.push({ line, reason: 'column_count', message: '', params: { expected: names.length, found: cells.length } });
      continue;
    }
    const out: ErrorDetail[] = [];
    const firstName = checkName(cells[index.firstName]!, 'firstName', line, out);
    const lastName = checkName(cells[index.lastName]!, 'lastName', line, out);
    const email = checkEmail(cells[index.email]!, line, out);
    const roleIds = [...new Set(cells[index.roles]!.split(';').map((r) => r.trim()).filter(Boolean))];
    if (roleIds.length > ROLES_MAX) out.push({ line, field: 'roles', reason: 'too_many_roles', message: '', params: { max: ROLES_MAX } });
    if (email) {
      const key = emailKey(email);
      const first = firstLineOf.get(key);
      if (first !== undefined) out.push({ line, field: 'email', reason: 'duplicate_in_file', message: '', params: { line: first } });
      else firstLineOf.set(key, line);
    }
    problems.push(...out);
    rows.push({ line, firstName, lastName, email, roles: [], roleIds });
  }

  // Roles: the same checks as Add user (known, one per category, no escalation), once per distinct set.
  const checked = new Map<string, { roles: Row['roles'] } | { problems: ErrorDetail[] }>();
  for (const row of rows) {
    if (row.roleIds.length > ROLES_MAX) continue;
    const key = [...row.roleIds].sort().join(';');
    let result = checked.get(key);
    if (!result) {
      try {
        result = { roles: (await checkAssignableRoles(ctx, p.partnerId, row.roleIds, p.permissions)).map((r) => ({ id: r.id, category: r.category })) };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const reason = err.code === 'ROLE_ESCALATION' ? 'role_escalation' : err.code === 'ROLE_CATEGORY_CONFLICT' ? 'category_conflict' : 'unknown_role';
        result = { problems: err.details.length ? err.details.map((d) => ({ ...d, reason: d.reason || reason })) : [{ field: 'roles', reason, message: '' }] };
      }
      checked.set(key, result);
    }
    if ('problems' in result) problems.push(...result.problems.map((d) => ({ ...d, line: row.line, field: 'roles' })));
    else row.roles = result.roles;
  }

  // Emails already registered (in any company: an email is globally unique).
  const keys = [...firstLineOf.keys()];
  for (let i = 0; i < keys.length; i += 5000) {
    const chunk = keys.slice(i, i + 5000);
    const taken = await ctx.db.selectFrom('users').select('email_key').where(sql<boolean>`email_key = any(${chunk}::text[])`).execute();
    for (const t of taken) problems.push({ line: firstLineOf.get(t.email_key)!, field: 'email', reason: 'taken', message: '' });
  }

  if (problems.length) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new AppError('IMPORT_INVALID', { rows: new Set(problems.map((d) => d.line)).size }, problems);
  }

  const passwordHash = await unusablePasswordHash(ctx.deps.config.secrets.pepper);
  const users = rows.map((r) => ({ ...r, id: randomUUID() }));
  const issued: IssuedInvitation[] = await inTransaction(ctx, async (tx) => {
    const now = tx.now;
    // One statement per table, rows passed as arrays (unnest): far less parsing than VALUES lists.
    await sql`
      insert into users (id, partner_id, email, email_key, first_name, last_name, password_hash, email_verified_at, locale, invited_at, created_at, updated_at)
      select id, ${p.partnerId}::uuid, email, email_key, first_name, last_name, ${passwordHash}, null, null, ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz
      from unnest(${users.map((u) => u.id)}::uuid[], ${users.map((u) => u.email)}::text[], ${users.map((u) => emailKey(u.email))}::text[], ${users.map((u) => u.firstName)}::text[], ${users.map((u) => u.lastName)}::text[])
        as t(id, email, email_key, first_name, last_name)`.execute(tx.db);
    const assignments = users.flatMap((u) => u.roles.map((r) => [u.id, r.id, r.category] as const));
    if (assignments.length) {
      await sql`
        insert into user_roles (partner_id, user_id, role_id, category, location_id)
        select ${p.partnerId}::uuid, user_id, role_id, category, null
        from unnest(${assignments.map((x) => x[0])}::uuid[], ${assignments.map((x) => x[1])}::text[], ${assignments.map((x) => x[2])}::text[]) as t(user_id, role_id, category)`.execute(tx.db);
    }
    const issued = await insertInvitations(tx.db, p.partnerId, users, now);
    // One audit record per created user, appended to the chain in bulk.
    await auditMany(tx, p.partnerId, users.map((u) => ({
      action: 'user.created', targetType: 'user', targetId: u.id,
      changes: { email: { after: u.email }, firstName: { after: u.firstName }, lastName: { after: u.lastName }, roles: { after: u.roles.map((r) => r.id).sort() }, invited: { after: true }, source: { after: 'import' } },
    })));
    return issued;
  });
  // After the commit: mailing 10,000 invitations must not hold the request (nor the transaction).
  void mailInvitations(ctx, p.partnerId, issued).catch((err: unknown) => ctx.log.warn({ err }, 'invitations not sent'));
  return { imported: users.length };
}

import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { AddressJson, ContactJson } from '../../db/schema';

/** The key enrolment uniqueness and operator search use: case-, accent- and space-insensitive. */
export function companyNameKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface NewPartner {
  id: string;
  companyName: string;
  country: string;
  currency: string;
  address: AddressJson;
  primaryContact: ContactJson;
  phone: string | null;
  website: string | null;
  status: 'pending_verification' | 'authorized';
  now: Date;
}

export async function insertPartner(db: Db, p: NewPartner): Promise<void> {
  await db
    .insertInto('partners')
    .values({
      id: p.id,
      company_name: p.companyName,
      company_name_key: companyNameKey(p.companyName),
      country: p.country,
      currency: p.currency,
      address: JSON.stringify(p.address),
      primary_contact: JSON.stringify(p.primaryContact),
      phone: p.phone,
      website: p.website,
      status: p.status,
      // A new enrolment enters the operator's verification queue with its whole legal profile to check.
      pending_fields: p.status === 'authorized' ? [] : ['companyName', 'address', 'primaryContact'],
      submitted_at: p.now,
      created_at: p.now,
      updated_at: p.now,
    })
    .execute();
}

export async function companyExists(db: Db, country: string, companyName: string): Promise<boolean> {
  const row = await db
    .selectFrom('partners')
    .select('id')
    .where('country', '=', country)
    .where('company_name_key', '=', companyNameKey(companyName))
    .executeTakeFirst();
  return row !== undefined;
}

/** Tenant-scoped read: the partner of the session, and nothing else. */
export function findPartner(db: Db, partnerId: string) {
  return db.selectFrom('partners').selectAll().where('id', '=', partnerId).executeTakeFirst();
}

export interface PartnerListQuery {
  size: number;
  search?: string | undefined;
  status?: string | undefined;
  after?: { key: string; id: string } | undefined;
}

/** Operator list: keyset paging on (company_name_key, id); substring search uses the trigram index. */
export async function listPartners(db: Db, q: PartnerListQuery) {
  let base = db.selectFrom('partners');
  if (q.search) base = base.where('company_name_key', 'like', `%${escapeLike(companyNameKey(q.search))}%`);
  if (q.status) base = base.where('status', '=', q.status as 'authorized');
  let page = base.select(['id', 'company_name', 'company_name_key', 'country', 'currency', 'status', 'primary_contact', 'created_at']);
  if (q.after) {
    const { key, id } = q.after;
    page = page.where(sql<boolean>`(company_name_key, id) > (${key}, ${id}::uuid)`);
  }
  const [rows, count] = await Promise.all([
    page.orderBy('company_name_key').orderBy('id').limit(q.size + 1).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.slice(0, q.size), hasMore: rows.length > q.size, totalCount: Number(count.n) };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

import type { Db } from '../../db/database';
import type { AddressJson, ContactJson } from '../../db/schema';

const columns = ['id', 'name', 'address', 'contact', 'version', 'created_at', 'updated_at'] as const;

/** Tenant-scoped: another partner's location is simply not found. */
export function findLocation(db: Db, partnerId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('locations').select(columns).where('partner_id', '=', partnerId).where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export type LocationRow = NonNullable<Awaited<ReturnType<typeof findLocation>>>;

/** One page, oldest first (keyset on created_at, id). */
export async function listLocations(db: Db, partnerId: string, q: { size: number; after?: { key: string; id: string } | undefined }) {
  let page = db.selectFrom('locations').select(columns).where('partner_id', '=', partnerId);
  if (q.after) {
    const at = new Date(q.after.key);
    const id = q.after.id;
    page = page.where((eb) => eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]));
  }
  const [rows, total] = await Promise.all([
    page.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(q.size + 1).execute(),
    db.selectFrom('locations').select((eb) => eb.fn.countAll<number>().as('n')).where('partner_id', '=', partnerId).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.slice(0, q.size), hasMore: rows.length > q.size, totalCount: Number(total.n) };
}

export async function insertLocation(db: Db, l: { id: string; partnerId: string; name: string; address: AddressJson; contact: ContactJson; now: Date }) {
  await db
    .insertInto('locations')
    .values({ id: l.id, partner_id: l.partnerId, name: l.name, address: JSON.stringify(l.address), contact: JSON.stringify(l.contact), version: 1, created_at: l.now, updated_at: l.now })
    .execute();
}

export async function updateLocationRow(db: Db, partnerId: string, id: string, v: { name: string; address: AddressJson; contact: ContactJson; version: number; now: Date }) {
  await db
    .updateTable('locations')
    .set({ name: v.name, address: JSON.stringify(v.address), contact: JSON.stringify(v.contact), version: v.version, updated_at: v.now })
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .execute();
}

export async function deleteLocationRow(db: Db, partnerId: string, id: string) {
  await db.deleteFrom('locations').where('partner_id', '=', partnerId).where('id', '=', id).execute();
}

/** Role assignments scoped to the location (user_roles.location_id). */
export async function assignmentsAt(db: Db, partnerId: string, id: string): Promise<number> {
  const r = await db.selectFrom('user_roles').select((eb) => eb.fn.countAll<number>().as('n')).where('partner_id', '=', partnerId).where('location_id', '=', id).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The global account: the partner itself, with its legal address. */
export function globalAccount(db: Db, partnerId: string) {
  return db.selectFrom('partners').select(['id', 'company_name', 'address']).where('id', '=', partnerId).executeTakeFirstOrThrow();
}

import { randomUUID } from 'node:crypto';
import { audit, canonicalJson } from '../../core/audit';
import { inTransaction, requirePartnerActor, type RequestContext } from '../../core/context';
import { assertVersion } from '../../core/etag';
import { AppError } from '../../core/errors';
import type { AddressJson, ContactJson } from '../../db/schema';
import { checkAddress, checkContact, FieldProblems } from '../profiles/validation';
import { assignmentsAt, deleteLocationRow, findLocation, globalAccount, insertLocation, listLocations, updateLocationRow, type LocationRow } from './locations.repo';

/**
 * Locations (reference §1.1): the global account (the partner) and its location accounts,
 * each with its own generated id, legal address and contact. Account admins and Global
 * admins manage them (`locations.manage`); reading needs `legal.read`. Every write is
 * audited in its transaction; updates and deletions need the row's current version
 * (If-Match), compared after locking the row.
 */
export interface LocationInput {
  name: string;
  address: AddressJson;
  contact: ContactJson;
}

/** The postal code must be one of the address's country and the phone numbers real ones, as on the company's profiles (stored as typed). */
function validated(input: LocationInput): LocationInput {
  const problems = new FieldProblems();
  checkAddress(problems, 'address', input.address);
  checkContact(problems, 'contact', input.contact, input.address.country);
  problems.throwIfAny();
  return input;
}

export function presentLocation(l: LocationRow) {
  return { id: l.id, name: l.name, address: l.address, contact: l.contact, createdAt: l.created_at.toISOString(), updatedAt: l.updated_at.toISOString() };
}

export async function listLocationsPage(ctx: RequestContext, q: { size: number; after?: { key: string; id: string } | undefined }) {
  const p = requirePartnerActor(ctx);
  const [page, global] = await Promise.all([listLocations(ctx.db, p.partnerId, q), globalAccount(ctx.db, p.partnerId)]);
  return { ...page, global: { id: global.id, companyName: global.company_name, address: global.address } };
}

export async function getLocation(ctx: RequestContext, id: string): Promise<LocationRow> {
  const p = requirePartnerActor(ctx);
  const l = await findLocation(ctx.db, p.partnerId, id);
  if (!l) throw new AppError('NOT_FOUND');
  return l;
}

export async function createLocation(ctx: RequestContext, raw: LocationInput): Promise<LocationRow> {
  const p = requirePartnerActor(ctx);
  const input = validated(raw);
  const id = randomUUID();
  return inTransaction(ctx, async (tx) => {
    await insertLocation(tx.db, { id, partnerId: p.partnerId, ...input, now: tx.now });
    await audit(tx, {
      partnerId: p.partnerId,
      action: 'location.created',
      targetType: 'location',
      targetId: id,
      changes: { name: { after: input.name }, address: { after: input.address }, contact: { after: input.contact } },
    });
    return (await findLocation(tx.db, p.partnerId, id))!;
  });
}

/** jsonb does not keep key order: compare canonically. */
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

export async function updateLocation(ctx: RequestContext, id: string, expectedVersion: number, raw: LocationInput): Promise<LocationRow> {
  const p = requirePartnerActor(ctx);
  const input = validated(raw);
  return inTransaction(ctx, async (tx) => {
    const current = await findLocation(tx.db, p.partnerId, id, { forUpdate: true });
    if (!current) throw new AppError('NOT_FOUND');
    assertVersion(expectedVersion, current.version);
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    if (current.name !== input.name) changes.name = { before: current.name, after: input.name };
    if (!same(current.address, input.address)) changes.address = { before: current.address, after: input.address };
    if (!same(current.contact, input.contact)) changes.contact = { before: current.contact, after: input.contact };
    // Nothing changed: no new version, no audit record.
    if (Object.keys(changes).length === 0) return current;
    await updateLocationRow(tx.db, p.partnerId, id, { ...input, version: current.version + 1, now: tx.now });
    await audit(tx, { partnerId: p.partnerId, action: 'location.updated', targetType: 'location', targetId: id, changes });
    return (await findLocation(tx.db, p.partnerId, id))!;
  });
}

/** Permanent. Refused while a role assignment is scoped to the location (409 LOCATION_IN_USE). */
export async function deleteLocation(ctx: RequestContext, id: string, expectedVersion: number): Promise<void> {
  const p = requirePartnerActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const current = await findLocation(tx.db, p.partnerId, id, { forUpdate: true });
    if (!current) throw new AppError('NOT_FOUND');
    assertVersion(expectedVersion, current.version);
    const inUse = await assignmentsAt(tx.db, p.partnerId, id);
    if (inUse > 0) throw new AppError('LOCATION_IN_USE', { count: inUse });
    await deleteLocationRow(tx.db, p.partnerId, id);
    await audit(tx, {
      partnerId: p.partnerId,
      action: 'location.deleted',
      targetType: 'location',
      targetId: id,
      changes: { name: { before: current.name }, address: { before: current.address }, contact: { before: current.contact } },
    });
  });
}

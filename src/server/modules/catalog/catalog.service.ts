import { createHash } from 'node:crypto';
import { audit } from '../../core/audit';
import { inTransaction, requirePartnerActor, type RequestContext } from '../../core/context';
import { AppError, type ErrorDetail } from '../../core/errors';
import {
  categoryCounts,
  existingOfferIds,
  findOffer,
  listOffers,
  lockPins,
  offerTerms,
  offerTitles,
  partnerMarket,
  pinsOf,
  replacePins,
  segmentCounts,
  type OfferCursor,
  type OfferFilter,
  type OfferListRow,
  type Segment,
} from './catalog.repo';

/**
 * Sell → Catalog (reference §1.9; issue 6): partners browse the operator's offers by segment
 * and category, read an offer's details, and pin up to five offers to the top of the catalog
 * for everyone in the company.
 *
 * Offers are global; pins belong to the company (the session's partner). Browsing needs
 * `pricing.read`, changing pins `catalog.manage`.
 *
 * Pin concurrency: `PUT /v1/catalog/pins` replaces the whole list in one transaction, after
 * locking the company's row, so two saves never interleave. The list's ETag is a hash of the
 * stored order; `If-Match` is optional (the contract is a plain PUT), and when sent a
 * stale one gets 412 PRECONDITION_FAILED, so two admins reordering at once do not silently
 * overwrite each other.
 */

export const MAX_PINS = 5;

/** `ProductId:SkuId`, as in the new-commerce offer matrix (e.g. `CFQ7TTC0LH18:0001`). */
export const OFFER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:[A-Za-z0-9._-]{1,64}$/;

export function presentOfferListItem(r: OfferListRow) {
  return {
    id: r.id,
    productId: r.product_id,
    skuId: r.sku_id,
    productTitle: r.product_title,
    skuTitle: r.sku_title,
    publisher: r.publisher,
    segment: r.segment,
    category: r.category,
    endOfSale: r.end_of_sale,
    pinned: r.position !== null,
    pinPosition: r.position,
  };
}

export async function browseOffers(ctx: RequestContext, f: OfferFilter, page: { size: number; after?: OfferCursor | undefined }) {
  const p = requirePartnerActor(ctx);
  return listOffers(ctx.db, p.partnerId, f, page);
}

/** The cursor of the last row of a page: its (segment, category, product title) and id. */
export function cursorKeyOf(r: OfferListRow): string {
  return JSON.stringify([r.segment, r.category, r.product_title]);
}

export function cursorFrom(c: { key: string; id: string } | undefined): OfferCursor | undefined {
  if (!c) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(c.key);
  } catch {
    throw new AppError('INVALID_CONTINUATION_TOKEN');
  }
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'string')) throw new AppError('INVALID_CONTINUATION_TOKEN');
  const [segment, category, productTitle] = v as [string, string, string];
  return { segment, category, productTitle, id: c.id };
}

export async function catalogCategories(ctx: RequestContext, segment: Segment | undefined) {
  requirePartnerActor(ctx);
  const [items, segments] = await Promise.all([categoryCounts(ctx.db, segment), segmentCounts(ctx.db)]);
  return { items, segments };
}

/** The first day of the clock's month (UTC), as the price lists' `month` column holds it. */
function currentMonth(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01`;
}

export async function offerDetails(ctx: RequestContext, id: string) {
  const p = requirePartnerActor(ctx);
  const o = await findOffer(ctx.db, id);
  if (!o) throw new AppError('NOT_FOUND');
  const market = await partnerMarket(ctx.db, p.partnerId);
  const [titles, terms, pins] = await Promise.all([
    offerTitles(ctx.db, o.prerequisites),
    offerTerms(ctx.db, market, currentMonth(ctx.now), o.product_id, o.sku_id),
    pinsOf(ctx.db, p.partnerId),
  ]);
  const position = pins.indexOf(o.id);
  return {
    id: o.id,
    productId: o.product_id,
    skuId: o.sku_id,
    productTitle: o.product_title,
    skuTitle: o.sku_title,
    publisher: o.publisher,
    segment: o.segment,
    category: o.category,
    description: o.description,
    endOfSale: o.end_of_sale,
    minLicenses: o.min_licenses,
    maxLicenses: o.max_licenses,
    assetOwnershipLimit: o.asset_ownership_limit,
    assetOwnershipLimitType: o.asset_ownership_limit_type,
    // Prerequisites are offer ids in the matrix; the title is null when the offer is not (or no longer) in the catalog.
    prerequisites: o.prerequisites.map((pid) => {
      const t = titles.get(pid);
      return { id: pid, productTitle: t?.productTitle ?? null, skuTitle: t?.skuTitle ?? null };
    }),
    allowedCountries: o.allowed_countries,
    // From the company's market price list of the current month, when one is published.
    priceList: terms ? { market, month: terms.month.slice(0, 7) } : null,
    terms: (terms?.rows ?? []).map((r) => ({ termDuration: r.term_duration, billingPlan: r.billing_plan, currencies: r.currencies })),
    pinned: position >= 0,
    pinPosition: position >= 0 ? position + 1 : null,
    updatedAt: o.updated_at.toISOString(),
  };
}

/** The pins' ETag: a hash of the stored order (an empty list has one too). */
export function pinsEtag(offerIds: string[]): string {
  return `"${createHash('sha256').update(offerIds.join('\n')).digest('base64url').slice(0, 22)}"`;
}

export async function getPins(ctx: RequestContext) {
  const p = requirePartnerActor(ctx);
  const stored = await pinsOf(ctx.db, p.partnerId);
  // An offer withdrawn from the matrix since it was pinned is not shown (nor offered back on PUT).
  const existing = await existingOfferIds(ctx.db, stored);
  const titles = await offerTitles(ctx.db, stored);
  const offerIds = stored.filter((id) => existing.has(id));
  return {
    offerIds,
    etag: pinsEtag(stored),
    offers: offerIds.map((id) => ({ id, productTitle: titles.get(id)!.productTitle, skuTitle: titles.get(id)!.skuTitle })),
  };
}

function checkedPins(offerIds: string[]): void {
  if (offerIds.length > MAX_PINS) throw new AppError('PIN_LIMIT', { max: MAX_PINS, count: offerIds.length });
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  offerIds.forEach((id, i) => {
    if (!OFFER_ID_PATTERN.test(id)) details.push({ field: `offerIds.${i}`, reason: 'invalid_offer_id', message: '', params: { offerId: id } });
    else if (seen.has(id)) details.push({ field: `offerIds.${i}`, reason: 'duplicate_offer', message: '', params: { offerId: id } });
    seen.add(id);
  });
  if (details.length) throw new AppError('VALIDATION_FAILED', {}, details);
}

/**
 * Replace the company's pins with `offerIds` (display order), whole or not at all.
 * `ifMatch`: the ETag the client read, or undefined to overwrite.
 */
export async function setPins(ctx: RequestContext, offerIds: string[], ifMatch: string | undefined) {
  const p = requirePartnerActor(ctx);
  checkedPins(offerIds);
  await inTransaction(ctx, async (tx) => {
    await lockPins(tx.db, p.partnerId);
    const before = await pinsOf(tx.db, p.partnerId);
    if (ifMatch !== undefined && ifMatch !== pinsEtag(before)) throw new AppError('PRECONDITION_FAILED', { current: pinsEtag(before) });
    const existing = await existingOfferIds(tx.db, offerIds);
    const unknown: ErrorDetail[] = offerIds.flatMap((id, i) => (existing.has(id) ? [] : [{ field: `offerIds.${i}`, reason: 'unknown_offer', message: '', params: { offerId: id } }]));
    if (unknown.length) throw new AppError('VALIDATION_FAILED', {}, unknown);
    // The same order again: nothing to write, nothing to audit.
    if (before.join('\n') === offerIds.join('\n')) return;
    await replacePins(tx.db, p.partnerId, offerIds);
    await audit(tx, {
      partnerId: p.partnerId,
      action: 'catalog.pins.updated',
      targetType: 'catalog_pins',
      targetId: p.partnerId,
      changes: { offerIds: { before, after: offerIds } },
    });
  });
  return getPins(ctx);
}

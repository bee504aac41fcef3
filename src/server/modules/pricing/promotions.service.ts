import { randomUUID } from 'node:crypto';
import { audit } from '../../core/audit';
import { inTransaction, requireOperator, requirePartnerActor, type RequestContext } from '../../core/context';
import { assertVersion } from '../../core/etag';
import { AppError } from '../../core/errors';
import { FieldProblems } from '../profiles/validation';
import { formatDec, parseDec, rescale } from './decimal';
import { activePromotions, deletePromotionRow, findPromotion, insertPromotion, listPromotions, updatePromotionRow, type PromotionRow } from './promotions.repo';
import { tidyPercent, type PromotionCandidate, type PromotionTerms } from './resolve';

/**
 * Promotions (issue 6, "The operator publishes"): a percentage off the list price, for some
 * markets, products or SKUs and terms (an empty list means all), between two dates
 * (inclusive). The operator manages them (`operator.catalog`); every change is audited on
 * the operator chain. Partners see the running ones next to the prices they change, and
 * price resolution (resolve.ts) applies the best one.
 */
export type PromotionInput = Omit<PromotionTerms, 'percent'> & { percent: string | number };

const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;

/** A real calendar day (2026-02-30 is not). */
export function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const uniq = (xs: string[]) => [...new Set(xs)];

/** Checks what zod cannot: the percent range and the date order. Field names are the body's. */
export function validatePromotion(input: PromotionInput): PromotionTerms {
  const problems = new FieldProblems();
  const pct = typeof input.percent === 'number' ? String(input.percent) : input.percent.trim();
  let percent = '';
  if (!PERCENT.test(pct)) problems.add('percent', 'promotion_percent_format');
  else {
    const p = rescale(parseDec(pct), 2);
    if (p.units <= 0n || p.units > 10000n) problems.add('percent', 'promotion_percent_range');
    percent = formatDec(p);
  }
  if (!isCalendarDay(input.startsOn)) problems.add('startsOn', 'promotion_invalid_date');
  if (!isCalendarDay(input.endsOn)) problems.add('endsOn', 'promotion_invalid_date');
  else if (isCalendarDay(input.startsOn) && input.endsOn < input.startsOn) problems.add('endsOn', 'promotion_ends_before_start');
  problems.throwIfAny();
  return {
    name: input.name.trim(),
    percent,
    markets: uniq(input.markets.map((m) => m.toUpperCase())),
    productIds: uniq(input.productIds),
    skuIds: uniq(input.skuIds),
    terms: uniq(input.terms.map((t) => t.toUpperCase())),
    startsOn: input.startsOn,
    endsOn: input.endsOn,
  };
}

export function presentPromotion(p: PromotionRow) {
  return {
    id: p.id,
    name: p.name,
    percent: tidyPercent(p.percent),
    markets: p.markets,
    productIds: p.product_ids,
    skuIds: p.sku_ids,
    terms: p.terms,
    startsOn: p.starts_on,
    endsOn: p.ends_on,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}

export function asCandidate(p: PromotionRow): PromotionCandidate {
  return { id: p.id, name: p.name, percent: p.percent, markets: p.markets, productIds: p.product_ids, skuIds: p.sku_ids, terms: p.terms, startsOn: p.starts_on, endsOn: p.ends_on };
}

export async function listPromotionsPage(ctx: RequestContext, q: { size: number; after?: { key: string; id: string } | undefined; market?: string | undefined }) {
  requireOperator(ctx);
  return listPromotions(ctx.db, q);
}

export async function getPromotion(ctx: RequestContext, id: string): Promise<PromotionRow> {
  requireOperator(ctx);
  const p = await findPromotion(ctx.db, id);
  if (!p) throw new AppError('NOT_FOUND');
  return p;
}

function snapshot(v: PromotionTerms) {
  return { name: v.name, percent: v.percent, markets: v.markets, productIds: v.productIds, skuIds: v.skuIds, terms: v.terms, startsOn: v.startsOn, endsOn: v.endsOn };
}

export async function createPromotion(ctx: RequestContext, input: PromotionInput): Promise<PromotionRow> {
  const op = requireOperator(ctx);
  const values = validatePromotion(input);
  const id = randomUUID();
  return inTransaction(ctx, async (tx) => {
    await insertPromotion(tx.db, { ...values, id, createdBy: op.operatorId, now: tx.now });
    const changes = Object.fromEntries(Object.entries(snapshot(values)).map(([k, v]) => [k, { after: v }]));
    await audit(tx, { partnerId: null, action: 'promotion.created', targetType: 'promotion', targetId: id, changes });
    return (await findPromotion(tx.db, id))!;
  });
}

export async function updatePromotion(ctx: RequestContext, id: string, expectedVersion: number, input: PromotionInput): Promise<PromotionRow> {
  requireOperator(ctx);
  const values = validatePromotion(input);
  return inTransaction(ctx, async (tx) => {
    const current = await findPromotion(tx.db, id, { forUpdate: true });
    if (!current) throw new AppError('NOT_FOUND');
    assertVersion(expectedVersion, current.version);
    const before = snapshot(asCandidate(current));
    const after = snapshot(values);
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const k of Object.keys(after) as (keyof typeof after)[]) {
      if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) changes[k] = { before: before[k], after: after[k] };
    }
    if (!Object.keys(changes).length) return current;
    await updatePromotionRow(tx.db, id, { ...values, version: current.version + 1, now: tx.now });
    await audit(tx, { partnerId: null, action: 'promotion.updated', targetType: 'promotion', targetId: id, changes });
    return (await findPromotion(tx.db, id))!;
  });
}

export async function deletePromotion(ctx: RequestContext, id: string, expectedVersion: number): Promise<void> {
  requireOperator(ctx);
  await inTransaction(ctx, async (tx) => {
    const current = await findPromotion(tx.db, id, { forUpdate: true });
    if (!current) throw new AppError('NOT_FOUND');
    assertVersion(expectedVersion, current.version);
    await deletePromotionRow(tx.db, id);
    await audit(tx, { partnerId: null, action: 'promotion.deleted', targetType: 'promotion', targetId: id, changes: { name: { before: current.name }, percent: { before: current.percent } } });
  });
}

/** Partners: the promotions running today for a market (what the price pages show). */
export async function runningPromotions(ctx: RequestContext, market: string | undefined) {
  requirePartnerActor(ctx);
  return activePromotions(ctx.db, ctx.now.toISOString().slice(0, 10), market);
}

import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { currencyOf } from '../../../core/schemas';
import { OFFER_COLUMNS, PRICE_LIST_COLUMNS } from './columns';

/**
 * A generator of realistic new-commerce price lists and offer matrices (bench, demo, tests).
 *
 * Deterministic from a seed: SKU number i always has the same product, titles, terms and base
 * price. Month over month the list moves like the real one: each SKU has a birth month (about
 * 1% of the list is new each month → ADD) and some an end (its last month carries an
 * EndofSaleDate → CHG, then it is gone → DEL), and about 3% of SKUs change price in a month
 * (→ CHG). So generating two consecutive months gives a realistic difference without reading
 * the previous file.
 */

const EU_CURRENCIES = ['EUR', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK'];
const EU_MARKETS = new Set(['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE']);
/** Units of currency per USD (fixed, for realistic magnitudes only). */
const FX: Record<string, number> = { USD: 1, EUR: 0.92, GBP: 0.79, CHF: 0.88, SEK: 10.4, NOK: 10.6, DKK: 6.9, JPY: 150, CAD: 1.36, AUD: 1.5, INR: 83, BRL: 5 };

const FAMILIES = [
  { title: 'Microsoft 365', editions: ['Business Basic', 'Business Standard', 'Business Premium', 'E3', 'E5', 'F1', 'F3', 'Apps for business', 'Apps for enterprise'], tag: 'Microsoft 365' },
  { title: 'Office 365', editions: ['E1', 'E3', 'E5', 'F3'], tag: 'Office 365' },
  { title: 'Dynamics 365', editions: ['Sales Enterprise', 'Sales Professional', 'Customer Service Enterprise', 'Field Service', 'Finance', 'Supply Chain Management', 'Business Central Essentials', 'Business Central Premium', 'Team Members'], tag: 'Dynamics 365' },
  { title: 'Power BI', editions: ['Pro', 'Premium Per User'], tag: 'Power Platform' },
  { title: 'Power Apps', editions: ['Premium', 'Per App'], tag: 'Power Platform' },
  { title: 'Power Automate', editions: ['Premium', 'Process'], tag: 'Power Platform' },
  { title: 'Microsoft Teams', editions: ['Essentials', 'Premium', 'Phone Standard', 'Rooms Pro', 'Audio Conferencing'], tag: 'Teams' },
  { title: 'Exchange Online', editions: ['Plan 1', 'Plan 2', 'Kiosk', 'Archiving'], tag: 'Exchange' },
  { title: 'SharePoint Online', editions: ['Plan 1', 'Plan 2'], tag: 'SharePoint' },
  { title: 'Windows 365', editions: ['Business 2vCPU 4GB', 'Business 2vCPU 8GB', 'Enterprise 4vCPU 16GB', 'Frontline 2vCPU 8GB'], tag: 'Windows' },
  { title: 'Microsoft Defender', editions: ['for Endpoint P1', 'for Endpoint P2', 'for Office 365 P1', 'for Office 365 P2', 'for Business'], tag: 'Security' },
  { title: 'Enterprise Mobility + Security', editions: ['E3', 'E5'], tag: 'EMS' },
  { title: 'Microsoft Intune', editions: ['Plan 1', 'Suite'], tag: 'EMS' },
  { title: 'Visio', editions: ['Plan 1', 'Plan 2'], tag: 'Visio' },
  { title: 'Project', editions: ['Plan 1', 'Plan 3', 'Plan 5'], tag: 'Project' },
  { title: 'Microsoft 365 Copilot', editions: ['Business', 'Enterprise'], tag: 'Copilot' },
];
const AUDIENCES = [
  { suffix: '', weight: 70 },
  { suffix: ' for Faculty', weight: 8 },
  { suffix: ' for Students', weight: 4 },
  { suffix: ' (Government GCC)', weight: 8 },
  { suffix: ' for Nonprofits', weight: 6 },
  { suffix: ' Trial', weight: 4 },
];
const ISV_PUBLISHERS = ['Contoso Software Ltd', 'Fabrikam Inc.', 'Northwind Traders', 'Adatum Corporation', 'Litware Inc.'];
const ALNUM = '0123456789BCDFGHJKLMNPQRSTVWXZ';

/** A 32-bit hash of (seed, numbers), uniform enough for picking attributes. */
function hash(seed: number, ...xs: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}
const unit = (seed: number, ...xs: number[]) => hash(seed, ...xs) / 4294967296;

export const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthStart = (m: number) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
const monthEnd = (m: number) => new Date(Date.UTC(Math.floor(m / 12), (m % 12) + 1, 0)).toISOString().slice(0, 10);
/** Births are spread over 100 months before this one (so ~1% of SKUs are new in any month). */
const REFERENCE_MONTH = monthIndex('2026-12');

export function marketCurrencies(market: string): string[] {
  if (EU_MARKETS.has(market)) return EU_CURRENCIES;
  return [currencyOf(market) ?? 'USD'];
}

interface Sku {
  i: number;
  productId: string;
  skuId: string;
  productTitle: string;
  skuTitle: string;
  publisher: string;
  description: string;
  family: (typeof FAMILIES)[number];
  trial: boolean;
  /** Monthly price in USD cents. */
  baseCents: number;
  tiered: boolean;
  terms: [string, string][];
  birth: number;
  death: number | null;
}

/** A unique product code per product number (a bijection mod 30^5, so it looks random but never collides). */
function productCode(seed: number, p: number): string {
  const N = 30 ** 5;
  let x = (((p + (seed % 1000)) % N) * 7919 + 104729) % N;
  let s = '';
  for (let k = 0; k < 5; k++) {
    s = ALNUM[x % 30]! + s;
    x = Math.floor(x / 30);
  }
  return `CFQ7TTC${s}`;
}

function pickAudience(seed: number, p: number): string {
  let r = hash(seed, p, 5) % 100;
  for (const a of AUDIENCES) {
    if (r < a.weight) return a.suffix;
    r -= a.weight;
  }
  return '';
}

/** SKU number i (3 SKUs per product): its attributes, from the seed alone. */
function skuAt(seed: number, i: number): Sku {
  const p = Math.floor(i / 3);
  const family = FAMILIES[hash(seed, p, 1) % FAMILIES.length]!;
  const edition = family.editions[hash(seed, p, 2) % family.editions.length]!;
  const audience = pickAudience(seed, p);
  const trial = audience === ' Trial';
  const productTitle = `${family.title} ${edition}${audience}`;
  const variants = ['', ' (no Teams)', ' (annual commitment)', ' Add-on', ' with Copilot'];
  const skuTitle = `${productTitle}${variants[hash(seed, i, 3) % variants.length]}`;
  const isv = hash(seed, p, 4) % 20 === 0;
  const r = unit(seed, i, 6);
  const terms: [string, string][] = trial
    ? [['P1M', 'None']]
    : r < 0.15
      ? [['P1M', 'Monthly'], ['P1Y', 'Monthly'], ['P1Y', 'Annual'], ['P3Y', 'Annual'], ['P3Y', 'Triennial']]
      : r < 0.85
        ? [['P1M', 'Monthly'], ['P1Y', 'Monthly'], ['P1Y', 'Annual']]
        : [['P1Y', 'Annual']];
  const birth = REFERENCE_MONTH - 99 + (hash(seed, i, 8) % 100);
  const death = unit(seed, i, 9) < 0.3 ? birth + 6 + (hash(seed, i, 10) % 120) : null;
  return {
    i,
    productId: productCode(seed, p),
    skuId: String((i % 3) + 1).padStart(4, '0'),
    productTitle,
    skuTitle,
    publisher: isv ? ISV_PUBLISHERS[hash(seed, p, 11) % ISV_PUBLISHERS.length]! : 'Microsoft Corporation',
    description: `${skuTitle}: cloud subscription licensed per user.`,
    family,
    trial,
    baseCents: trial ? 0 : 150 + (hash(seed, i, 7) % 5700),
    tiered: !trial && unit(seed, i, 12) < 0.1,
    terms,
    birth,
    death,
  };
}

/** Price changes of SKU i in the 24 months up to m (about 3% of SKUs change in a given month). */
function changesUpTo(seed: number, i: number, m: number): { count: number; last: number | null } {
  let count = 0;
  let last: number | null = null;
  for (let k = m - 23; k <= m; k++) {
    if (unit(seed, i, 13, k) < 0.03) {
      count++;
      last = k;
    }
  }
  return { count, last };
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
const csvLine = (cells: string[]) => cells.map(csvField).join(',') + '\n';

/** Fixed-point: cents × factor, rounded to 2 decimals, as a string. */
function money(cents: number): string {
  const c = Math.max(0, Math.round(cents));
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

const TERM_MONTHS: Record<string, number> = { P1M: 1, P1Y: 12, P3Y: 36 };

export interface GenerateOptions {
  market: string;
  month: string;
  /** Stop after this many rows (the last SKU may be cut). */
  rows?: number;
  /** Only SKU numbers below this (the demo's small catalog). */
  maxSkus?: number;
  seed?: number;
}

/** The lines of a price list (header first), lazily: memory stays flat whatever the size. */
export function* priceListLines(o: GenerateOptions): Generator<string> {
  const seed = o.seed ?? 42;
  const m = monthIndex(o.month);
  const currencies = marketCurrencies(o.market);
  yield csvLine([...PRICE_LIST_COLUMNS]);
  let emitted = 0;
  const limit = o.rows ?? Number.POSITIVE_INFINITY;
  for (let i = 0; emitted < limit && (o.maxSkus === undefined || i < o.maxSkus); i++) {
    const s = skuAt(seed, i);
    if (s.birth > m || (s.death !== null && s.death <= m)) continue;
    const { count, last } = changesUpTo(seed, i, m);
    const startMonth = Math.max(s.birth, last ?? s.birth);
    const endOfSale = s.death !== null && s.death === m + 1 ? monthEnd(m) : '';
    const monthly = s.baseCents * (1 + 0.05 * count);
    const tags = s.family.tag + (s.trial ? ';Trial' : ';License');
    for (const [term, plan] of s.terms) {
      const termPrice = monthly * TERM_MONTHS[term]! * (term === 'P1M' ? 1.2 : 1);
      for (const cur of currencies) {
        const tiers: [string, string, number][] = s.tiered ? [['1', '300', 1], ['301', '', 0.9]] : [['', '', 1]];
        for (const [tmin, tmax, factor] of tiers) {
          if (emitted >= limit) return;
          const price = termPrice * (FX[cur] ?? 1) * factor;
          yield csvLine([
            s.productTitle, s.productId, s.skuId, s.skuTitle, s.publisher, s.description, 'Licenses', term, plan, o.market, cur,
            money(price), tmin, tmax, monthStart(startMonth), '9999-12-31', endOfSale, tags, s.trial ? '' : money(price * 1.2),
          ]);
          emitted++;
        }
      }
    }
  }
}

/** The offer matrix of the SKUs alive that month (market-agnostic). */
export function* offerMatrixLines(o: { month: string; skus?: number; seed?: number }): Generator<string> {
  const seed = o.seed ?? 42;
  const m = monthIndex(o.month);
  yield csvLine([...OFFER_COLUMNS]);
  const skus = o.skus ?? 300;
  for (let i = 0; i < skus; i++) {
    const s = skuAt(seed, i);
    if (s.birth > m || (s.death !== null && s.death <= m)) continue;
    const small = hash(seed, i, 20) % 3 === 0;
    const addOn = s.skuTitle.endsWith('Add-on');
    yield csvLine([
      s.productTitle, s.productId, s.skuId, s.skuTitle, `${s.productId}:${s.skuId}`.toLowerCase(), s.skuTitle.toUpperCase().replace(/[^A-Z0-9]+/g, '_').slice(0, 40),
      '1', small ? '300' : '10000000', s.trial ? '1' : small ? '2' : '', s.trial ? 'lifetime' : small ? 'concurrent' : '',
      addOn ? `${s.productId}:0001` : '', '', s.description, s.trial ? 'FR;US;DE;GB' : '',
    ]);
  }
}

/** Write lines to a stream (optionally gzip-compressed) with backpressure; resolves when written. Returns the line count. */
export async function writeLines(lines: Iterable<string>, out: Writable, gzip = false): Promise<number> {
  let n = 0;
  function* chunks(): Generator<string> {
    let buf = '';
    for (const line of lines) {
      buf += line;
      n++;
      if (buf.length > 64 * 1024) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  const src = Readable.from(chunks(), { objectMode: false });
  if (gzip) await pipeline(src, createGzip({ level: 6 }), out);
  else await pipeline(src, out);
  return n;
}

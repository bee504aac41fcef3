import { createWriteStream } from 'node:fs';
import type { Db } from '../../../db/database';
import { monthIndex, offerMatrixLines, priceListLines, writeLines } from './generate';
import { importOffers } from './offers-import';
import { importPriceList } from './pricelist-import';
import { tempUploadPath } from './source';

/** The demo's catalog: ~100 offers, price lists for FR and US. */
export const DEMO_SKUS = 100;
export const DEMO_MARKETS = ['FR', 'US'] as const;

const monthOf = (m: number) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;

/**
 * A small catalog for the demo, imported through the importer itself (files generated, then
 * imported as an operator would): the offer matrix, and FR and US price lists for last month,
 * this month and next month (the preview), so the partner pages have data on first start and
 * "what changed" has real ADD/CHG/DEL rows.
 */
export async function seedDemoCatalog(db: Db, now: Date): Promise<void> {
  const current = monthIndex(now.toISOString().slice(0, 7));
  const months = [current - 1, current, current + 1].map(monthOf);
  const actor = { type: 'system' as const, id: null };
  const tmp = await tempUploadPath('demo.csv');
  try {
    await writeLines(offerMatrixLines({ month: months[1]!, skus: DEMO_SKUS }), createWriteStream(tmp.path));
    await importOffers(db, { path: tmp.path, fileName: 'demo-offer-matrix.csv', actor, now: () => now });
    for (const market of DEMO_MARKETS) {
      for (const month of months) {
        await writeLines(priceListLines({ market, month, maxSkus: DEMO_SKUS }), createWriteStream(tmp.path));
        await importPriceList(db, { market, month: `${month}-01`, path: tmp.path, fileName: `demo-${market}-${month}.csv`, actor, now: () => now });
      }
    }
  } finally {
    await tmp.cleanup();
  }
}

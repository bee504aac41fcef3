import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PRICE_LIST_COLUMNS } from '../../src/server/modules/pricing/import/columns';
import { launchBrowser, SHOTS, startServer } from './support';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let operator: { email: string; password: string };

beforeAll(async () => {
  // The demo seeds the catalog (FR and US lists for last, this and next month) through the importer.
  server = await startServer({ DEMO: 'true' });
  const ops = /Operator console[^\n]*\n\s+email:\s+(\S+)\s+password:\s+(\S+)/.exec(server.output())!;
  operator = { email: ops[1]!, password: ops[2]! };
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const shot = async (page: Page, name: string) => {
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
};

function priceList(market: string, currency: string, rows: number, bad = false): Buffer {
  const lines = [PRICE_LIST_COLUMNS.join(',')];
  for (let i = 0; i < rows; i++) {
    const price = bad && i === 2 ? '12.50 EUR' : `${10 + i}.50`;
    const start = bad && i === 4 ? '31/12/2026' : '2026-11-01';
    lines.push(
      [`Microsoft 365 E${(i % 3) + 3}`, `CFQ7TTC0E2E${i % 10}`, String(i).padStart(4, '0'), `Microsoft 365 E${(i % 3) + 3} SKU ${i}`, 'Microsoft Corporation', 'Seat', 'Licenses', 'P1Y', 'Annual', market, currency, price, '', '', start, '9999-12-31', '', 'License', `${12 + i}.60`].join(','),
    );
  }
  return gzipSync(lines.join('\n') + '\n');
}

async function openImports(locale: string) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(`${server.baseURL}/operator/signin`);
  await page.getByTestId('signin-email').fill(operator.email);
  await page.getByTestId('signin-password').fill(operator.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('operator-nav-catalog').click();
  await page.getByTestId('import-kind').waitFor();
  return { context, page };
}

async function choose(page: Page, market: string, name: string, data: Buffer) {
  await page.getByTestId('field-market').selectOption(market);
  // Month: the current one (the second option; the first is next month's preview).
  const months = await page.getByTestId('field-month').locator('option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
  await page.getByTestId('field-month').selectOption(months[1]!);
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'application/gzip', buffer: data });
}

describe('Operator console: catalog and price list imports', () => {
  it('the operator uploads a gzip price list, sees the progress then the new version; the demo lists are in the history', async () => {
    const { context, page } = await openImports('en-US');
    // The demo's FR lists (last, this and next month) were imported at first start.
    await page.getByTestId('versions-table').waitFor();
    expect(await page.getByTestId('versions-table').getByTestId('import-status-ready').count()).toBe(3);

    await choose(page, 'BE', 'BE-price-list.csv.gz', priceList('BE', 'EUR', 400));
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-progress').waitFor();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').textContent()).toMatch(/400 rows: 400 added, 0 changed, 0 removed, 0 unchanged/);
    const history = page.getByTestId('versions-table');
    await expect.poll(() => history.getByTestId('import-status-ready').count()).toBe(1);
    expect(await history.textContent()).toMatch(/Demo operator/);
    await shot(page, 'catalog-import-done-en');

    // A bad file: refused with a table of line, column and reason; nothing published.
    await choose(page, 'BE', 'BE-bad.csv.gz', priceList('BE', 'EUR', 6, true));
    await page.getByTestId('import-submit').click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    const text = (await report.textContent()) ?? '';
    expect(text).toMatch(/Nothing was imported/);
    expect(text).toMatch(/4UnitPrice.*Not a valid amount/);
    expect(text).toMatch(/6EffectiveStartDate.*Not a valid date/);
    await expect.poll(() => history.getByTestId('import-status-failed').count()).toBe(1);
    expect(await history.getByTestId('import-status-ready').count()).toBe(1);
    await shot(page, 'catalog-import-refused-en');
    await context.close();
  });

  it('in French: the refusal report and the history are translated', async () => {
    const { context, page } = await openImports('fr-FR');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await choose(page, 'LU', 'LU-mauvais.csv.gz', priceList('LU', 'EUR', 6, true));
    await page.getByTestId('import-submit').click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    const text = (await report.textContent()) ?? '';
    expect(text).toMatch(/rien n’a été importé/);
    expect(text).toMatch(/Montant non valide/);
    expect(text).toMatch(/Date non valide/);
    await shot(page, 'catalog-import-refused-fr');
    await choose(page, 'LU', 'LU.csv.gz', priceList('LU', 'EUR', 50));
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').textContent()).toMatch(/50 lignes : 50 ajoutées/);
    await expect.poll(() => page.getByTestId('versions-table').getByTestId('import-status-ready').count()).toBe(1);
    await shot(page, 'catalog-import-done-fr');
    await context.close();
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { seedMarket } from '../support/pricing-fixtures';
import { launchBrowser, SHOTS, startServer } from './support';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let admin: { email: string; password: string };
let operator: { email: string; password: string };

beforeAll(async () => {
  // Price lists as the importer leaves them, written before the server opens the embedded database.
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-e2e-pricing-'));
  const h = await openDatabase({ dataDir });
  await h.ready;
  await migrateToLatest(h.db);
  // Belgium: the demo seed publishes its own FR and US lists at first start.
  await seedMarket(h.db, new Date(), 'BE', 'EUR');
  await h.close();
  server = await startServer({ DEMO: 'true' }, dataDir);
  const out = server.output();
  admin = { email: /email:\s+(\S+)/.exec(out)![1]!, password: /password:\s+(\S+)/.exec(out)![1]! };
  const ops = /Operator console[^\n]*\n\s+email:\s+(\S+)\s+password:\s+(\S+)/.exec(out)!;
  operator = { email: ops[1]!, password: ops[2]! };
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(locale: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return { context, page };
}

const shot = async (page: Page, name: string, fullPage = true) => {
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage, animations: 'disabled' });
};

/** Intl puts narrow or plain no-break spaces in French numbers: compare with plain spaces. */
const spaces = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

async function signIn(page: Page) {
  await page.goto(`${server.baseURL}/signin`);
  await page.getByTestId('signin-email').fill(admin.email);
  await page.getByTestId('signin-password').fill(admin.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('account-menu').waitFor();
}

const row = (page: Page, productId: string) => page.getByTestId('pricing-row').and(page.locator(`[data-product-id="${productId}"]`));

describe('Pricing and offers', () => {
  it('a partner searches the French list in French (prices as 1 234,50 €), filters CHG, opens the calculator and downloads the CSV', async () => {
    const { context, page } = await newPage('fr-FR');
    await signIn(page);
    await page.goto(`${server.baseURL}/pricing`);
    // The company's own market (France) comes first; the partner picks Belgium.
    await expect.poll(() => page.getByTestId('pricing-market').inputValue()).toBe('FR');
    await page.getByTestId('pricing-market').selectOption('BE');
    await row(page, 'CFQ7TTC0LFK5').waitFor();
    expect(spaces(await row(page, 'CFQ7TTC0LFK5').getByTestId('list-price').textContent())).toBe('1 234,50 €');
    expect(spaces(await row(page, 'CFQ7TTC0LFK5').getByTestId('erp-price').textContent())).toBe('1 481,40 €');
    expect(spaces(await page.getByTestId('pricing-total').textContent())).toBe('9 prix');
    await shot(page, 'pricing-list-fr');

    // Search by title words.
    await page.getByTestId('pricing-search').fill('business standard');
    await expect.poll(() => page.getByTestId('pricing-row').count()).toBe(1);
    expect(await row(page, 'CFQ7TTC0LDPB').count()).toBe(1);
    await page.getByTestId('pricing-search').fill('');
    await expect.poll(() => page.getByTestId('pricing-row').count()).toBe(9);

    // Changed prices only.
    await page.getByTestId('pricing-filter-flag').selectOption('CHG');
    await expect.poll(() => page.getByTestId('pricing-row').count()).toBe(1);
    expect(await row(page, 'CFQ7TTC0LDPB').getByTestId('flag-CHG').count()).toBe(1);
    await shot(page, 'pricing-filter-chg-fr');

    // The calculator: 3 licences, with its explanation.
    await row(page, 'CFQ7TTC0LDPB').getByTestId('pricing-calculate').click();
    const calc = page.getByTestId('price-calculator');
    await calc.getByTestId('calc-quantity').fill('3');
    await calc.getByTestId('calc-submit').click();
    await calc.getByTestId('calc-result').waitFor();
    expect(spaces(await calc.getByTestId('calc-total').textContent())).toBe('453,60 €');
    const explanation = await calc.getByTestId('calc-explanation').textContent();
    expect(explanation).toContain('Ligne 4 de la liste de');
    expect(explanation).toContain('Aucune promotion ne s’applique.');
    await shot(page, 'pricing-calculator-fr', false);
    await calc.getByTestId('calc-close').click();
    await calc.waitFor({ state: 'detached' });

    // Download the month as CSV: header + one line per imported row.
    await page.getByTestId('pricing-filter-flag').selectOption('');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('pricing-download-csv').click()]);
    const month = new Date().toISOString().slice(0, 7);
    expect(download.suggestedFilename()).toBe(`pricelist-BE-${month}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ProductTitle,ProductId,SkuId,SkuTitle,Publisher/);
    expect(lines).toHaveLength(8 + 1);

    // What changed this month.
    await page.getByTestId('pricing-tab-changes').click();
    await page.getByTestId('pricing-changes').waitFor();
    expect(spaces(await page.getByTestId('changes-count-ADD').textContent())).toContain('4');
    await page.getByTestId('changes-count-DEL').click();
    await row(page, 'CFQ7TTC0LH1G').waitFor();
    await shot(page, 'pricing-changes-fr');
    await context.close();
  });

  it('the operator creates a promotion (a bad percent is explained first) and the partner sees it next to the price it changes, in English', async () => {
    const ops = await newPage('en-US');
    await ops.page.goto(`${server.baseURL}/operator/signin`);
    await ops.page.getByTestId('signin-email').fill(operator.email);
    await ops.page.getByTestId('signin-password').fill(operator.password);
    await ops.page.getByTestId('signin-submit').click();
    await ops.page.getByTestId('operator-nav-promotions').click();
    await ops.page.getByTestId('promo-new').click();
    const dialog = ops.page.getByTestId('promo-dialog');
    const today = new Date().toISOString().slice(0, 10);
    const later = new Date(Date.now() + 20 * 86400_000).toISOString().slice(0, 10);
    await dialog.getByTestId('promo-name').fill('Winter Standard');
    await dialog.getByTestId('promo-percent').fill('150');
    await dialog.getByTestId('promo-markets').fill('BE');
    await dialog.getByTestId('promo-productIds').fill('CFQ7TTC0LDPB');
    await dialog.getByTestId('promo-startsOn').fill(today);
    await dialog.getByTestId('promo-endsOn').fill(later);
    await dialog.getByTestId('promo-save').click();
    await dialog.getByText('Must be more than 0 and at most 100.').waitFor();
    await shot(ops.page, 'pricing-promotion-invalid-en', false);
    await dialog.getByTestId('promo-percent').fill('15');
    await dialog.getByTestId('promo-save').click();
    await dialog.waitFor({ state: 'detached' });
    await ops.page.getByTestId('promo-row').filter({ hasText: 'Winter Standard' }).waitFor();
    await shot(ops.page, 'pricing-promotions-operator-en');
    await ops.context.close();

    const { context, page } = await newPage('en-US');
    await signIn(page);
    await page.goto(`${server.baseURL}/pricing`);
    await expect.poll(() => page.getByTestId('pricing-market').inputValue()).toBe('FR');
    await page.getByTestId('pricing-market').selectOption('BE');
    const standard = row(page, 'CFQ7TTC0LDPB');
    await standard.getByTestId('promotion-badge').waitFor();
    expect(spaces(await standard.getByTestId('list-price').textContent())).toBe('€151.20');
    expect(spaces(await standard.getByTestId('promoted-price').textContent())).toBe('€128.52');
    expect(await standard.getByTestId('promotion-badge').textContent()).toContain('Winter Standard');
    expect(await row(page, 'CFQ7TTC0LH18').first().getByTestId('promotion-badge').count()).toBe(0);
    await shot(page, 'pricing-list-promotion-en');
    await standard.getByTestId('pricing-calculate').click();
    const calc = page.getByTestId('price-calculator');
    await calc.getByTestId('calc-quantity').fill('2');
    await calc.getByTestId('calc-submit').click();
    await calc.getByTestId('calc-promotion').waitFor();
    expect(spaces(await calc.getByTestId('calc-total').textContent())).toBe('€257.04');
    expect(await calc.getByTestId('calc-explanation').textContent()).toContain('Promotion Winter Standard: −15%');
    await shot(page, 'pricing-calculator-en', false);
    await context.close();
  });
});

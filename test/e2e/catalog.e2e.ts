import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SHOTS, startServer } from './support';

/**
 * Sell → Catalog (issue 6): browse segments in French, open an offer's details, pin three
 * offers, reorder them by keyboard and by drag and drop, hit the five-pin limit, and a
 * colleague sees the same order.
 *
 * The data is the demo's catalog (imported at first start through the operator's importer:
 * offer matrix, FR price lists). The test reads what it expects from the API, so it checks the
 * page against the data whatever the demo generator writes.
 */

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let admin: { email: string; password: string };

interface Offer {
  id: string;
  productTitle: string;
  skuTitle: string;
  category: string;
  segment: string;
}
interface Details extends Offer {
  minLicenses: number | null;
  maxLicenses: number | null;
  priceList: { market: string; month: string } | null;
  terms: { termDuration: string; billingPlan: string; currencies: string[] }[];
}
let commercial: Offer[];
let segments: Record<string, number>;
let categories: { category: string; count: number }[];
/** Six commercial offers to pin (the sixth is refused). */
let picks: Offer[];
/** An offer of the company's market price list this month. */
let priced: Details;

const name = (o: Offer) => (o.skuTitle.startsWith(o.productTitle) ? o.skuTitle : `${o.productTitle} (${o.skuTitle})`);

beforeAll(async () => {
  // The demo company (seeded at first start) is in France, authorised and without MFA.
  server = await startServer({ DEMO: 'true' });
  const out = server.output();
  admin = { email: /email:\s+(\S+)/.exec(out)![1]!, password: /password:\s+(\S+)/.exec(out)![1]! };
  const call = await apiAs(admin);
  const nav = await call<{ items: { segment: string; category: string; count: number }[]; segments: { segment: string; count: number }[] }>('GET', '/v1/catalog/categories?segment=commercial');
  segments = Object.fromEntries(nav.segments.map((x) => [x.segment, x.count]));
  categories = nav.items;
  commercial = (await call<{ items: Offer[] }>('GET', '/v1/catalog/offers?segment=commercial&size=500')).items;
  expect(commercial.length, 'the demo catalog has commercial offers').toBeGreaterThanOrEqual(8);
  expect(categories.length).toBeGreaterThanOrEqual(2);
  // Spread over the first page (shown without "Show more"), so pins come from several categories.
  const visible = commercial.slice(0, 100);
  const step = Math.floor(visible.length / 6);
  picks = [0, 1, 2, 3, 4, 5].map((i) => visible[i * step]!);
  for (const o of visible) {
    const d = await call<Details>('GET', `/v1/catalog/offers/${encodeURIComponent(o.id)}`);
    if (d.terms.length > 0 && d.minLicenses !== null && d.maxLicenses !== null) {
      priced = d;
      break;
    }
  }
  expect(priced, 'an offer of this month’s FR price list').toBeDefined();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(locale: string, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return { context, page };
}

const shot = async (page: Page, name: string, fullPage = true) => {
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.screenshot({ path: join(SHOTS, `catalog-${name}.png`), fullPage, animations: 'disabled' });
};

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto(`${server.baseURL}/signin`);
  await page.getByTestId('signin-email').fill(who.email);
  await page.getByTestId('signin-password').fill(who.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('account-menu').waitFor();
}

async function apiAs(who: { email: string; password: string }) {
  const res = await fetch(`${server.baseURL}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  expect(res.status).toBe(201);
  const { token } = (await res.json()) as { token: string };
  return async <T,>(method: string, path: string, body?: object): Promise<T> => {
    const r = await fetch(`${server.baseURL}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    expect(r.status, `${method} ${path}: ${r.status}`).toBeLessThan(300);
    return (r.status === 204 ? null : await r.json()) as T;
  };
}

/** A Sales agent of the demo company, with a password of their own. */
async function salesAgent() {
  const call = await apiAs(admin);
  const email = `sales.${Date.now()}@contoso-demo.example`;
  const created = await call<{ temporaryPassword: string }>('POST', '/v1/users', { firstName: 'Sacha', lastName: 'Vendeur', email, roles: ['sales-agent'] });
  const password = 'un agent commercial sur la route 2026';
  const first = await apiAs({ email, password: created.temporaryPassword });
  await first('POST', '/v1/me/password', { currentPassword: created.temporaryPassword, newPassword: password });
  return { email, password };
}

const pinnedIds = (page: Page) => page.getByTestId('pinned-offer').evaluateAll((els) => els.map((e) => e.getAttribute('data-offer-id')));
const orderIds = (page: Page) => page.getByTestId('pin-order-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-offer-id')));
const offer = (page: Page, id: string) => page.locator(`[data-testid="offer"][data-offer-id="${id}"]`);

/** WCAG 2.1 A/AA scan; tabster's invisible focus sentinels (aria-hidden and focusable by design) are left out. */
async function expectNoAxeViolations(page: Page, what: string) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).exclude('[data-tabster-dummy]').analyze();
  const found = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(found, `axe violations on ${what}`).toEqual([]);
}

/** Fluent tabs render their label twice (one copy hidden, to reserve the bold width): find them by accessible name. */
const tab = (page: Page, label: string, selected?: boolean) => page.getByRole('tab', { name: label, exact: true, ...(selected !== undefined ? { selected } : {}) });
const FR_SEGMENTS: Record<string, string> = { commercial: 'Entreprises', education: 'Éducation', government: 'Secteur public', nonprofit: 'Associations' };
const EN_SEGMENTS: Record<string, string> = { commercial: 'Commercial', education: 'Education', government: 'Government', nonprofit: 'Non-profit' };
/** Spaces as Intl writes them in French (narrow no-break) read as plain ones. */
const plain = (t: string | null) => (t ?? '').replace(/[\u00a0\u202f]/g, ' ');

describe('Sell → Catalog', () => {
  it('a Global admin browses the segments in French, reads an offer’s details, pins three offers, reorders them by keyboard and by drag and drop, and hits the five-pin limit', async () => {
    const { page } = await newPage('fr-FR');
    await signIn(page, admin);
    await page.getByTestId('nav-catalog').click();
    await page.waitForURL(/\/catalog/);

    // Segment tabs in French with their counts; Commercial first, its offers grouped by category.
    await tab(page, `Entreprises (${segments.commercial ?? 0})`, true).waitFor();
    for (const seg of ['education', 'government', 'nonprofit']) await tab(page, `${FR_SEGMENTS[seg]} (${segments[seg] ?? 0})`).waitFor();
    await offer(page, commercial[0]!.id).waitFor();
    const shown = Math.min(commercial.length, 100);
    expect(await page.getByTestId('offer').count()).toBe(shown);
    const groupTitles = await page.getByTestId('category-group').locator('h2').allTextContents();
    expect(groupTitles).toEqual([...new Set(commercial.slice(0, shown).map((o) => o.category))].map((c) => `${c} ${categories.find((x) => x.category === c)!.count}`));
    expect(await page.getByTestId('category-link').allTextContents()).toEqual(categories.map((c) => `${c.category}${c.count}`));
    await shot(page, 'browse-fr', false);

    // Another segment, then one category, then a search by offer id.
    const other = ['education', 'government', 'nonprofit'].find((x) => (segments[x] ?? 0) > 0);
    if (other) {
      await tab(page, `${FR_SEGMENTS[other]} (${segments[other]})`).click();
      await expect.poll(() => page.getByTestId('offer').count()).toBe(Math.min(segments[other]!, 100));
      await tab(page, `Entreprises (${segments.commercial})`).click();
    }
    const cat = categories[1]!;
    await page.getByTestId('category-link').filter({ hasText: cat.category }).first().click();
    await expect.poll(() => page.getByTestId('offer').count()).toBe(Math.min(cat.count, 100));
    await page.getByRole('button', { name: /Toutes les catégories/ }).click();
    await page.getByTestId('catalog-search').fill(picks[2]!.id.toLowerCase());
    await expect.poll(() => page.getByTestId('offer').evaluateAll((els) => els.map((e) => e.getAttribute('data-offer-id')))).toEqual([picks[2]!.id]);
    await page.getByTestId('catalog-search').fill('');
    await expect.poll(() => page.getByTestId('offer').count()).toBe(shown);

    // Details: licences, countries, the terms and billing plans of this month's FR list, in French.
    await offer(page, priced.id).getByTestId('details').click();
    const drawer = page.getByTestId('offer-details');
    await drawer.getByTestId('details-terms').waitFor();
    expect(plain(await drawer.getByTestId('details-licences').textContent())).toBe(plain(`De ${priced.minLicenses!.toLocaleString('fr-FR')} à ${priced.maxLicenses!.toLocaleString('fr-FR')}`));
    const terms = await drawer.getByTestId('details-terms').locator('li').allTextContents();
    expect(terms).toHaveLength(priced.terms.length);
    for (const t of terms) expect(t).toMatch(/^\d+ (mois|an|ans), facturation \S+ [A-Z]{3}(, [A-Z]{3})*$/);
    expect(await drawer.getByTestId('details-terms').textContent()).toContain('D’après la liste de prix France de');
    await shot(page, 'details-fr', false);
    await page.getByTestId('offer-details').getByRole('button', { name: 'Fermer' }).click();
    await drawer.waitFor({ state: 'hidden' });

    // Pin the first from its details panel, then two from the list: the Pinned section shows them in pin order.
    await offer(page, picks[0]!.id).getByTestId('details').click();
    await drawer.getByTestId('pin').click();
    await drawer.getByTestId('details-pinned').waitFor();
    // Focus stayed in the panel (the button changed in place): Escape closes it.
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await offer(page, picks[1]!.id).getByTestId('pin').click();
    await expect.poll(() => pinnedIds(page)).toEqual([picks[0]!.id, picks[1]!.id]);
    await offer(page, picks[2]!.id).getByTestId('pin').click();
    const [p0, p1, p2] = picks.map((o) => o.id);
    await expect.poll(() => pinnedIds(page)).toEqual([p0, p1, p2]);

    // Customize: keyboard first (Alt+Arrow Up on the third pin), with the announcement.
    await page.getByTestId('customize').click();
    const items = page.getByTestId('pin-order-item');
    await items.nth(2).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => orderIds(page)).toEqual([p0, p2, p1]);
    expect(await page.getByTestId('pin-announcement').textContent()).toBe(`${name(picks[2]!)} déplacée en position 2 sur 3`);
    // Focus stays on the moved pin: a second Alt+Arrow Up moves it to the top.
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => orderIds(page)).toEqual([p2, p0, p1]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-offer-id'))).toBe(p2);
    // The Move down button does the same for those who prefer buttons.
    await items.nth(0).getByRole('button', { name: `Descendre ${name(picks[2]!)}` }).click();
    await expect.poll(() => orderIds(page)).toEqual([p0, p2, p1]);
    expect(await page.getByTestId('pin-announcement').textContent()).toBe(`${name(picks[2]!)} déplacée en position 2 sur 3`);
    await shot(page, 'customize-fr', false);
    // Drag and drop: the last pin onto the first.
    await items.nth(2).dragTo(items.nth(0));
    await expect.poll(() => orderIds(page)).toEqual([p1, p0, p2]);
    await page.getByTestId('save-order').click();
    await expect.poll(() => pinnedIds(page)).toEqual([p1, p0, p2]);
    // Saved on the server, for the company.
    const call = await apiAs(admin);
    expect((await call<{ offerIds: string[] }>('GET', '/v1/catalog/pins')).offerIds).toEqual([p1, p0, p2]);

    // Two more make five; a sixth is refused with a clear message, and nothing changes.
    await offer(page, picks[3]!.id).getByTestId('pin').click();
    await expect.poll(async () => (await pinnedIds(page)).length).toBe(4);
    await offer(page, picks[4]!.id).getByTestId('pin').click();
    await expect.poll(async () => (await pinnedIds(page)).length).toBe(5);
    await offer(page, picks[5]!.id).getByTestId('pin').click();
    const limit = page.getByTestId('pin-limit');
    await limit.waitFor();
    expect(await limit.textContent()).toContain('Vous pouvez épingler au plus 5 offres');
    expect((await pinnedIds(page)).length).toBe(5);
    expect((await call<{ offerIds: string[] }>('GET', '/v1/catalog/pins')).offerIds).toHaveLength(5);
    await shot(page, 'pin-limit-fr', false);
    // The API refuses a sixth too, with the same message.
    const token = ((await (await fetch(`${server.baseURL}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) })).json()) as { token: string }).token;
    const six = [...(await call<{ offerIds: string[] }>('GET', '/v1/catalog/pins')).offerIds, picks[5]!.id];
    const res = await fetch(`${server.baseURL}/v1/catalog/pins`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'fr' }, body: JSON.stringify({ offerIds: six }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'PIN_LIMIT', message: 'Vous pouvez épingler au plus 5 offres. Désépinglez-en une d’abord.' });

    // Back to three pins for the colleague.
    await page.getByTestId('pinned-offer').nth(4).getByTestId('unpin').click();
    await expect.poll(async () => (await pinnedIds(page)).length).toBe(4);
    await page.getByTestId('pinned-offer').nth(3).getByTestId('unpin').click();
    await expect.poll(async () => (await pinnedIds(page)).length).toBe(3);
    await page.close();
  });

  it('in English, a Sales agent sees the same pinned order, reads details, and cannot change the pins', async () => {
    const { context, page } = await newPage('en-GB');
    await signIn(page, await salesAgent());
    await page.goto(`${server.baseURL}/catalog`);
    await page.getByTestId('pinned-section').waitFor();
    expect(await pinnedIds(page)).toEqual([picks[1]!.id, picks[0]!.id, picks[2]!.id]);
    await tab(page, `${EN_SEGMENTS.commercial} (${segments.commercial})`, true).waitFor();
    // Read-only: no pin, unpin or customize.
    await offer(page, commercial[0]!.id).waitFor();
    expect(await page.getByTestId('pin').count()).toBe(0);
    expect(await page.getByTestId('unpin').count()).toBe(0);
    expect(await page.getByTestId('customize').count()).toBe(0);
    await shot(page, 'browse-en', false);
    await offer(page, priced.id).getByTestId('details').click();
    const drawer = page.getByTestId('offer-details');
    await drawer.getByTestId('details-terms').waitFor();
    expect(await drawer.getByTestId('details-terms').textContent()).toContain('From the France price list of');
    expect(await drawer.getByTestId('pin').count()).toBe(0);
    await shot(page, 'details-en', false);
    await expectNoAxeViolations(page, 'the offer details panel');
    await context.close();
  });

  it('the admin’s view in English (no WCAG 2.1 A/AA violation, browsing or customizing), and at phone width', async () => {
    const { context, page } = await newPage('en-GB');
    await signIn(page, admin);
    await page.goto(`${server.baseURL}/catalog`);
    await page.getByTestId('pinned-section').waitFor();
    await expectNoAxeViolations(page, 'the catalog');
    await page.getByTestId('customize').click();
    await page.getByTestId('pin-order-item').first().waitFor();
    await shot(page, 'customize-en', false);
    await expectNoAxeViolations(page, 'the catalog in Customize mode');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'customize-phone-en');
    await context.close();
  });
});

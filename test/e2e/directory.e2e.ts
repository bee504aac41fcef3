import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cli, launchBrowser, SHOTS, startServer } from './support';

/**
 * The public "Find a partner" directory in the browser, without signing in: search in French
 * and English (stemming, a typo), filters, a partner's page with its clean URL, titles and
 * meta descriptions in the visitor's language, phone width, and an axe scan (WCAG 2.1 A/AA)
 * with no violation on both pages. The data: 150 bench partners with published profiles
 * (`seed-bench` + `seed-directory`); partner 1 also gets a logo and support contacts.
 */

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
const PROFILES = 150;
/** Partner 1's directory id (its business profile's). */
let partner1 = '';

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-e2e-dir-'));
  const seeded = cli(dataDir, ['seed-bench', '--partners', String(PROFILES), '--users-per-partner', '1', '--json']);
  const { password, signInEmail } = JSON.parse(seeded.trim().split('\n').pop()!) as { password: string; signInEmail: string };
  cli(dataDir, ['seed-directory', '--profiles', String(PROFILES)]);
  server = await startServer({ DEMO: 'false' }, dataDir);

  // Partner 1 adds a logo and its support contacts, through the API as its admin would.
  const base = server.baseURL;
  const session = (await (await fetch(`${base}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: signInEmail, password }) })).json()) as { token: string };
  const auth = { authorization: `Bearer ${session.token}` };
  const list = (await (await fetch(`${base}/v1/businessprofiles`, { headers: auth })).json()) as { items: { id: string }[] };
  const profileId = list.items[0]!.id;
  partner1 = profileId;
  const logo = await sharp({ create: { width: 240, height: 240, channels: 3, background: '#0f6cbd' } })
    .composite([{ input: Buffer.from('<svg width="240" height="240"><circle cx="120" cy="120" r="80" fill="#ffffff"/></svg>') }])
    .png()
    .toBuffer();
  const up = await fetch(`${base}/v1/businessprofiles/${profileId}/logo`, { method: 'PUT', headers: { ...auth, 'content-type': 'image/png' }, body: logo });
  expect(up.status, await up.text()).toBe(200);
  const support = await fetch(`${base}/v1/profiles/support`, { headers: auth });
  const put = await fetch(`${base}/v1/profiles/support`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json', 'if-match': support.headers.get('etag')! },
    body: JSON.stringify({ email: 'support@partner1.bench.example', telephone: '+33 1 23 45 67 89', website: 'https://support.partner1.bench.example' }),
  });
  expect(put.status, await put.text()).toBe(200);
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

const shot = async (page: Page, name: string) => {
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.screenshot({ path: join(SHOTS, `directory-${name}.png`), fullPage: true, animations: 'disabled' });
};

/** WCAG 2.0/2.1 A and AA: no violation, listed by rule and element when there is one. */
async function expectNoAxeViolations(page: Page, what: string) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(found, `axe violations on ${what}`).toEqual([]);
  expect(r.passes.length).toBeGreaterThan(10);
}

const meta = (page: Page) => page.locator('meta[name="description"]').getAttribute('content');
const count = async (page: Page) => Number(((await page.getByTestId('directory-count').textContent()) ?? '').replace(/\D/g, '') || '0');

/** Wait until the results shown are those of the page's current URL. */
async function settled(page: Page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="directory-count"]')?.getAttribute('data-for') === window.location.search.replace(/^\?/, ''));
}

async function search(page: Page, q: string) {
  await page.getByTestId('directory-q').fill(q);
  await page.getByTestId('directory-submit').click();
  await page.waitForURL((u) => u.searchParams.get('q') === q);
  await settled(page);
}

describe('the directory in French', () => {
  it('searches with stemming and typos, filters, and opens a partner’s page; titles and descriptions in French; axe finds nothing', async () => {
    const { context, page } = await newPage('fr-FR');
    await page.goto(`${server.baseURL}/partners`);
    await page.getByTestId('directory-results').waitFor();
    await expect.poll(() => page.title()).toBe('Trouver un partenaire – Partner Space');
    expect(await meta(page)).toMatch(/^Cherchez dans l’annuaire des partenaires/);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await count(page)).toBe(PROFILES);
    await expectNoAxeViolations(page, '/partners (fr)');

    // "hébergement" (the noun) finds descriptions that say "hébergement de vos applications" and the hosting tag.
    await search(page, 'hébergement');
    const hosting = await count(page);
    expect(hosting).toBeGreaterThan(0);
    expect(hosting).toBeLessThan(PROFILES);
    await expect.poll(() => page.title()).toBe('« hébergement » – Trouver un partenaire – Partner Space');
    // Without the accent, the same partners.
    await search(page, 'hebergement');
    expect(await count(page)).toBe(hosting);
    await shot(page, 'search-fr');

    // Filter by country: every result is in France.
    await page.getByTestId('directory-filter-country').selectOption('FR');
    await page.waitForURL((u) => u.searchParams.get('country') === 'FR');
    await settled(page);
    const inFrance = await count(page);
    expect(inFrance).toBeGreaterThan(0);
    expect(inFrance).toBeLessThan(hosting);
    for (const where of await page.getByTestId('directory-item-where').allTextContents()) expect(where).toMatch(/^France/);
    await page.getByTestId('directory-filter-size').selectOption('large');
    await page.waitForURL((u) => u.searchParams.get('size') === 'large');
    await settled(page);
    expect(await count(page)).toBeLessThanOrEqual(inFrance);
    await page.getByTestId('directory-clear').click();
    await page.waitForURL((u) => u.search === '');
    await settled(page);
    expect(await count(page)).toBe(PROFILES);

    // A typo in a name: a letter doubled.
    const names = await page.getByTestId('directory-item-link').allTextContents();
    const name = names.find((n) => n.split(' ')[0]!.length >= 6)!;
    const first = name.split(' ')[0]!;
    const typo = first.slice(0, 3) + first[2] + first.slice(3);
    await search(page, typo);
    expect(await page.getByTestId('directory-item-link').allTextContents()).toContain(name);

    // An empty result says so.
    await search(page, 'xylophonique');
    await page.getByTestId('directory-empty').waitFor();
    await shot(page, 'empty-fr');

    // Open a partner: the clean URL, the title and description in French, the contact form.
    await search(page, first);
    await page.getByTestId('directory-item-link').filter({ hasText: name }).click();
    await page.waitForURL(/\/partners\/[0-9a-f-]{36}\/[a-z0-9-]+$/);
    expect(page.url()).toMatch(new RegExp(`/${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-+$/, '')}$`));
    await page.getByTestId('partner-profile').waitFor();
    expect(await page.getByTestId('partner-name').textContent()).toBe(name);
    await expect.poll(() => page.title()).toBe(`${name} – Trouver un partenaire – Partner Space`);
    expect((await meta(page))!.length).toBeGreaterThan(20);
    await page.getByTestId('partner-contact').waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, 'partner-fr');
    await expectNoAxeViolations(page, 'a partner’s page (fr)');
    // Back to the same search.
    await page.getByTestId('partner-back').click();
    await page.waitForURL((u) => u.pathname === '/partners' && u.searchParams.get('q') === first);
    await context.close();
  });
});

describe('the directory in English', () => {
  it('switches language: English stemming, English titles, the description in English', async () => {
    const { context, page } = await newPage('fr-FR');
    await page.goto(`${server.baseURL}/partners?q=hosted`);
    await page.getByTestId('directory-results').waitFor();
    await page.getByTestId('lang-switch-en').click();
    await expect.poll(() => page.title()).toBe('“hosted” – Find a partner – Partner Space');
    expect(await meta(page)).toMatch(/^Search the partner directory/);
    expect(await count(page)).toBeGreaterThan(0); // "hosted" meets "hosting"
    await page.waitForLoadState('networkidle');
    await shot(page, 'search-en');
    await expectNoAxeViolations(page, '/partners (en)');

    // Partner 1: a logo, support contacts, links.
    const one = (await (await fetch(`${server.baseURL}/v1/directory/partners/${partner1}`)).json()) as { url: string; logoUrl: string | null };
    expect(one.logoUrl).toMatch(/\/logo\?v=\d+$/);
    await page.goto(`${server.baseURL}/partners/${partner1}`);
    await page.waitForURL((u) => u.pathname === one.url);
    await page.getByTestId('partner-support').waitFor();
    expect(await page.getByTestId('partner-support').textContent()).toContain('support@partner1.bench.example');
    expect(await page.locator('img[alt$="logo"]').count()).toBe(1);
    expect(await page.getByTestId('partner-description').getAttribute('lang')).toMatch(/^(en|fr)$/);
    await expect.poll(() => page.title()).toMatch(/ – Find a partner – Partner Space$/);
    await page.waitForLoadState('networkidle');
    await shot(page, 'partner-en');
    await expectNoAxeViolations(page, 'a partner’s page (en)');

    // An unknown partner: said so, in English.
    await page.goto(`${server.baseURL}/partners/6f1c2d3e-4b5a-4c6d-8e7f-901234567890/nobody`);
    await page.getByTestId('partner-not-found').waitFor();
    await expect.poll(() => page.title()).toBe('Partner not found – Partner Space');
    await context.close();
  });
});

describe('at phone width (375 px)', () => {
  it('search and partner pages fit the screen, without sideways scrolling', async () => {
    const { context, page } = await newPage('en-GB', 375);
    await page.goto(`${server.baseURL}/partners?q=security`);
    await page.getByTestId('directory-results').waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, 'search-phone');
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 376).slice(0, 5).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
    );
    expect(wide, 'elements wider than the screen').toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectNoAxeViolations(page, '/partners at 375 px');
    // The filters fold under a button on a phone.
    expect(await page.getByTestId('directory-filter-country').isVisible()).toBe(false);
    await page.getByTestId('directory-filters-toggle').click();
    expect(await page.getByTestId('directory-filters-toggle').getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('directory-filter-country').selectOption('DE');
    await page.waitForURL((u) => u.searchParams.get('country') === 'DE');
    await settled(page);
    for (const where of await page.getByTestId('directory-item-where').allTextContents()) expect(where).toMatch(/^Germany/);
    await page.screenshot({ path: join(SHOTS, 'directory-filters-phone.png'), animations: 'disabled' });
    await expectNoAxeViolations(page, '/partners at 375 px, filters open');
    await page.getByTestId('directory-item-link').first().click();
    await page.getByTestId('partner-profile').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(page, 'partner-phone');
    await context.close();
  });
});

import AxeBuilder from '@axe-core/playwright';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, SHOTS, startServer } from './support';

/**
 * Issue 5, "Contact this partner" and Referrals → Leads, in the browser: a customer sends the
 * public contact form in French on the demo partner's published business profile (a bad
 * email is explained first), then the partner's Global admin (who holds referrals.manage)
 * finds the lead in the inbox, accepts it with a team and a note, adds a note, sees a stale
 * edit explained, and marks it won. Screenshots in English and French, and at phone width.
 */
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let admin: { email: string; password: string };
let profileId: string;
const COMPANY = 'Tailspin Toys E2E';

async function apiSession() {
  const r = await fetch(`${server.baseURL}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  expect(r.status).toBe(201);
  const s = (await r.json()) as { token: string };
  return { authorization: `Bearer ${s.token}` };
}

beforeAll(async () => {
  // The demo company (seeded at first start) has a published business profile for France.
  server = await startServer({ DEMO: 'true' });
  const out = server.output();
  admin = { email: /email:\s+(\S+)/.exec(out)![1]!, password: /password:\s+(\S+)/.exec(out)![1]! };
  const auth = await apiSession();
  const profiles = (await (await fetch(`${server.baseURL}/v1/businessprofiles`, { headers: auth })).json()) as { items: { id: string; country: string; status: string }[] };
  profileId = profiles.items.find((p) => p.country === 'FR' && p.status === 'published')!.id;
  expect(profileId).toBeTruthy();
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
  return page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage, animations: 'disabled' });
};

async function signIn(page: Page) {
  await page.goto(`${server.baseURL}/signin`);
  await page.getByTestId('signin-email').fill(admin.email);
  await page.getByTestId('signin-password').fill(admin.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('account-menu').waitFor();
}

async function axe(page: Page, include: string, what: string) {
  // Fluent's focus management (tabster) adds hidden <i tabindex="0" data-tabster-dummy> guards around tab lists and dialogs: not content.
  const r = await new AxeBuilder({ page }).include(include).exclude('[data-tabster-dummy]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(found, `axe violations on ${what}`).toEqual([]);
}

describe('Contact this partner → Leads', () => {
  it('a customer sends the French contact form on the public partner page (a bad email is explained, the honeypot is out of reach), at desktop and phone width', async () => {
    // Phone width first: the form must be usable at 375 px.
    const phone = await newPage('fr-FR', 375);
    await phone.page.goto(`${server.baseURL}/partners/${profileId}`);
    const phoneForm = phone.page.getByTestId('contact-form');
    await phoneForm.waitFor();
    await phoneForm.scrollIntoViewIfNeeded();
    // Every field of the form fits the phone's width (nothing to scroll sideways).
    const overflow = await phoneForm.evaluate((form) => [...form.querySelectorAll('input:not([name="website"]), select, textarea, button')].filter((el) => el.getBoundingClientRect().right > 375).length);
    expect(overflow).toBe(0);
    await phoneForm.screenshot({ path: join(SHOTS, 'leads-contact-form-phone-fr.png'), animations: 'disabled' });
    await phone.context.close();

    // The same form in English (not sent).
    const en = await newPage('en-US');
    await en.page.goto(`${server.baseURL}/partners/${profileId}`);
    await en.page.getByTestId('contact-form').waitFor();
    expect(await en.page.getByLabel('Your need').count()).toBe(1);
    await axe(en.page, '[data-testid="contact-form"]', 'the contact form (en)');
    await shot(en.page, 'leads-contact-form-en');
    await en.context.close();

    const { context, page } = await newPage('fr-FR');
    await page.goto(`${server.baseURL}/partners/${profileId}`);
    const form = page.getByTestId('contact-form');
    await form.waitFor();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('fr');
    // Labelled in French, each field named for assistive technology.
    expect(await page.getByLabel('Votre besoin').count()).toBe(1);
    expect(await page.getByLabel('E-mail professionnel').count()).toBe(1);

    // The honeypot: hidden from assistive technology and out of the tab order.
    const trap = form.locator('input[name="website"]');
    expect(await trap.getAttribute('tabindex')).toBe('-1');
    expect(await trap.evaluate((el) => el.closest('[aria-hidden="true"]') !== null)).toBe(true);
    await page.getByTestId('contact-name').focus();
    const focused: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? document.activeElement?.getAttribute('data-testid') ?? ''));
    }
    expect(focused).not.toContain('website');

    await page.getByTestId('contact-name').fill('Camille Bernard');
    await page.getByTestId('contact-company').fill(COMPANY);
    await page.getByTestId('contact-email').fill('camille.bernard@tailspin');
    await page.getByTestId('contact-phone').fill('+33 6 12 34 56 78');
    await page.getByTestId('contact-size').selectOption('medium');
    await page.getByTestId('contact-need').fill('Nous migrons 120 postes vers le cloud et cherchons un partenaire pour le déploiement et la formation.');
    await page.getByTestId('contact-consent').check();
    await page.getByTestId('contact-submit').click();
    // A bad email: explained next to the field, in French.
    const err = form.getByTestId('form-error');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/champs/i);
    await axe(page, '[data-testid="contact-form"]', 'the contact form with an error (fr)');
    await form.screenshot({ path: join(SHOTS, 'leads-contact-form-error-fr.png'), animations: 'disabled' });

    await page.getByTestId('contact-email').fill('camille.bernard@tailspin.example');
    await page.getByTestId('contact-submit').click();
    const sent = page.getByTestId('contact-sent');
    await sent.waitFor();
    expect(await sent.textContent()).toContain('Votre demande a été envoyée');
    await shot(page, 'leads-contact-sent-fr');
    await context.close();

    // The partner's Referrals admins and Global admins are mailed (the outbox, without SMTP), in the customer's request language.
    await expect
      .poll(() => readdirSync(join(server.dataDir, 'outbox')).map((f) => readFileSync(join(server.dataDir, 'outbox', f), 'utf8')).filter((m) => m.includes(admin.email) && m.includes('Tailspin Toys E2E')).length)
      .toBeGreaterThan(0);
  });

  it('the Global admin finds the lead in the inbox, accepts it with a team and a note, adds a note, sees a stale edit explained, and marks it won (en)', async () => {
    const { context, page } = await newPage('en-US');
    await signIn(page);
    await page.goto(`${server.baseURL}/referrals/leads`);
    const row = page.getByTestId('leads-row').filter({ hasText: COMPANY });
    await row.waitFor();
    expect(await row.getByTestId('lead-fresh').count()).toBe(1);
    expect(await row.getByTestId('lead-status').textContent()).toBe('New');
    await page.getByTestId('leads-search').fill('tailspin');
    await expect.poll(async () => (await page.getByTestId('leads-total').textContent()) ?? '').toBe('1 lead');
    await shot(page, 'leads-inbox-en');

    await row.getByTestId('leads-row-link').click();
    await page.getByTestId('lead-name').waitFor();
    expect(await page.getByTestId('lead-email').textContent()).toBe('camille.bernard@tailspin.example');
    await shot(page, 'leads-detail-new-en');

    // Accept, with the admin on the team and a note.
    await page.getByTestId('lead-action-accept').click();
    const dialog = page.getByTestId('lead-dialog-accept');
    await dialog.waitFor();
    await dialog.getByTestId('lead-team-option').first().waitFor();
    await dialog.getByRole('checkbox', { name: new RegExp(admin.email.replace(/[.]/g, '\\.')) }).check();
    await dialog.getByTestId('lead-dialog-note').fill('Call planned on Thursday.');
    await shot(page, 'leads-accept-dialog-en', false);
    await dialog.getByTestId('lead-dialog-submit').click();
    await page.getByTestId('lead-saved').waitFor();
    expect(await page.getByTestId('lead-status').first().textContent()).toBe('Accepted');
    expect(await page.getByTestId('lead-team-list').textContent()).toContain(admin.email);

    // A note of one's own.
    await page.getByTestId('lead-note-input').fill('Sent the proposal.');
    await page.getByTestId('lead-note-add').click();
    await expect.poll(async () => page.getByTestId('lead-notes').locator('li').count()).toBe(2);

    // Someone else changes the lead meanwhile (the API, with its own ETag): the next edit here is refused and explained.
    const id = page.url().split('/').pop()!;
    const auth = await apiSession();
    const current = await fetch(`${server.baseURL}/v1/referrals/${id}`, { headers: auth });
    const other = await fetch(`${server.baseURL}/v1/referrals/${id}`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json', 'if-match': current.headers.get('etag')! },
      body: JSON.stringify({ note: 'Added by a colleague.' }),
    });
    expect(other.status).toBe(200);
    await page.getByTestId('lead-action-won').click();
    const won = page.getByTestId('lead-dialog-won');
    await won.getByTestId('lead-deal-input').fill('12500.50');
    await won.getByTestId('lead-currency-input').selectOption('EUR');
    await won.getByTestId('lead-dialog-submit').click();
    await page.getByTestId('lead-stale').waitFor();
    expect(await page.getByTestId('lead-notes').textContent()).toContain('Added by a colleague.');
    await shot(page, 'leads-stale-en');

    // Again, on the fresh version: won.
    await page.getByTestId('lead-action-won').click();
    await won.getByTestId('lead-deal-input').fill('12500.50');
    await won.getByTestId('lead-currency-input').selectOption('EUR');
    await won.getByTestId('lead-dialog-submit').click();
    await page.getByTestId('lead-saved').waitFor();
    expect(await page.getByTestId('lead-status').first().textContent()).toBe('Won');
    expect(await page.getByTestId('lead-deal').textContent()).toContain('12,500.50');
    await shot(page, 'leads-detail-won-en');
    await context.close();
  });

  it('the same inbox and lead in French', async () => {
    const { context, page } = await newPage('fr-FR');
    await signIn(page);
    await page.goto(`${server.baseURL}/referrals/leads`);
    const row = page.getByTestId('leads-row').filter({ hasText: COMPANY });
    await row.waitFor();
    expect(await row.getByTestId('lead-status').textContent()).toBe('Gagné');
    await shot(page, 'leads-inbox-fr');
    await row.getByTestId('leads-row-link').click();
    await page.getByTestId('lead-deal').waitFor();
    expect((await page.getByTestId('lead-deal').textContent())!.replace(/\s/g, ' ')).toMatch(/12 500,50 €/);
    await axe(page, 'body', 'the lead page (fr)');
    await shot(page, 'leads-detail-won-fr');
    await context.close();
  });
});

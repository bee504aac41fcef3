import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, SHOTS, startServer } from './support';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let admin: { email: string; password: string };
let profileId = '';

beforeAll(async () => {
  // The demo company (seeded at first start) has a published French profile; its Global admin's password is printed once.
  server = await startServer({ DEMO: 'true' });
  const out = server.output();
  admin = { email: /email:\s+(\S+)/.exec(out)![1]!, password: /password:\s+(\S+)/.exec(out)![1]! };
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
  // Refused API calls, in the test's output (the expected ones included), to explain a failure.
  page.on('response', (r) => {
    if (r.url().includes('/v1/') && (r.status() >= 400 || process.env.BP_DEBUG)) console.log(`${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()} ${r.request().headers()['if-match'] ?? ''} ${r.headers()['etag'] ?? ''}`);
  });
  return { context, page };
}

const shot = async (page: Page, name: string, fullPage = true) => {
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.screenshot({ path: join(SHOTS, `businessprofiles-${name}.png`), fullPage, animations: 'disabled' });
};

async function signIn(page: Page) {
  await page.goto(`${server.baseURL}/signin`);
  await page.getByTestId('signin-email').fill(admin.email);
  await page.getByTestId('signin-password').fill(admin.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('account-menu').waitFor();
}

/**
 * WCAG 2.0/2.1 A and AA: no violation, listed by rule and element when there is one. Fluent's
 * focus manager (tabster) adds invisible focus sentinels (`<i data-tabster-dummy>`, aria-hidden
 * and focusable by design, to wrap focus in tab lists and tag groups): they are left out.
 */
async function expectNoAxeViolations(page: Page, what: string) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).exclude('[data-tabster-dummy]').analyze();
  const found = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(found, `axe violations on ${what}`).toEqual([]);
}

/** The machine is shared: wait up to 15 s (expect.poll's default is 1 s). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000 });

const FR_TEXT =
  'Contoso Démo accompagne les PME françaises dans leur passage au cloud : hébergement, migration de la messagerie, sécurité et support au quotidien.';

describe('Referrals → Business profiles, in French, as the demo Global admin', () => {
  it('replaces the demo FR profile by a new one: limits, logo, two locations with “save and add another”, preview, publish', async () => {
    const { context, page } = await newPage('fr-FR');
    await signIn(page);
    await page.goto(`${server.baseURL}/referrals/profiles`);
    // The demo profile (France, published) is listed; the Global admin sees what every role may do.
    const row = page.getByTestId('bp-row').filter({ hasText: 'France' });
    await poll(() => row.count()).toBe(1);
    await poll(() => row.getByTestId('bp-status').textContent()).toBe('Publié');
    await poll(() => page.getByTestId('bp-roles-you').textContent()).toContain('y compris supprimer');
    await shot(page, 'list-fr');

    // One profile per country: delete the demo one first (with confirmation).
    await row.click();
    await page.getByTestId('bp-delete').click();
    await page.getByTestId('bp-confirm-delete').click();
    await page.getByTestId('bp-empty').waitFor();

    // Create a business profile → choose the country (France, the company's country, is proposed).
    await page.getByTestId('bp-create').click();
    expect(await page.getByTestId('bp-create-country').inputValue()).toBe('FR');
    await page.getByTestId('bp-create-confirm').click();
    await page.getByTestId('bp-description').waitFor();
    profileId = /\/referrals\/profiles\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    expect(await page.getByTestId('bp-status').textContent()).toBe('Brouillon');

    // Description: 2,501 characters is one too many, said clearly; save is refused until shortened.
    const text = page.getByTestId('bp-description-text');
    await text.fill('é'.repeat(2501));
    await poll(() => page.getByTestId('bp-counter').textContent()).toMatch(/2\s501 \/ 2\s500 caractères/);
    await poll(() => page.getByText(/1 caractère de trop/).count()).toBe(1);
    expect(await page.getByTestId('bp-save').isDisabled()).toBe(true);
    await page.getByTestId('bp-description').screenshot({ path: join(SHOTS, 'businessprofiles-description-limit-fr.png') });
    await text.fill(FR_TEXT);
    await page.getByTestId('bp-lang-en').click();
    await page.getByTestId('bp-description-text').fill('Contoso Demo helps French SMBs move to the cloud: hosting, email migration, security and daily support.');

    // Industries: five, then the sixth is refused with a message.
    const industries = page.getByTestId('bp-industries').locator('input[type=checkbox]');
    for (let i = 0; i < 6; i += 1) await industries.nth(i).click();
    await poll(() => page.getByText('Vous pouvez choisir 5 secteurs au maximum').count()).toBe(1);
    await poll(() => page.getByTestId('bp-industries').locator('input:checked').count()).toBe(5);
    await page.getByTestId('bp-expertise').screenshot({ path: join(SHOTS, 'businessprofiles-industries-limit-fr.png') });
    await page.getByTestId('bp-services').locator('input[type=checkbox]').nth(0).click();
    await page.getByTestId('bp-sizes').locator('input[type=checkbox]').nth(0).click();
    await page.getByTestId('bp-skill-input').fill('Kubernetes');
    await page.getByTestId('bp-skill-add').click();

    // Links and the lead contact, then save.
    await page.getByTestId('bp-website').fill('https://contoso-demo.example');
    await page.getByTestId('bp-linkedin').fill('https://www.linkedin.com/company/contoso-demo');
    await page.getByTestId('bp-lead-name').fill('Camille Martin');
    await page.getByTestId('bp-lead-email').fill('camille.martin@contoso-demo.example');
    await page.getByTestId('bp-save').click();
    await poll(() => page.getByTestId('bp-notice').textContent()).toBe('Modifications enregistrées.');

    // Logo: a 600×300 PNG is stored 300 px wide.
    const png = await sharp({ create: { width: 600, height: 300, channels: 4, background: { r: 0, g: 120, b: 212, alpha: 1 } } }).png().toBuffer();
    await page.getByTestId('bp-logo-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
    await page.getByTestId('bp-logo-img').waitFor();
    await poll(() => page.getByTestId('bp-logo').textContent()).toContain('300 × 150');
    // Not an image: refused, in French.
    await page.getByTestId('bp-logo-file').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('pas une image') });
    await poll(() => page.getByTestId('bp-logo-error').textContent()).toBe('Le logo doit être une image GIF, JPG ou PNG.');

    // Two locations: "Save and add another", then "Save this location".
    await page.getByTestId('bp-location-add').click();
    await page.getByTestId('bp-location-addressLine1').fill('12 rue de la Paix');
    await page.getByTestId('bp-location-postalCode').fill('75002');
    await page.getByTestId('bp-location-city').fill('Paris');
    await shot(page, 'location-dialog-fr', false);
    await page.getByTestId('bp-location-save-another').click();
    await page.getByTestId('bp-location-saved').waitFor();
    expect(await page.getByTestId('bp-location-addressLine1').inputValue()).toBe('');
    await page.getByTestId('bp-location-addressLine1').fill('10 quai Perrache');
    await page.getByTestId('bp-location-postalCode').fill('69002');
    await page.getByTestId('bp-location-city').fill('Lyon');
    await page.getByTestId('bp-location-save').click();
    await poll(() => page.getByTestId('bp-location').count()).toBe(2);
    // Every write went against the version the editor held: no conflict on the way.
    expect(await page.getByTestId('bp-conflict').count()).toBe(0);
    await shot(page, 'editor-fr');

    // Preview: the public page as it would be, French first.
    await page.getByTestId('bp-preview').click();
    await page.getByTestId('bp-preview-page').waitFor();
    await poll(() => page.getByTestId('bp-preview-description').textContent()).toBe(FR_TEXT);
    expect(await page.getByTestId('bp-preview-draft').isVisible()).toBe(true);
    await shot(page, 'preview-fr');
    await page.getByTestId('bp-preview-lang-en').click();
    await poll(() => page.getByTestId('bp-preview-description').textContent()).toContain('Contoso Demo helps');
    await page.goBack();

    // Publish: published at once, and in the public directory.
    await page.getByTestId('bp-publish').click();
    await poll(() => page.getByTestId('bp-status').textContent()).toBe('Publié');
    await poll(() => page.getByTestId('bp-notice').textContent()).toContain('dès maintenant dans l’annuaire');
    const publicPage = await fetch(`${server.baseURL}/v1/directory/partners/${profileId}`, { headers: { 'accept-language': 'fr' } });
    expect(publicPage.status).toBe(200);
    expect(((await publicPage.json()) as { description: string }).description).toBe(FR_TEXT);
    await shot(page, 'published-fr');
    await context.close();
  });

  it('the same profile in English: a stale edit explained, desktop and phone width', async () => {
    const { context, page } = await newPage('en-GB');
    await signIn(page);
    await page.goto(`${server.baseURL}/referrals/profiles/${profileId}`);
    await page.getByTestId('bp-description').waitFor();
    expect(await page.getByTestId('bp-status').textContent()).toBe('Published');
    await poll(() => page.getByTestId('bp-counter').textContent()).toMatch(/\d+ \/ 2,500 characters/);
    await shot(page, 'editor-en');
    await expectNoAxeViolations(page, 'the editor');
    await page.getByTestId('bp-preview').click();
    await page.getByTestId('bp-preview-page').waitFor();
    await shot(page, 'preview-en');
    await expectNoAxeViolations(page, 'the preview');
    await page.goto(`${server.baseURL}/referrals/profiles`);
    await page.getByTestId('bp-row').first().waitFor();
    await shot(page, 'list-en');
    await expectNoAxeViolations(page, 'the list');

    // A stale edit: another tab saves first; this one is told, keeps its text, and may save over it.
    await page.goto(`${server.baseURL}/referrals/profiles/${profileId}`);
    await page.getByTestId('bp-description').waitFor();
    const other = await context.newPage();
    await other.goto(`${server.baseURL}/referrals/profiles/${profileId}`);
    await other.getByTestId('bp-website').fill('https://www.contoso-demo.example');
    await other.getByTestId('bp-save').click();
    await other.getByTestId('bp-notice').waitFor();
    await other.close();
    await page.getByTestId('bp-skill-input').fill('Terraform');
    await page.getByTestId('bp-skill-add').click();
    await page.getByTestId('bp-save').click();
    await page.getByTestId('bp-conflict').waitFor();
    expect(await page.getByTestId('bp-conflict').textContent()).toContain('Someone else changed this profile');
    expect(await page.getByTestId('bp-skills').textContent()).toContain('Terraform');
    await shot(page, 'conflict-en', false);
    expect(await page.getByTestId('bp-save').textContent()).toBe('Save my version');
    await page.getByTestId('bp-save').click();
    await poll(() => page.getByTestId('bp-notice').textContent()).toBe('Changes saved.');
    expect(await page.getByTestId('bp-conflict').count()).toBe(0);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.baseURL}/referrals/profiles/${profileId}`);
    await page.getByTestId('bp-description').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'editor-phone-en');
    await context.close();
  });
});

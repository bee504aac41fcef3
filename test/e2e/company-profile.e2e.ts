import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, SHOTS, startServer } from './support';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let admin: { email: string; password: string };
let operator: { email: string; password: string };

const IBAN = 'FR7630006000011234567890189';
const BIC = 'AGRIFRPP';

beforeAll(async () => {
  // The demo company (seeded at first start) is authorised and does not require MFA; the
  // server prints its Global admin's and the demo operator's passwords once.
  server = await startServer({ DEMO: 'true' });
  const out = server.output();
  admin = { email: /email:\s+(\S+)/.exec(out)![1]!, password: /password:\s+(\S+)/.exec(out)![1]! };
  const ops = /Operator console[^\n]*\n\s+email:\s+(\S+)\s+password:\s+(\S+)/.exec(out)!;
  operator = { email: ops[1]!, password: ops[2]! };
  expect(operator.email).toBe('operator@partner-space.example');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(locale: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return { context, page };
}

/** A screenshot of the whole page, or of the window only when a dialog is open (its backdrop covers the window). */
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

/** Account settings → Legal info → the given tab, through the menus as a person gets there. */
async function openLegalTab(page: Page, tab: 'support' | 'securitycontact') {
  await page.getByTestId('account-menu').click();
  await page.getByTestId('menu-account-settings').click();
  await page.getByTestId('account-nav-legal').click();
  await page.getByTestId(`legal-tab-${tab}`).click();
  await page.getByTestId(tab === 'support' ? 'support-profile' : 'security-contact').getByTestId('profile-save').waitFor();
}

const checklistDone = (page: Page, item: string) => page.getByTestId(`checklist-${item}`).getAttribute('data-done');

describe('Company profile', () => {
  it('a Global admin fills the support profile and the security contact in French, a bad phone number is explained, and Home ticks both items', async () => {
    const { context, page } = await newPage('fr-FR');
    await signIn(page);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('fr');

    // Home: the checklist starts with both items to do, each linking to its tab.
    await page.getByTestId('home-checklist').waitFor();
    expect(await checklistDone(page, 'supportProfile')).toBe('false');
    expect(await checklistDone(page, 'securityContact')).toBe('false');
    expect(await checklistDone(page, 'legalVerified')).toBe('true');
    expect(await page.getByTestId('checklist-supportProfile-link').getAttribute('href')).toBe('/account/legal?tab=support');
    await shot(page, 'profile-checklist-before-fr');

    await openLegalTab(page, 'support');
    const support = page.getByTestId('support-profile');
    await support.getByTestId('field-email').fill('support@contoso-demo.example');
    await support.getByTestId('field-telephone').fill('12');
    await support.getByTestId('field-website').fill('https://support.contoso-demo.example');
    await support.getByTestId('profile-save').click();
    // The refusal is in French, under the field, and what was typed stays.
    await expect.poll(() => support.textContent()).toContain('Numéro de téléphone non valide');
    expect(await support.getByTestId('field-email').inputValue()).toBe('support@contoso-demo.example');
    await shot(page, 'profile-support-error-fr');
    const unchanged = await page.request.get(`${server.baseURL}/v1/profiles/support`);
    expect(await unchanged.json()).toMatchObject({ email: null, telephone: null });

    await support.getByTestId('field-telephone').fill('+33 1 40 00 00 01');
    await support.getByTestId('profile-save').click();
    await support.getByRole('status').waitFor();
    expect(await support.getByRole('status').textContent()).toMatch(/enregistr/i);
    expect(await support.textContent()).not.toContain('Numéro de téléphone non valide');

    await page.getByTestId('legal-tab-securitycontact').click();
    const security = page.getByTestId('security-contact');
    await security.getByTestId('field-firstName').fill('Inès');
    await security.getByTestId('field-lastName').fill('Moreau');
    await security.getByTestId('field-email').fill('securite@contoso-demo.example');
    await security.getByTestId('field-phoneNumber').fill('06 12 34 56 78');
    await security.getByTestId('profile-save').click();
    await security.getByRole('status').waitFor();
    await shot(page, 'profile-security-contact-fr');

    const saved = await page.request.get(`${server.baseURL}/v1/profiles/securitycontact`);
    expect(saved.headers()['etag']).toBeTruthy();
    expect(await saved.json()).toMatchObject({ firstName: 'Inès', lastName: 'Moreau', email: 'securite@contoso-demo.example', phoneNumber: '+33612345678' });

    // Back on Home, both items are done.
    await page.getByTestId('nav-home').click();
    await page.getByTestId('home-checklist').waitFor();
    await expect.poll(() => checklistDone(page, 'supportProfile')).toBe('true');
    expect(await checklistDone(page, 'securityContact')).toBe('true');
    expect(await page.getByTestId('checklist-supportProfile').textContent()).toContain('Terminé');
    await shot(page, 'profile-checklist-after-fr');
    await context.close();
  });

  it('a stale edit of the support profile says someone else changed it and reloads their version without losing what was typed', async () => {
    const first = await newPage('en-US');
    const second = await newPage('en-US');
    await signIn(first.page);
    await signIn(second.page);
    await openLegalTab(first.page, 'support');
    await openLegalTab(second.page, 'support');
    const a = first.page.getByTestId('support-profile');
    const b = second.page.getByTestId('support-profile');

    // The first tab changes the telephone and the email, and saves.
    await a.getByTestId('field-telephone').fill('+33 1 40 00 00 02');
    await a.getByTestId('field-email').fill('contact@contoso-demo.example');
    await a.getByTestId('profile-save').click();
    await a.getByRole('status').waitFor();

    // The second, opened before, changes the email: its save is refused as stale.
    await b.getByTestId('field-email').fill('help@contoso-demo.example');
    await b.getByTestId('profile-save').click();
    const conflict = b.getByTestId('etag-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Someone else changed this profile');
    expect(await b.getByTestId('field-email').inputValue()).toBe('help@contoso-demo.example');
    await shot(second.page, 'profile-conflict-en');
    expect((await (await second.page.request.get(`${server.baseURL}/v1/profiles/support`)).json()) as unknown).toMatchObject({ email: 'contact@contoso-demo.example', telephone: '+33140000002' });

    await b.getByTestId('etag-reload').click();
    await conflict.waitFor({ state: 'detached' });
    // What was typed is still there, with the other person's value under it; the field this
    // tab did not touch takes their change instead of putting the old value back.
    expect(await b.getByTestId('field-email').inputValue()).toBe('help@contoso-demo.example');
    expect(await b.textContent()).toContain('Saved by someone else: contact@contoso-demo.example');
    expect((await b.getByTestId('field-telephone').inputValue()).replace(/\s/g, '')).toBe('+33140000002');
    await shot(second.page, 'profile-conflict-reloaded-en');
    await b.getByTestId('profile-save').click();
    await b.getByRole('status').waitFor();
    const after = (await (await second.page.request.get(`${server.baseURL}/v1/profiles/support`)).json()) as Record<string, unknown>;
    expect(after).toMatchObject({ email: 'help@contoso-demo.example', telephone: '+33140000002', website: 'https://support.contoso-demo.example' });
    await first.context.close();
    await second.context.close();
  });

  it('an admin adds a SEPA bank profile: a bad IBAN is refused, the password is asked again, and the list shows the account masked', async () => {
    const { context, page } = await newPage('en-US');
    await signIn(page);
    await page.getByTestId('account-menu').click();
    await page.getByTestId('menu-account-settings').click();
    await page.getByTestId('account-nav-payout').click();
    await page.getByTestId('bank-profiles').getByTestId('bank-add').click();
    const dialog = page.getByTestId('bank-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('bank-name').fill('Main account');
    await dialog.getByTestId('bank-bankCountry').selectOption('FR');
    await dialog.getByTestId('bank-accountHolderName').fill('Contoso Demo SAS');
    await dialog.getByTestId('bank-iban').fill('FR7630006000011234567890188');
    await dialog.getByTestId('bank-bic').fill(BIC);
    await dialog.getByTestId('bank-save').click();
    await expect.poll(() => dialog.textContent()).toContain('Not a valid IBAN');
    // Refused on its content, before any password is asked.
    expect(await page.getByTestId('reauth-dialog').count()).toBe(0);
    await shot(page, 'bank-invalid-iban-en', false);

    await dialog.getByTestId('bank-iban').fill(IBAN.replace(/(.{4})/g, '$1 ').trim());
    await dialog.getByTestId('bank-save').click();
    const reauth = page.getByTestId('reauth-dialog');
    await reauth.waitFor();
    expect(await reauth.textContent()).toContain('Confirm your password');
    await shot(page, 'bank-reauth-en', false);
    await reauth.getByTestId('reauth-password').fill(admin.password);
    await reauth.getByTestId('reauth-confirm').click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('bank-row');
    await row.waitFor();
    expect(await row.textContent()).toContain('Main account');
    expect(await row.textContent()).toContain('Pending validation');
    expect(await row.textContent()).toMatch(/0189/);
    // The full account number is nowhere on the page, not even in the markup.
    const text = (await page.locator('body').textContent())!.replace(/\s/g, '');
    expect(text).not.toContain(IBAN);
    expect(text).not.toContain('30006000011234567890');
    expect((await page.content()).replace(/\s/g, '')).not.toContain(IBAN);
    await shot(page, 'bank-profiles-en');
    await context.close();
  });

  it('the operator approves the bank profile in Reviews → Bank profiles, and the partner sees it approved with an unread notification in the bell', async () => {
    const ops = await newPage('en-US');
    await ops.page.goto(`${server.baseURL}/operator/signin`);
    await ops.page.getByTestId('signin-email').fill(operator.email);
    await ops.page.getByTestId('signin-password').fill(operator.password);
    await ops.page.getByTestId('signin-submit').click();
    await ops.page.getByTestId('operator-nav-bankprofiles').click();
    const row = ops.page.getByTestId('bankprofiles-row').filter({ hasText: 'Contoso Demo SAS' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Main account');
    expect((await ops.page.locator('body').textContent())!.replace(/\s/g, '')).not.toContain(IBAN);
    await shot(ops.page, 'operator-bank-reviews-en');
    await row.click();
    const dialog = ops.page.getByTestId('bankprofiles-dialog');
    await dialog.getByTestId('review-approve').waitFor();
    expect(await dialog.textContent()).toContain(BIC);
    await shot(ops.page, 'operator-bank-review-dialog-en', false);
    await dialog.getByTestId('review-approve').click();
    await dialog.waitFor({ state: 'detached' });
    // The pending queue is empty now; the approved filter lists it.
    await expect.poll(() => ops.page.getByTestId('bankprofiles-row').count()).toBe(0);
    await ops.page.getByTestId('bankprofiles-status').selectOption('approved');
    await row.waitFor();
    await ops.context.close();

    // The partner, in French this time.
    const { context, page } = await newPage('fr-FR');
    await signIn(page);
    const badge = page.getByTestId('notification-badge');
    await expect.poll(() => badge.textContent()).toBe('1');
    await page.getByTestId('notification-bell').click();
    const item = page.getByTestId('notification-item');
    await item.waitFor();
    expect(await item.textContent()).toContain('Le profil bancaire « Main account »');
    expect(await item.textContent()).toContain('a été approuvé');
    expect(await item.textContent()).toContain('Non lue');
    await shot(page, 'bank-notification-fr');
    await item.click();
    await expect.poll(() => badge.count()).toBe(0);

    await page.getByTestId('account-menu').click();
    await page.getByTestId('menu-account-settings').click();
    await page.getByTestId('account-nav-payout').click();
    const bank = page.getByTestId('bank-row');
    await expect.poll(() => bank.textContent()).toContain('Approuvé');
    await shot(page, 'bank-approved-fr');
    await context.close();
  });

  it('a Global admin adds a location with its own address and contact, finds its id in Identifiers, and deletes it only after confirming', async () => {
    const { context, page } = await newPage('en-US');
    await signIn(page);
    await page.getByTestId('account-menu').click();
    await page.getByTestId('menu-account-settings').click();
    await page.getByTestId('account-nav-locations').click();
    await page.getByTestId('locations-empty').waitFor();
    await page.getByTestId('locations-add').click();
    const values: Record<string, string> = {
      name: 'Contoso Lyon',
      'address.addressLine1': '8 quai Saint-Antoine',
      'address.city': 'Lyon',
      'address.postalCode': '6900',
      'contact.firstName': 'Hugo',
      'contact.lastName': 'Lambert',
      'contact.email': 'hugo.lambert@contoso-demo.example',
    };
    for (const [f, v] of Object.entries(values)) await page.getByTestId(`location-${f}`).fill(v);
    await page.getByTestId('location-address.country').selectOption('FR');
    await page.getByTestId('location-save').click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('Not a valid postal code for this country.');
    await shot(page, 'location-postal-code-error-en', false);
    await page.getByTestId('location-address.postalCode').fill('69002');
    await page.getByTestId('location-save').click();
    const row = page.getByTestId('location-row');
    await row.waitFor();
    expect(await row.textContent()).toContain('8 quai Saint-Antoine, 69002 Lyon, France');
    const id = (await row.locator('span').first().textContent())!.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await shot(page, 'locations-en');

    await page.getByTestId('account-nav-legal').click();
    await page.getByTestId('legal-tab-identifiers').click();
    await expect.poll(() => page.getByTestId('identifiers').textContent()).toContain(id);

    // Deleting is permanent, so it asks first; cancelling keeps the location.
    await page.getByTestId('account-nav-locations').click();
    await page.getByTestId('location-delete').click();
    await page.getByTestId('locations-cancel-delete').click();
    expect(await page.getByTestId('location-row').count()).toBe(1);
    await page.getByTestId('location-delete').click();
    expect(await page.getByRole('dialog').textContent()).toContain('Delete Contoso Lyon?');
    await page.getByTestId('locations-confirm-delete').click();
    await page.getByTestId('locations-empty').waitFor();
    expect((await page.request.get(`${server.baseURL}/v1/locations/${id}`)).status()).toBe(404);
    await context.close();
  });
});

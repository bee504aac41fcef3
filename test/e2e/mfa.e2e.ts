import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { codeFrom, startSmtp } from '../support/smtp';
import { launchBrowser, registerMfa, SHOTS, startServer, totp } from './support';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let admin: { email: string; password: string };
const company = {
  companyName: 'Tramontane Conseil',
  address: { addressLine1: '12 allée Jean Jaurès', city: 'Toulouse', postalCode: '31000', country: 'FR' },
  primaryContact: { firstName: 'Lucie', lastName: 'Garnier', email: 'lucie.garnier@tramontane-conseil.example' },
  email: 'lucie.garnier@tramontane-conseil.example',
  password: 'le vent d’autan souffle sur la Garonne 1920',
};

beforeAll(async () => {
  smtp = await startSmtp();
  // The demo company (seeded at first start) does not require MFA; a newly enrolled one does.
  server = await startServer({ SMTP_URL: smtp.url, DEMO: 'true' });
  const out = server.output();
  admin = { email: /email:\s+(\S+)/.exec(out)![1]!, password: /password:\s+(\S+)/.exec(out)![1]! };
  browser = await launchBrowser();

  // Enrol and verify through the API: the enrolment pages have their own test.
  const post = (path: string, body: unknown) => fetch(`${server.baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await post('/v1/enrollment', company)).status).toBe(201);
  const code = codeFrom(await smtp.waitFor(company.email));
  expect((await post('/v1/enrollment/verify', { email: company.email, code })).status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.close();
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

const shot = async (page: Page, name: string) => {
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
};

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${server.baseURL}/signin`);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
}

async function signOut(page: Page) {
  await page.getByTestId('account-menu').click();
  await page.getByTestId('menu-signout').click();
  await page.getByTestId('signin-email').waitFor();
}

/** A 6-digit code that no authenticator app would show now (the server accepts ±1 step). */
function wrongCode(secret: string): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => totp(secret, Date.now() + d)));
  for (let n = 123456; ; n++) if (!valid.has(String(n))) return String(n);
}

describe('a company that requires MFA', () => {
  it('registers an authenticator app at the first sign-in, then is challenged; a wrong code is refused in French and a recovery code works', async () => {
    const { context, page } = await newPage('fr-FR');
    await signIn(page, company.email, company.password);

    // First sign-in: registration, in French.
    await page.waitForURL(/\/mfa$/);
    await expect.poll(() => page.locator('#mfa-title').textContent()).toBe('Configurer l’authentification multifacteur');
    const { secret, recoveryCodes } = await registerMfa(page, (step) => shot(page, step === 'register' ? 'mfa-register-fr' : 'mfa-recovery-codes-fr'));
    expect(new URL(page.url()).pathname).toBe('/');
    await signOut(page);

    // Next sign-in: the code is asked for (challenge), not a new registration.
    await signIn(page, company.email, company.password);
    await page.waitForURL(/\/mfa$/);
    await expect.poll(() => page.locator('#mfa-title').textContent()).toBe('Confirmez votre identité');
    expect(await page.getByTestId('mfa-secret').count()).toBe(0);
    expect((await page.request.get(`${server.baseURL}/v1/me`)).status()).toBe(401);

    await page.getByTestId('mfa-code').fill(wrongCode(secret));
    await page.getByTestId('mfa-submit').click();
    await expect.poll(() => page.getByTestId('mfa-page').textContent()).toContain('Ce code n’est pas valide');
    // The field is emptied for the next try and the session is still half signed in.
    expect(await page.getByTestId('mfa-code').inputValue()).toBe('');
    expect((await page.request.get(`${server.baseURL}/v1/me`)).status()).toBe(401);
    await shot(page, 'mfa-challenge-error-fr');

    // The phone is not at hand: one of the recovery codes opens the session.
    await page.getByTestId('mfa-use-recovery').click();
    await page.getByTestId('mfa-code').fill(recoveryCodes[3]!);
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('account-menu').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect((await page.request.get(`${server.baseURL}/v1/me`)).status()).toBe(200);
    await context.close();
  });
});

describe('a Global admin requires MFA for the company', () => {
  it('switches "MFA required" on in Account settings → Overview → Security; their next sign-in goes to registration', async () => {
    const { context, page } = await newPage('en-US');
    await signIn(page, admin.email, admin.password);
    // The demo company does not require MFA: straight to Home.
    await page.getByTestId('account-menu').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');

    await page.getByTestId('account-menu').click();
    await page.getByTestId('menu-account-settings').click();
    const required = page.getByTestId('security-mfa-required');
    await required.waitFor();
    expect(await required.isChecked()).toBe(false);
    await required.click();
    await expect.poll(() => required.isChecked()).toBe(true);
    await expect.poll(() => required.isEnabled()).toBe(true);
    const card = page.locator('section[aria-labelledby="ov-security"]');
    await expect.poll(() => card.textContent()).toContain('Multi-factor authentication is required for every user at sign-in');
    await shot(page, 'security-mfa-required-en');
    // Saved on the server, not only in the page.
    await page.reload();
    await expect.poll(() => page.getByTestId('security-mfa-required').isChecked()).toBe(true);

    await signOut(page);
    await signIn(page, admin.email, admin.password);
    await page.waitForURL(/\/mfa$/);
    await expect.poll(() => page.locator('#mfa-title').textContent()).toBe('Set up multi-factor authentication');
    await registerMfa(page, (step) => shot(page, step === 'register' ? 'mfa-register-en' : 'mfa-recovery-codes-en'));
    expect(new URL(page.url()).pathname).toBe('/');
    await context.close();
  });
});

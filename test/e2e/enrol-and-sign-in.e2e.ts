import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { codeFrom, startSmtp } from '../support/smtp';
import { cli, launchBrowser, registerMfa, SHOTS, startServer } from './support';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
const operator = { email: 'ops@programme.example', password: 'un opérateur très attentif 2026' };
const company = { name: 'Hélios Informatique', email: 'camille.roux@helios-informatique.example', password: 'le phare veille sur la baie 1789' };

beforeAll(async () => {
  smtp = await startSmtp();
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-e2e-'));
  cli(dataDir, ['create-operator', '--email', operator.email, '--name', 'Programme ops', '--password-stdin'], operator.password);
  server = await startServer({ SMTP_URL: smtp.url, DEMO: 'false' }, dataDir);
  browser = await launchBrowser();
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

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('a company enrols, verifies its email and its admin reaches Account settings', () => {
  it('enrols in French, verifies the mailed code, signs in with MFA registration, switches language and signs out', async () => {
    const { context, page } = await newPage('fr-FR');
    await page.goto(`${server.baseURL}/enroll`);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('fr');

    await page.getByTestId('enroll-companyName').fill(company.name);
    await page.getByTestId('enroll-addressLine1').fill('3 quai des Chartrons');
    await page.getByTestId('enroll-city').fill('Bordeaux');
    await page.getByTestId('enroll-postalCode').fill('33000');
    await page.getByTestId('enroll-country').selectOption('FR');
    await page.getByTestId('enroll-contact-firstName').fill('Camille');
    await page.getByTestId('enroll-contact-lastName').fill('Roux');
    await page.getByTestId('enroll-contact-email').fill(company.email);
    await page.getByTestId('enroll-email').fill(company.email);

    // A refused password is explained in French and nothing typed is lost.
    await page.getByTestId('enroll-password').fill('trop court');
    await page.getByTestId('enroll-submit').click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toContain('mot de passe');
    await shot(page, 'enroll-error-fr');
    expect(await page.getByTestId('enroll-companyName').inputValue()).toBe(company.name);

    await page.getByTestId('enroll-password').fill(company.password);
    await page.getByTestId('enroll-submit').click();
    await page.waitForURL(/\/enroll\/verify/);

    const code = codeFrom(await smtp.waitFor(company.email));
    await page.getByTestId('verify-code').fill(code);
    await page.getByTestId('verify-submit').click();
    await page.getByTestId('verify-success').waitFor();
    await shot(page, 'verify-success-fr');

    await page.goto(`${server.baseURL}/signin`);
    await page.getByTestId('signin-email').fill(company.email);
    await page.getByTestId('signin-password').fill(company.password);
    await page.getByTestId('signin-submit').click();

    // A new company requires MFA: the first sign-in goes on to register an authenticator app.
    await page.waitForURL(/\/mfa$/);
    await expect.poll(() => page.locator('#mfa-title').textContent()).toBe('Configurer l’authentification multifacteur');
    // Until the second factor is registered, the session opens nothing else.
    expect((await page.request.get(`${server.baseURL}/v1/me`)).status()).toBe(401);
    const { recoveryCodes } = await registerMfa(page, async (step) => {
      if (step === 'codes') expect(await page.locator('#mfa-title').textContent()).toBe('Enregistrez vos codes de récupération');
      return shot(page, step === 'register' ? 'enroll-mfa-register-fr' : 'enroll-mfa-codes-fr');
    });
    expect(recoveryCodes).toHaveLength(10);
    expect(new URL(page.url()).pathname).toBe('/');
    expect((await page.request.get(`${server.baseURL}/v1/me`)).status()).toBe(200);

    // The session cookie is HttpOnly, Secure and SameSite=Lax, and the token never reaches script.
    const cookies = await context.cookies();
    const sid = cookies.find((c) => c.name === '__Host-sid');
    expect(sid).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('__Host-sid');
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(sid!.value);

    await page.getByTestId('account-menu').click();
    await page.getByTestId('menu-account-settings').click();
    await page.getByTestId('account-nav').waitFor();
    expect(await page.getByTestId('account-nav').textContent()).toContain('Gestion des utilisateurs');
    expect(await page.getByTestId('overview-company').textContent()).toContain(company.name);
    expect(await page.getByTestId('overview-roles').textContent()).toContain('Administrateur général');
    await page.getByTestId('view-permissions').click();
    await page.getByTestId('permissions-list').waitFor();
    expect(await page.getByTestId('permissions-list').textContent()).toContain('users.manage');
    await shot(page, 'account-overview-fr');
    await page.keyboard.press('Escape');
    await page.getByTestId('permissions-list').waitFor({ state: 'detached' });

    // Switch to English from the account menu: the whole UI follows, and the choice is saved.
    await page.getByTestId('account-menu').click();
    await page.getByTestId('menu-lang-en').click();
    await expect.poll(() => page.getByTestId('account-nav').textContent()).toContain('User management');
    await expect.poll(() => page.getByTestId('overview-roles').textContent()).toContain('Global admin');
    await shot(page, 'account-overview-en');
    await page.reload();
    await expect.poll(() => page.getByTestId('account-nav').textContent()).toContain('User management');

    await page.getByTestId('account-menu').click();
    await page.getByTestId('menu-signout').click();
    await page.getByTestId('signin-email').waitFor();
    const after = await page.request.get(`${server.baseURL}/v1/me`);
    expect(after.status()).toBe(401);
    await context.close();
  });

  it('lets the operator find the new partner in the operator console', async () => {
    const { context, page } = await newPage('en-US');
    await page.goto(`${server.baseURL}/operator/signin`);
    await page.getByTestId('signin-email').fill(operator.email);
    await page.getByTestId('signin-password').fill(operator.password);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('operator-partners-table').waitFor();
    await page.getByTestId('operator-search').fill('helios');
    await expect.poll(() => page.getByTestId('operator-partners-table').textContent()).toContain(company.name);
    expect(await page.getByTestId('operator-total').textContent()).toContain('1');
    await shot(page, 'operator-partners-en');
    await context.close();
  });
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, SHOTS, startServer } from './support';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let admin: { email: string; password: string };

beforeAll(async () => {
  // First start with the demo partner: its Global admin's generated password is printed once.
  server = await startServer({ DEMO: 'true' });
  const out = server.output();
  admin = { email: /email:\s+(\S+)/.exec(out)![1]!, password: /password:\s+(\S+)/.exec(out)![1]! };
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signInAs(page: Page, email: string, password: string) {
  await page.goto(`${server.baseURL}/signin`);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
}

describe('a Global admin adds a user, who must replace the temporary password', () => {
  it('adds a Helpdesk agent, shows the temporary password once; the agent changes it and sees only what the role allows', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await signInAs(page, admin.email, admin.password);
    await page.getByTestId('account-menu').waitFor();
    await page.goto(`${server.baseURL}/account/users`);
    await page.getByTestId('users-table').waitFor();
    // Only one Global admin: the page recommends a second one.
    await page.getByTestId('users-admin-warning').waitFor();

    await page.getByTestId('users-add').click();
    await page.getByTestId('adduser-firstName').fill('Inès');
    await page.getByTestId('adduser-lastName').fill('Moreau');
    await page.getByTestId('adduser-email').fill('ines.moreau@contoso-demo.example');
    await page.getByTestId('adduser-role-agent').selectOption('helpdesk-agent');
    await page.getByTestId('adduser-submit').click();
    const temp = (await page.getByTestId('temp-password').textContent())!.trim();
    expect(temp).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await page.screenshot({ path: join(SHOTS, 'user-added-fr.png'), fullPage: true });

    await page.getByTestId('account-menu').click();
    await page.getByTestId('menu-signout').click();
    await page.getByTestId('signin-email').waitFor();

    await signInAs(page, 'ines.moreau@contoso-demo.example', temp);
    await page.waitForURL(/\/change-password/);
    await page.getByTestId('pw-current').fill(temp);
    await page.getByTestId('pw-new').fill('le train de nuit pour Nice 1999');
    await page.getByTestId('pw-confirm').fill('le train de nuit pour Nice 1999');
    await page.getByTestId('pw-submit').click();
    await page.getByTestId('account-menu').waitFor();

    // A Helpdesk agent sees Customers and Support, never Billing or Pricing.
    expect(await page.getByTestId('nav-customers').count()).toBe(1);
    expect(await page.getByTestId('nav-support').count()).toBe(1);
    expect(await page.getByTestId('nav-billing').count()).toBe(0);
    expect(await page.getByTestId('nav-pricing').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'helpdesk-home-fr.png'), fullPage: true });
    await context.close();
  });
});

describe('Can’t access your account?', () => {
  it('the admin asks for a link, chooses a new password from the mail and signs in with it', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const outbox = join(server.dataDir, 'outbox');
    const before = new Set(readdirSync(outbox));
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${server.baseURL}/signin`);
    await page.getByTestId('signin-forgot').click();
    await page.getByTestId('forgot-email').fill(admin.email);
    await page.getByTestId('forgot-submit').click();
    await page.getByTestId('forgot-sent').waitFor();

    let mail = '';
    for (let i = 0; i < 50 && !mail; i++) {
      const fresh = readdirSync(outbox).filter((f) => !before.has(f));
      if (fresh.length) mail = readFileSync(join(outbox, fresh[0]!), 'utf8');
      else await new Promise((r) => setTimeout(r, 100));
    }
    // Quoted-printable may fold the long link: unfold it before reading the token.
    const link = /(http:\/\/localhost:\d+\/reset-password\?token=3D[A-Za-z0-9_-]+)/.exec(mail.replace(/=\r?\n/g, ''))?.[1]?.replace('token=3D', 'token=');
    expect(link).toBeDefined();
    await page.goto(link!);
    const fresh = 'une nouvelle phrase de passe pour la rentrée 2027';
    await page.getByTestId('reset-new').fill(fresh);
    await page.getByTestId('reset-confirm').fill(fresh);
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('reset-success').waitFor();
    admin.password = fresh;
    await signInAs(page, admin.email, fresh);
    await page.getByTestId('account-menu').waitFor();
    await context.close();
  });
});

describe('an invited user who has not accepted yet', () => {
  it('shows as Invited in the list and on their page, where the admin can send the invitation again', async () => {
    const { readdirSync } = await import('node:fs');
    const outbox = join(server.dataDir, 'outbox');
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await signInAs(page, admin.email, admin.password);
    await page.getByTestId('account-menu').waitFor();
    await page.goto(`${server.baseURL}/account/users/new`);
    await page.getByTestId('adduser-firstName').fill('Théo');
    await page.getByTestId('adduser-lastName').fill('Lambert');
    await page.getByTestId('adduser-email').fill('theo.lambert@contoso-demo.example');
    await page.getByTestId('adduser-mode-invite').check();
    await page.getByTestId('adduser-submit').click();
    await page.getByTestId('adduser-invited').waitFor();
    await page.getByTestId('adduser-done-back').click();

    const row = page.getByTestId('users-row').filter({ hasText: 'theo.lambert@contoso-demo.example' });
    await expect.poll(() => row.getByTestId('user-status').textContent()).toBe('Invité');
    // Users who signed in themselves stay Active.
    expect(await page.getByTestId('users-row').filter({ hasText: admin.email }).getByTestId('user-status').textContent()).toBe('Actif');
    await page.screenshot({ path: join(SHOTS, 'users-invited-fr.png'), fullPage: true });

    await row.getByTestId('users-row-link').click();
    await expect.poll(() => page.getByTestId('user-status').textContent()).toBe('Invité');
    const mails = () => readdirSync(outbox).length;
    const before = mails();
    await page.getByTestId('user-resend-invitation').click();
    await expect.poll(() => page.getByTestId('user-invitation-resent').textContent()).toContain('L’invitation a été renvoyée à theo.lambert@contoso-demo.example');
    await expect.poll(mails).toBe(before + 1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'user-invited-detail-fr.png'), fullPage: true });

    // The same page in English.
    await page.getByTestId('account-menu').click();
    await page.getByTestId('menu-lang-en').click();
    await expect.poll(() => page.getByTestId('user-status').textContent()).toBe('Invited');
    expect(await page.getByTestId('user-resend-invitation').textContent()).toBe('Resend invitation');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'user-invited-detail-en.png'), fullPage: true });

    // An active user who chose their own password has no invitation to resend.
    await page.getByTestId('user-back').click();
    await expect.poll(() => row.getByTestId('user-status').textContent()).toBe('Invited');
    await page.screenshot({ path: join(SHOTS, 'users-invited-en.png'), fullPage: true });
    await page.getByTestId('users-row').filter({ hasText: admin.email }).getByTestId('users-row-link').click();
    await expect.poll(() => page.getByTestId('user-status').textContent()).toBe('Active');
    expect(await page.getByTestId('user-resend-invitation').count()).toBe(0);
    await context.close();
  });
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, SHOTS, startServer } from './support';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let admin: { email: string; password: string };

beforeAll(async () => {
  server = await startServer({ DEMO: 'true' });
  const out = server.output();
  admin = { email: /email:\s+(\S+)/.exec(out)![1]!, password: /password:\s+(\S+)/.exec(out)![1]! };
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('App management', () => {
  it('a Global admin registers an app, sees its secret once, and the app calls the API with a token from that secret', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
    await page.goto(`${server.baseURL}/signin`);
    await page.getByTestId('signin-email').fill(admin.email);
    await page.getByTestId('signin-password').fill(admin.password);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('account-menu').click();
    await page.getByTestId('menu-account-settings').click();
    await page.getByTestId('account-nav-apps').click();
    await page.getByTestId('apps-empty').waitFor();

    await page.getByTestId('apps-add').click();
    await page.getByTestId('addapp-name').fill('Synchronisation CRM');
    await page.getByTestId('addapp-role-admin').selectOption('user-management-admin');
    await page.getByTestId('addapp-submit').click();

    // The secret is shown in a dialog, this once, next to the client id.
    const dialog = page.getByRole('alertdialog');
    await dialog.getByTestId('app-secret-once').waitFor();
    const clientId = (await dialog.getByTestId('app-reveal-clientid').textContent())!.trim();
    const secret = (await dialog.getByTestId('app-reveal-secret').textContent())!.trim();
    expect(clientId.length).toBeGreaterThan(8);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    await page.screenshot({ path: join(SHOTS, 'app-secret-once-en.png'), fullPage: true, animations: 'disabled' });
    await page.getByTestId('app-reveal-done').click();
    await dialog.waitFor({ state: 'detached' });

    // The app's card lists its client id, its role and one secret, by its hint only.
    const card = page.getByTestId('app-card');
    await expect.poll(() => card.getByTestId('app-clientid').textContent()).toBe(clientId);
    expect(await card.getByTestId('app-roles').textContent()).toContain('User management admin');
    expect(await card.getByTestId('app-secret-row').count()).toBe(1);
    expect(await page.locator('body').textContent()).not.toContain(secret);
    await page.screenshot({ path: join(SHOTS, 'app-management-en.png'), fullPage: true });
    await context.close();

    // The app, outside the browser: client credentials → bearer token → the users list.
    const tokenRes = await fetch(`${server.baseURL}/v1/apps/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
    });
    expect(tokenRes.status).toBe(200);
    const token = (await tokenRes.json()) as { accessToken: string; tokenType: string; expiresIn: number };
    expect(token).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    const users = await fetch(`${server.baseURL}/v1/users`, { headers: { authorization: `Bearer ${token.accessToken}` } });
    expect(users.status).toBe(200);
    const list = (await users.json()) as { items: { email: string }[] };
    expect(list.items.map((u) => u.email)).toContain(admin.email);

    // A wrong secret gets no token.
    const wrong = await fetch(`${server.baseURL}/v1/apps/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId, clientSecret: `${secret}x` }) });
    expect(wrong.status).toBe(401);
  });
});

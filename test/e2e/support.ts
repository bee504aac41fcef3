import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
export const SHOTS = join(ROOT, 'test-results/screenshots');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** Run the CLI against a data dir (before the server starts: PGlite is single-process). */
export function cli(dataDir: string, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/partner-space.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    input,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`CLI ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Start the real server (as `npm start` runs it) on a fresh data dir and wait until it is ready. */
export async function startServer(env: Record<string, string>, dataDir = mkdtempSync(join(tmpdir(), 'ps-e2e-'))) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://localhost:${port}`, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const baseURL = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const r = await fetch(`${baseURL}/readyz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server not ready in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseURL,
    dataDir,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The code an authenticator app shows for this base32 secret at this time (±1 step is accepted). */
export function totp(secret: string, at = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: at });
}

/**
 * MFA registration as a person does it on /mfa: read the key under the QR code, type the
 * app's code, keep the ten recovery codes, tick "I have saved them" and continue.
 * `shot` is called on the registration page and on the recovery codes.
 */
export async function registerMfa(page: Page, shot: (step: 'register' | 'codes') => Promise<unknown> = async () => undefined) {
  await page.waitForURL(/\/mfa$/);
  const key = page.getByTestId('mfa-secret');
  await key.waitFor();
  const secret = (await key.getAttribute('data-secret'))!;
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  // The key is shown in groups of four for typing by hand.
  expect((await key.textContent())!.replace(/\s/g, '')).toBe(secret);
  expect(await page.getByTestId('mfa-qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  await shot('register');
  await page.getByTestId('mfa-code').fill(totp(secret));
  await page.getByTestId('mfa-submit').click();
  const list = page.getByTestId('mfa-recovery-codes');
  await list.waitFor();
  const recoveryCodes = (await list.locator('li').allTextContents()).map((c) => c.trim());
  expect(recoveryCodes).toHaveLength(10);
  expect(new Set(recoveryCodes).size).toBe(10);
  // Continue only once the user says the codes are saved.
  expect(await page.getByTestId('mfa-continue').isDisabled()).toBe(true);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('codes');
  await page.getByTestId('mfa-codes-saved').check();
  await page.getByTestId('mfa-continue').click();
  await page.getByTestId('account-menu').waitFor();
  return { secret, recoveryCodes };
}

// Throughput of the CSV user import (POST /v1/users/import) on PGlite:
//   node --import tsx bench/import-users.ts            (BENCH_IMPORT_ROWS=10000, BENCH_IMPORT_RUNS=3)
// The whole request is timed through app.inject (parse, validate every row, one transaction with
// multi-row inserts, audit records, invitation tokens). Mail is counted, not sent: invitations are
// mailed after the answer, so SMTP speed does not enter the figure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/core/config';
import type { Mailer } from '../src/server/core/mailer';
import { openDatabase } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';
import { syncBuiltInRoles } from '../src/server/modules/roles/roles.repo';
import { seedDemoOnFirstStart } from '../src/server/modules/seed/demo';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 3);

const dataDir = mkdtempSync(join(tmpdir(), 'ps-import-bench-'));
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' }, { logLevel: 'silent', serveWeb: false, authRateLimitPerMinute: 1000, sessionCacheMs: 0 });
const handle = await openDatabase({ inMemory: true });
await handle.ready;
await migrateToLatest(handle.db);
await syncBuiltInRoles(handle.db);
const demo = (await seedDemoOnFirstStart(handle.db, config))!;
let mails = 0;
const mailer: Mailer = { target: 'counter', send: async () => void (mails += 1), close: () => {} };
const { app } = await buildApp({ config, db: handle.db, dbKind: handle.kind, mailer, clock: () => new Date() }, { logger: false });
await app.ready();

const signIn = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: demo.email, password: demo.password } });
if (signIn.statusCode !== 201) throw new Error(`sign-in failed: ${signIn.body}`);
const auth = { authorization: `Bearer ${signIn.json().token}` };
// The bench measures the import, not the second factor: mark this session's MFA as passed.
await handle.db.updateTable('sessions').set({ mfa_passed: true, mfa_pending: null }).execute();
const roles = ['', 'helpdesk-agent', 'report-viewer', 'sales-agent;incentives-user'];

const results: number[] = [];
for (let run = 1; run <= RUNS; run += 1) {
  const lines = ['firstName,lastName,email,roles'];
  for (let i = 0; i < ROWS; i += 1) lines.push(`Prénom${i},Nom${i},user${i}.run${run}@import-bench.example,${roles[i % roles.length]}`);
  const csv = lines.join('\n');
  const t0 = performance.now();
  const res = await app.inject({ method: 'POST', url: '/v1/users/import', headers: { ...auth, 'content-type': 'text/csv' }, payload: csv });
  const ms = performance.now() - t0;
  if (res.statusCode !== 200) throw new Error(`import failed: ${res.statusCode} ${res.body.slice(0, 500)}`);
  const perS = ROWS / (ms / 1000);
  results.push(perS);
  console.log(`run ${run}: ${ROWS} users (${(csv.length / 1024).toFixed(0)} KiB) imported in ${ms.toFixed(0)} ms → ${Math.round(perS)} users/s`);
}
// Let the after-commit invitation mails drain before closing.
for (let i = 0; i < 200 && mails < ROWS * RUNS; i += 1) await new Promise((r) => setTimeout(r, 50));
const median = [...results].sort((x, y) => x - y)[Math.floor(results.length / 2)]!;
console.log(`median: ${Math.round(median)} users/s on PGlite (${ROWS} rows per file; ${mails} invitation mails handed to the mailer)`);
await app.close();
await handle.close();
rmSync(dataDir, { recursive: true, force: true });

#!/usr/bin/env node
// `npm test`: type-check, then the unit + API suite on PGlite, the same suite on
// PostgreSQL, then the browser end-to-end tests in headless Chromium.
// PostgreSQL: TEST_DATABASE_URL if set; otherwise a throw-away cluster started with
// scripts/pg-cluster.sh when PostgreSQL is installed (required when CI=true).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ps-test-run-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const stages = [];
let ok = true;

function run(label, cmd, args, env = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  stages.push(`${label}: ${r.status === 0 ? 'ok' : 'FAILED'} (${seconds} s)`);
  if (r.status !== 0) ok = false;
  return r.status === 0;
}

function vitest(label, config, env = {}) {
  const out = join(work, `${label.replace(/\W+/g, '-')}.json`);
  run(label, process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], env);
  if (!existsSync(out)) {
    totals.failed += 1;
    return;
  }
  const r = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests + (r.numTotalTestSuites > 0 && r.numTotalTests === 0 ? 1 : 0);
  totals.skipped += r.numPendingTests + r.numTodoTests;
  if (r.numTotalTests === 0) ok = false;
}

run('typecheck', process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
vitest('unit+api on PGlite', 'vitest.config.ts', { TEST_DATABASE_URL: '' });

let pgUrl = process.env.TEST_DATABASE_URL;
let ownCluster;
if (!pgUrl) {
  // Its own folder, traversable by the `postgres` user the cluster runs as under root.
  const pgDir = mkdtempSync(join(tmpdir(), 'ps-test-pg-'));
  chmodSync(pgDir, 0o755);
  const port = String(55000 + Math.floor(Math.random() * 5000));
  const r = spawnSync('bash', [join(root, 'scripts/pg-cluster.sh'), 'start', pgDir, port], { encoding: 'utf8' });
  if (r.status === 0) {
    pgUrl = r.stdout.trim();
    ownCluster = pgDir;
  } else if (process.env.CI) {
    console.error(`Could not start PostgreSQL for the test run:\n${r.stderr}`);
    ok = false;
    totals.failed += 1;
  } else {
    console.warn('PostgreSQL is not installed here: the PostgreSQL run is not part of this local run.');
  }
}
if (pgUrl) vitest('unit+api on PostgreSQL', 'vitest.config.ts', { TEST_DATABASE_URL: pgUrl });
if (ownCluster) {
  spawnSync('bash', [join(root, 'scripts/pg-cluster.sh'), 'stop', ownCluster]);
  rmSync(ownCluster, { recursive: true, force: true });
}

if (run('web build', process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'])) {
  vitest('browser end-to-end', 'vitest.e2e.config.ts');
}

rmSync(work, { recursive: true, force: true });
console.log(`\n${stages.join('\n')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(ok && totals.failed === 0 ? 0 : 1);

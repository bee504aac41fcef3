// `npm run bench`: one run measures the bare-Fastify baselines and the real Partner Space
// server on PGlite and on PostgreSQL, and writes bench/results/<timestamp>.json and latest.json.
// See bench/README.md for the figures and the BENCH_* knobs.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { randomBytes, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { encryptField } from '../src/server/core/crypto';
import { CpuMeter, waitQuiet } from './lib/cpu';
import { loadTest, type LoadFigure, type LoadSettings } from './lib/load';
import {
  ROOT, atExit, cleanup, freePort, installSignalHandlers, memoryOf, round1, runCommand, runSync, sleep, spawnChild, spawnTsNode, stopChild, waitFor200, type Child,
} from './lib/proc';

// ---------------------------------------------------------------- settings
const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const num = (name: string, d: number) => {
  const v = env[name];
  if (v === undefined || v === '') return d;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${v}`);
  return n;
};
const settings = {
  quick: QUICK,
  connections: num('BENCH_CONNECTIONS', 50),
  warmupS: num('BENCH_WARMUP', QUICK ? 1 : 3),
  durationS: num('BENCH_DURATION', QUICK ? 2 : 10),
  partners: num('BENCH_PARTNERS', QUICK ? 20_000 : 400_000),
  pgPartners: num('BENCH_PG_PARTNERS', num('BENCH_PARTNERS', QUICK ? 20_000 : 400_000)),
  usersPerPartner: num('BENCH_USERS_PER_PARTNER', 2),
  bigPartnerUsers: num('BENCH_BIG_PARTNER_USERS', 10000),
  coldRuns: num('BENCH_COLD_RUNS', 3),
  idleMs: num('BENCH_IDLE_MS', 3000),
  pglite: env.BENCH_PGLITE !== '0',
  postgres: env.BENCH_PG !== '0',
  pgDir: env.BENCH_PG_DIR ?? '/tmp/ps-bench-pg',
  pgPort: num('BENCH_PG_PORT', 54340),
  keep: env.BENCH_KEEP === '1',
  seedTimeoutMs: num('BENCH_SEED_TIMEOUT_S', 900) * 1000,
  /** Before each measurement, wait until other processes use < quietPct % of the machine (at most quietWaitS). */
  quietPct: num('BENCH_QUIET_PCT', 10),
  quietWaitS: num('BENCH_QUIET_WAIT_S', QUICK ? 5 : 30),
};
const LOAD: LoadSettings = { connections: settings.connections, warmupS: settings.warmupS, durationS: settings.durationS };
const TARGETS = { coldStartMs: 2000, initialJsGzipKiB: 250, meRatioPostgres: 0.4 };

// ---------------------------------------------------------------- result shape
interface Figure extends LoadFigure {
  label: string;
  waitedForQuietMs: number;
  rpsRatioToHello: number | null;
  p99RatioToHello: number | null;
}
interface EngineResult {
  dataset?: { partners: number; users: number; userRoles: number; seedMs: number; seedWallMs: number; rowsPerSecond: number; seedPeakRssMiB?: number; phasesMs: Record<string, number> };
  rss?: { idleMiB: number; afterLoadMiB?: number; peakMiB?: number };
  coldStart?: { runsMs: number[]; medianMs: number; inProcessReadyMs: number[]; shutdownMs: number[]; foreignCpuPct: number[] };
  firstStartMs?: number;
  dataDirMiB?: number;
  version?: string;
}
const results = {
  startedAt: new Date().toISOString(),
  finishedAt: '',
  wallSeconds: 0,
  settings,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '?',
    memGiB: round1(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    git: gitInfo(),
    loadAvgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  },
  figures: {} as Record<string, Figure>,
  pglite: {} as EngineResult,
  postgres: {} as EngineResult,
  baselines: {} as Record<string, { rss?: { idleMiB: number; afterLoadMiB?: number; peakMiB?: number } }>,
  web: {} as { build?: 'existing' | 'built' | 'failed'; buildMs?: number; initialJsGzipBytes?: number; initialJsGzipKiB?: number; files?: Array<{ file: string; bytes: number; gzipBytes: number }>; error?: string },
  targets: [] as Array<{ name: string; value: number | null; target: string; pass: boolean | null }>,
  invalid: [] as string[],
  /** Measurements taken while other processes used a significant share of the CPU. */
  contended: [] as string[],
  errors: [] as string[],
};

const t0 = performance.now();
const log = (s: string) => process.stdout.write(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${s}\n`);

function gitInfo() {
  const head = runSync('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = runSync('git', ['status', '--porcelain']);
  return head.code === 0 ? `${head.out}${dirty.out ? ' (+uncommitted changes)' : ''}` : 'unknown';
}

/** An environment for children without anything that would change which database they use. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...env };
  for (const k of ['DATABASE_URL', 'DATA_DIR', 'PORT', 'DEMO', 'LOG_LEVEL', 'HOST', 'PEPPER', 'TOKEN_KEY', 'SESSION_CACHE_MS', 'NODE_ENV']) delete e[k];
  return { ...e, ...extra };
}

async function section(name: string, fn: () => Promise<void>) {
  try {
    await fn();
  } catch (err) {
    const msg = `${name}: ${(err as Error).message}`;
    results.errors.push(msg);
    log(`!! ${msg}`);
  }
}

// ---------------------------------------------------------------- CPU contention
let postmasterPid = 0;
const ownRoots = () => [process.pid, postmasterPid];

async function quiet(what: string) {
  const q = await waitQuiet(ownRoots, settings.quietPct, settings.quietWaitS * 1000);
  if (q.foreignPct >= settings.quietPct) log(`   (other processes use ${q.foreignPct} % of the CPU; waited ${(q.waitedMs / 1000).toFixed(0)} s, measuring ${what} anyway)`);
  else if (q.waitedMs > 0) log(`   (waited ${(q.waitedMs / 1000).toFixed(0)} s for other processes to quiet down)`);
  return q.waitedMs;
}

async function measure(key: string, label: string, url: string, headers: Record<string, string> = {}, request: { method?: 'GET' | 'POST'; body?: string; connections?: number } = {}) {
  const waited = await quiet(label);
  const { connections, ...req } = request;
  record(key, label, await loadTest(url, { ...LOAD, connections: connections ?? LOAD.connections }, headers, () => new CpuMeter(ownRoots), req), waited);
}

function record(key: string, label: string, f: LoadFigure, waitedForQuietMs: number) {
  const fig: Figure = { label, waitedForQuietMs, ...f, rpsRatioToHello: null, p99RatioToHello: null };
  results.figures[key] = fig;
  if (!f.valid) {
    const msg = `INVALID FIGURE ${label}: ${f.non2xx} non-2xx, ${f.errors} errors, ${f.timeouts} timeouts (status codes ${JSON.stringify(f.statusCodes)})`;
    results.invalid.push(msg);
    log(`!!!!!!!! ${msg}`);
  }
  if ((f.foreignCpuPct ?? 0) >= settings.quietPct) results.contended.push(`${label}: other processes used ${f.foreignCpuPct} % of the CPU during the measurement`);
  log(`   ${label}: ${f.rps} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms (other processes: ${f.foreignCpuPct ?? '?'} % CPU)${f.valid ? '' : '  ** INVALID **'}`);
}

// ---------------------------------------------------------------- pieces
async function startServer(name: string, extra: Record<string, string>, logLevel = 'warn') {
  const port = await freePort();
  // As `npm start` runs it: the bundled server, plain JavaScript.
  // The sign-in rate limit (20 per IP per minute) would answer the load generator 429: lifted here.
  const child = spawnChild(name, process.execPath, ['dist/server/main.js'], childEnv({ ...extra, PORT: String(port), DEMO: 'false', LOG_LEVEL: logLevel, AUTH_RATE_LIMIT: '100000000' }));
  const base = `http://127.0.0.1:${port}`;
  const readyMs = await waitFor200(`${base}/readyz`, child);
  return { child, base, readyMs };
}

async function signIn(base: string, email: string, password: string): Promise<string> {
  const r = await fetch(`${base}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await r.json()) as { token?: string };
  if (r.status !== 201 || !body.token) throw new Error(`sign-in as ${email} answered ${r.status}: ${JSON.stringify(body)}`);
  const me = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${body.token}` } });
  if (me.status !== 200) throw new Error(`GET /v1/me with the new token answered ${me.status}: ${await me.text()}`);
  return body.token;
}

interface SeedJson { partners: number; users: number; userRoles: number; password: string; signInEmail: string; ms: Record<string, number>; rowsPerSecond: number }

async function seed(engine: 'pglite' | 'postgres', extra: Record<string, string>, partners: number): Promise<SeedJson> {
  log(`${engine}: seeding ${partners} partners × ${settings.usersPerPartner} users (partner-space seed-bench)…`);
  const args = ['bin/partner-space.mjs', 'seed-bench', '--partners', String(partners), '--users-per-partner', String(settings.usersPerPartner), '--big-partner-users', String(settings.bigPartnerUsers), '--json'];
  // Watch the seeding process's peak RSS while it runs.
  let peak = 0;
  let pid = 0;
  const watch = setInterval(() => {
    if (!pid) return;
    try {
      peak = Math.max(peak, memoryOf(pid).peakMiB);
    } catch {
      /* exited */
    }
  }, 250);
  const r = await runCommand(`seed-bench ${engine}`, process.execPath, args, childEnv(extra), settings.seedTimeoutMs, (c) => (pid = c.pid));
  clearInterval(watch);
  if (r.code !== 0) throw new Error(`seed-bench failed (${r.timedOut ? 'timed out' : `exit ${r.code}`}):\n${(r.stderr + r.stdout).trim().split('\n').slice(-15).join('\n')}`);
  const line = r.stdout.trim().split('\n').pop()!;
  const s = JSON.parse(line) as SeedJson;
  const target = engine === 'pglite' ? results.pglite : results.postgres;
  target.dataset = {
    partners: s.partners,
    users: s.users,
    userRoles: s.userRoles,
    seedMs: s.ms.total!,
    seedWallMs: Math.round(r.ms),
    rowsPerSecond: s.rowsPerSecond,
    ...(peak ? { seedPeakRssMiB: peak } : {}),
    phasesMs: s.ms,
  };
  log(`   seeded ${s.partners} partners, ${s.users} users, ${s.userRoles} role rows in ${(s.ms.total! / 1000).toFixed(1)} s (${s.rowsPerSecond} rows/s; process wall ${(r.ms / 1000).toFixed(1)} s${peak ? `, peak RSS ${peak} MiB` : ''})`);
  return s;
}

/** Start the real server, idle RSS, sign in, load /v1/me and /healthz, RSS after; then cold starts. */
async function engineRun(engine: 'pglite' | 'postgres', extra: Record<string, string>, s: SeedJson) {
  const target = engine === 'pglite' ? results.pglite : results.postgres;
  log(`${engine}: starting the server (node dist/server/main.js, as npm start runs it)…`);
  let srv: { child: Child; base: string; readyMs: number } | undefined;
  try {
    srv = await startServer(`server ${engine}`, extra);
    target.firstStartMs = Math.round(srv.readyMs);
    log(`   ready after ${Math.round(srv.readyMs)} ms (first start after seeding)`);
    await sleep(settings.idleMs);
    target.rss = { idleMiB: memoryOf(srv.child.pid).rssMiB };
    log(`   idle RSS ${target.rss.idleMiB} MiB`);
    const token = await signIn(srv.base, s.signInEmail, s.password);
    log(`   signed in as ${s.signInEmail}; loading GET /v1/me (${LOAD.connections} connections, ${LOAD.warmupS}+${LOAD.durationS} s)…`);
    await measure(`${engine}.me`, `${engine} GET /v1/me (auth)`, `${srv.base}/v1/me`, { authorization: `Bearer ${token}` });
    // Partner 1 has usersPerPartner + bigPartnerUsers users: its admin lists them 50 a page.
    await measure(`${engine}.users`, `${engine} GET /v1/users?size=50 (${settings.usersPerPartner + settings.bigPartnerUsers} users)`, `${srv.base}/v1/users?size=50`, { authorization: `Bearer ${token}` });
    // Sign-in: email + password → a new server-side session. argon2id (19 MiB, t=2) bounds it by
    // design (~10 ms of CPU each), so 10 connections saturate it without client timeouts.
    await measure(`${engine}.signin`, `${engine} POST /v1/sessions (sign-in, argon2id, 10 connections)`, `${srv.base}/v1/sessions`, { 'content-type': 'application/json' }, {
      method: 'POST',
      connections: 10,
      body: JSON.stringify({ email: s.signInEmail, password: s.password }),
    });
    if (engine === 'postgres') await section('postgres bank review queue', () => payoutReviewQueue('postgres', extra, srv!.base));
    log('   loading GET /healthz…');
    await measure(`${engine}.healthz`, `${engine} GET /healthz`, `${srv.base}/healthz`);
    const m = memoryOf(srv.child.pid);
    target.rss.afterLoadMiB = m.rssMiB;
    target.rss.peakMiB = m.peakMiB;
    log(`   RSS after load ${m.rssMiB} MiB (peak ${m.peakMiB} MiB)`);
  } finally {
    if (srv) await stopChild(srv.child);
  }

  if (settings.coldRuns > 0) {
    log(`${engine}: cold start to ready ×${settings.coldRuns} (same data)…`);
    const runsMs: number[] = [];
    const inProcess: number[] = [];
    const shutdownMs: number[] = [];
    const foreign: number[] = [];
    for (let i = 0; i < settings.coldRuns; i++) {
      await quiet(`cold start ${i + 1}`);
      const meter = new CpuMeter(ownRoots);
      const { child, readyMs } = await startServer(`cold ${engine} ${i + 1}`, extra, 'info');
      const pct = meter.foreignPct();
      foreign.push(pct);
      if (pct >= settings.quietPct) results.contended.push(`${engine} cold start run ${i + 1}: other processes used ${pct} % of the CPU`);
      runsMs.push(Math.round(readyMs));
      await sleep(300); // let the startup log line arrive
      const line = child.tail.find((l) => l.includes('"sys_startup"'));
      const m = line ? /"readyMs":(\d+)/.exec(line) : null;
      if (m) inProcess.push(Number(m[1]));
      shutdownMs.push(Math.round(await stopChild(child)));
      log(`   run ${i + 1}: ${Math.round(readyMs)} ms to first 200 on /readyz${m ? ` (in-process ${m[1]} ms)` : ''} (other processes: ${pct} % CPU)`);
    }
    target.coldStart = { runsMs, medianMs: median(runsMs), inProcessReadyMs: inProcess, shutdownMs, foreignCpuPct: foreign };
  }
}

/**
 * The operator's bank profile review queue at 10,000 pending items (issue 4's figure): seed them
 * across the bench partners straight into the database (account fields really encrypted with the
 * server's FIELD_KEY from DATA_DIR/secrets.json), create an operator with the CLI, sign in, and
 * load `GET /v1/operator/reviews/bankprofiles?size=50` (the first page, oldest first).
 */
async function payoutReviewQueue(engine: 'postgres', extra: Record<string, string>, base: string) {
  const pending = num('BENCH_PENDING_BANK_PROFILES', 10_000);
  const fieldKey = Buffer.from((JSON.parse(readFileSync(join(extra.DATA_DIR!, 'secrets.json'), 'utf8')) as { fieldKey: string }).fieldKey, 'hex');
  const client = new pg.Client({ connectionString: extra.DATABASE_URL });
  await client.connect();
  try {
    const partners = (await client.query<{ id: string }>('select id from partners order by id limit $1', [pending])).rows.map((r) => r.id);
    if (!partners.length) throw new Error('no bench partners to attach bank profiles to');
    await client.query("delete from bank_profiles where name like 'Bench bank %'");
    const t0 = Date.now();
    const at = Date.now() - pending * 1000;
    for (let i = 0; i < pending; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, pending - i) }, (_, j) => {
        const n = i + j;
        const id = randomUUID();
        const partnerId = partners[n % partners.length]!;
        return {
          id, partnerId, name: `Bench bank ${n}`, submittedAt: new Date(at + n * 1000).toISOString(),
          iban: encryptField(fieldKey, `bank.iban:${partnerId}:${id}`, 'FR7630006000011234567890189'),
          bic: encryptField(fieldKey, `bank.bic:${partnerId}:${id}`, 'BNPAFRPPXXX'),
        };
      });
      const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
      await client.query(
        `insert into bank_profiles (id, partner_id, name, bank_country, payment_method, account_holder_name, iban_enc, bic_enc, account_hint, status, version, submitted_at, created_at, updated_at)
         select id, partner_id, name, 'FR', 'sepa', 'Bench SAS', iban, bic, 'FR76 •••• •••• 0189', 'pending_validation', 1, at, at, at
         from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) as t(id, partner_id, name, iban, bic, at)`,
        [col('id'), col('partnerId'), col('name'), col('iban'), col('bic'), col('submittedAt')],
      );
    }
    await client.query('analyze bank_profiles');
    log(`   seeded ${pending} pending bank profiles across ${Math.min(partners.length, pending)} partners in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
  const email = `bench-operator-${randomUUID().slice(0, 8)}@operator.bench.example`;
  const password = randomBytes(18).toString('base64url');
  const op = spawnSync(process.execPath, ['bin/partner-space.mjs', 'create-operator', '--email', email, '--name', 'Bench operator', '--password-stdin'], { cwd: ROOT, env: childEnv(extra), input: password, encoding: 'utf8' });
  if (op.status !== 0) throw new Error(`create-operator failed: ${op.stderr}`);
  const r = await fetch(`${base}/v1/operator/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await r.json()) as { token?: string };
  if (r.status !== 201 || !body.token) throw new Error(`operator sign-in answered ${r.status}: ${JSON.stringify(body)}`);
  const headers = { authorization: `Bearer ${body.token}` };
  const first = await fetch(`${base}/v1/operator/reviews/bankprofiles?size=50`, { headers });
  const page = (await first.json()) as { totalCount?: number; items?: unknown[] };
  if (first.status !== 200 || (page.totalCount ?? 0) < pending) throw new Error(`review queue answered ${first.status}, totalCount ${page.totalCount}`);
  await measure(`${engine}.bankreviews`, `${engine} GET /v1/operator/reviews/bankprofiles?size=50 (${page.totalCount} pending)`, `${base}/v1/operator/reviews/bankprofiles?size=50`, headers);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

async function baseline(key: string, label: string, script: string, path: string, extra: Record<string, string> = {}) {
  const port = await freePort();
  const child = spawnTsNode(label, script, childEnv({ ...extra, PORT: String(port) }));
  try {
    await waitFor200(`http://127.0.0.1:${port}${path}`, child, 30_000);
    await sleep(Math.min(settings.idleMs, 1000));
    const idle = memoryOf(child.pid).rssMiB;
    log(`baseline ${label}: loading GET ${path}…`);
    await measure(key, label, `http://127.0.0.1:${port}${path}`);
    const m = memoryOf(child.pid);
    results.baselines[key] = { rss: { idleMiB: idle, afterLoadMiB: m.rssMiB, peakMiB: m.peakMiB } };
  } finally {
    await stopChild(child);
  }
}

function tmpDir(prefix: string): string {
  const d = mkdtempSync(join(os.tmpdir(), prefix));
  atExit(() => {
    if (!settings.keep) rmSync(d, { recursive: true, force: true });
  });
  return d;
}

function duMiB(dir: string): number | undefined {
  const r = runSync('du', ['-sm', dir]);
  const n = Number(r.out.split(/\s/)[0]);
  return Number.isFinite(n) ? n : undefined;
}

// ---------------------------------------------------------------- web bundle
async function webFigures() {
  const dist = join(ROOT, 'dist/web');
  if (existsSync(join(dist, 'index.html'))) results.web.build = 'existing';
  else {
    log('web: dist/web is missing, running npx vite build…');
    const r = await runCommand('vite build', 'npx', ['vite', 'build'], childEnv({}), 300_000);
    results.web.buildMs = Math.round(r.ms);
    if (r.code !== 0 || !existsSync(join(dist, 'index.html'))) {
      results.web.build = 'failed';
      results.web.error = `vite build ${r.timedOut ? 'timed out' : `exited ${r.code}`}: ${(r.stderr + r.stdout).trim().split('\n').slice(-8).join(' | ')}`;
      log(`   !! ${results.web.error}`);
      return;
    }
    results.web.build = 'built';
  }
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = new Set<string>();
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    if (/\btype\s*=\s*["']?module/i.test(tag)) {
      const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
      if (src) refs.add(src);
    }
  }
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    if (/\brel\s*=\s*["']?modulepreload/i.test(tag)) {
      const href = /\bhref\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
      if (href) refs.add(href);
    }
  }
  const files: Array<{ file: string; bytes: number; gzipBytes: number }> = [];
  for (const ref of refs) {
    if (/^[a-z]+:\/\//i.test(ref)) throw new Error(`index.html loads a script from another origin: ${ref}`);
    const rel = ref.replace(/^\.?\//, '').split(/[?#]/)[0]!;
    const buf = readFileSync(join(dist, rel));
    files.push({ file: rel, bytes: buf.length, gzipBytes: gzipSync(buf, { level: 9 }).length });
  }
  const total = files.reduce((a, f) => a + f.gzipBytes, 0);
  Object.assign(results.web, { files, initialJsGzipBytes: total, initialJsGzipKiB: round1(total / 1024) });
  log(`web: initial JS ${files.length} file(s), ${round1(total / 1024)} KiB gzip -9`);
}

// ---------------------------------------------------------------- PostgreSQL cluster
async function startPg(): Promise<string> {
  const dir = settings.pgDir;
  runSync('bash', ['scripts/pg-cluster.sh', 'stop', dir]); // a cluster left over by an interrupted run
  rmSync(dir, { recursive: true, force: true });
  atExit(() => {
    runSync('bash', ['scripts/pg-cluster.sh', 'stop', dir]);
    if (!settings.keep) rmSync(dir, { recursive: true, force: true });
  });
  // The port may be taken (another cluster, or a client socket in the ephemeral range): then try free ports.
  let url = '';
  for (let attempt = 0; attempt < 3 && !url; attempt++) {
    const port = attempt === 0 ? settings.pgPort : await freePort();
    const r = await runCommand('pg-cluster', 'bash', ['scripts/pg-cluster.sh', 'start', dir, String(port)], childEnv({}), 60_000);
    if (r.code === 0) url = r.stdout.trim().split('\n').pop()!;
    else {
      const why = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').trim().split('\n').slice(-3).join(' | ') : (r.stderr + r.stdout).trim();
      log(`   pg-cluster.sh start on port ${port} failed: ${why}`);
      if (attempt === 2) throw new Error(`pg-cluster.sh start failed: ${why}`);
    }
  }
  postmasterPid = Number(readFileSync(join(dir, 'data/postmaster.pid'), 'utf8').split('\n')[0]);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    results.postgres.version = ((await client.query('select version() as v')).rows[0] as { v: string }).v.split(' on ')[0];
    await client.query('drop database if exists partner_space_bench');
    await client.query('create database partner_space_bench');
  } finally {
    await client.end();
  }
  return url.replace(/\/[^/]*$/, '/partner_space_bench');
}

// ---------------------------------------------------------------- report
function fmtRatio(x: number | null, digits = 2) {
  return x === null ? '–' : `${x.toFixed(digits)}×`;
}

function finish() {
  const hello = results.figures.hello;
  for (const f of Object.values(results.figures)) {
    if (!hello?.valid) continue;
    f.rpsRatioToHello = Math.round((f.rps / hello.rps) * 1000) / 1000;
    f.p99RatioToHello = hello.p99Ms > 0 ? Math.round((f.p99Ms / hello.p99Ms) * 100) / 100 : null;
  }
  const t = results.targets;
  const cold = (e: EngineResult, name: string) => {
    if (e.coldStart) t.push({ name, value: e.coldStart.medianMs, target: `≤ ${TARGETS.coldStartMs} ms`, pass: e.coldStart.medianMs <= TARGETS.coldStartMs });
  };
  const me = results.figures['postgres.me'];
  if (me?.valid && me.rpsRatioToHello !== undefined && me.rpsRatioToHello !== null) {
    t.push({ name: 'authenticated GET /v1/me on PostgreSQL, req/s × bare Fastify hello', value: me.rpsRatioToHello, target: `≥ ${TARGETS.meRatioPostgres}`, pass: me.rpsRatioToHello >= TARGETS.meRatioPostgres });
  }
  cold(results.pglite, 'cold start to ready, PGlite (median)');
  cold(results.postgres, 'cold start to ready, PostgreSQL (median)');
  t.push({
    name: 'initial JavaScript, gzip -9',
    value: results.web.initialJsGzipKiB ?? null,
    target: `≤ ${TARGETS.initialJsGzipKiB} KiB`,
    pass: results.web.initialJsGzipKiB === undefined ? null : results.web.initialJsGzipKiB <= TARGETS.initialJsGzipKiB,
  });
  results.finishedAt = new Date().toISOString();
  results.wallSeconds = Math.round((performance.now() - t0) / 1000);
}

function printTable(): string {
  const lines: string[] = [];
  const hello = results.figures.hello;
  lines.push('');
  lines.push(`Partner Space bench — ${results.startedAt}  ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memGiB} GiB, Node ${results.machine.node}, git ${results.machine.git}`);
  lines.push(`Load: autocannon, ${LOAD.connections} connections, ${LOAD.warmupS} s warm-up + ${LOAD.durationS} s measured, load generator on the same ${results.machine.cpus} cores.${QUICK ? '  (QUICK MODE)' : ''}`);
  lines.push(`Ratios are to the bare Fastify hello of this run${hello ? ` (${hello.rps} req/s, p99 ${hello.p99Ms} ms)` : ' (unavailable)'}.`);
  lines.push('');
  const head = ['figure', 'req/s', '× hello', 'p50 ms', 'p99 ms', 'p99 × hello', 'non-2xx/err', 'RSS idle→after MiB', 'other CPU %'];
  const rows: string[][] = [];
  const rssOf = (key: string) => {
    const [engine] = key.split('.');
    const r = engine === 'pglite' ? results.pglite.rss : engine === 'postgres' ? results.postgres.rss : results.baselines[key]?.rss;
    return r ? `${r.idleMiB} → ${r.afterLoadMiB ?? '?'}` : '';
  };
  for (const [key, f] of Object.entries(results.figures)) {
    rows.push([
      f.label,
      String(f.rps),
      fmtRatio(f.rpsRatioToHello, 3),
      String(f.p50Ms),
      String(f.p99Ms),
      fmtRatio(f.p99RatioToHello, 1),
      f.valid ? '0' : `${f.non2xx}/${f.errors + f.timeouts} INVALID`,
      rssOf(key),
      `${f.foreignCpuPct ?? '?'}${(f.foreignCpuPct ?? 0) >= settings.quietPct ? ' (!)' : ''}`,
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  lines.push(fmt(head));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) lines.push(fmt(r));
  lines.push('');
  for (const [name, e] of [['PGlite', results.pglite], ['PostgreSQL', results.postgres]] as const) {
    if (!e.dataset && !e.coldStart) continue;
    const d = e.dataset;
    lines.push(`${name}${e.version ? ` (${e.version})` : ''}:`);
    if (d) lines.push(`  dataset   ${d.partners} partners, ${d.users} users, ${d.userRoles} role assignments; seeded in ${(d.seedMs / 1000).toFixed(1)} s = ${d.rowsPerSecond} rows/s${d.seedPeakRssMiB ? ` (seed process peak RSS ${d.seedPeakRssMiB} MiB)` : ''}${e.dataDirMiB ? `; data dir ${e.dataDirMiB} MiB` : ''}`);
    if (e.rss) lines.push(`  RSS       idle ${e.rss.idleMiB} MiB, after load ${e.rss.afterLoadMiB ?? '?'} MiB, peak ${e.rss.peakMiB ?? '?'} MiB`);
    if (e.coldStart) lines.push(`  cold start to ready: median ${e.coldStart.medianMs} ms (runs ${e.coldStart.runsMs.join(', ')} ms; in-process ${e.coldStart.inProcessReadyMs.join(', ')} ms; shutdown ${e.coldStart.shutdownMs.join(', ')} ms; other processes ${e.coldStart.foreignCpuPct.join(', ')} % CPU)${e.firstStartMs ? `; first start after seeding ${e.firstStartMs} ms` : ''}`);
  }
  const w = results.web;
  lines.push(`Web: ${w.initialJsGzipKiB !== undefined ? `initial JS ${w.initialJsGzipKiB} KiB gzip -9 (${w.files!.map((f) => `${f.file} ${round1(f.gzipBytes / 1024)} KiB`).join(', ')}); dist/web ${w.build}` : `initial JS UNAVAILABLE (${w.error ?? 'not measured'})`}`);
  lines.push('');
  lines.push('Targets:');
  for (const t of results.targets) lines.push(`  ${t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value ?? 'unavailable'} (target ${t.target})`);
  if (results.invalid.length) {
    lines.push('');
    lines.push('!!!!!!!! INVALID FIGURES (non-2xx or errors under load) — do not use them:');
    for (const m of results.invalid) lines.push(`  ${m}`);
  }
  if (results.contended.length) {
    lines.push('');
    lines.push(`(!) Taken while other processes on this machine used ≥ ${settings.quietPct} % of its CPU — compare with care:`);
    for (const m of results.contended) lines.push(`  ${m}`);
  }
  if (results.errors.length) {
    lines.push('');
    lines.push('Errors (these parts were not measured):');
    for (const m of results.errors) lines.push(`  ${m.split('\n').join('\n    ')}`);
  }
  lines.push('');
  lines.push(`Wall time ${results.wallSeconds} s.`);
  return lines.join('\n');
}

// ---------------------------------------------------------------- main
installSignalHandlers();
log(`settings: ${JSON.stringify(settings)}`);

await section('server bundle', async () => {
  const r = await runCommand('build-server', process.execPath, ['scripts/build-server.mjs'], childEnv({}), 120_000);
  if (r.code !== 0) throw new Error(`scripts/build-server.mjs failed: ${r.stderr}`);
});
await section('web', webFigures);
await section('baseline hello', () => baseline('hello', 'bare Fastify hello', 'bench/baselines/fastify-hello.ts', '/hello'));

if (settings.pglite) {
  await section('pglite', async () => {
    const dataDir = tmpDir('ps-bench-pglite-');
    const extra = { DATA_DIR: dataDir };
    const s = await seed('pglite', extra, settings.partners);
    await engineRun('pglite', extra, s);
    results.pglite.dataDirMiB = duMiB(dataDir);
  });
}

if (settings.postgres) {
  await section('postgres', async () => {
    log('postgres: starting a throw-away cluster (scripts/pg-cluster.sh)…');
    const url = await startPg();
    log(`   ${results.postgres.version} at ${url}`);
    const extra = { DATABASE_URL: url, DATA_DIR: tmpDir('ps-bench-pgdata-') };
    const s = await seed('postgres', extra, settings.pgPartners);
    await section('baseline pg-50', () => baseline('pg50', 'bare Fastify + pg Pool(10), 50 rows', 'bench/baselines/fastify-pg-50.ts', '/list', { DATABASE_URL: url }));
    await engineRun('postgres', extra, s);
  });
}

finish();
const table = printTable();
process.stdout.write(`${table}\n`);
const dir = join(ROOT, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${results.startedAt.replace(/[:.]/g, '-')}.json`);
const json = JSON.stringify({ ...results, table }, null, 2);
writeFileSync(file, json);
writeFileSync(join(dir, 'latest.json'), json);
await cleanup();
process.stdout.write(`Results: ${file}\n         ${join(dir, 'latest.json')}\n`);
process.exit(results.invalid.length || results.errors.length ? 1 : 0);

// Directory figures of issue 5 (`node --import tsx bench/directory.ts`): with N published
// business profiles (partner-space seed-bench + seed-directory), on PGlite and on PostgreSQL:
//
// - the p99 and req/s of GET /v1/directory/partners?q=<free text>&country=FR&industry=<x>
//   through the real server (autocannon), and the same as a ratio to a bare indexed select
//   (bare Fastify, one entry by primary key) measured in the same run on the same data;
// - the same search SQL behind bare Fastify, typo tolerance as shipped ('fallback': trigram
//   only when the full text finds < 3) and always OR-ed ('or'), for a real word and a typo;
// - publish → visible: from sending POST /v1/businessprofiles/{id}/publish to the first
//   search answer that lists the profile (the search is sent as soon as publish answers).
//
// Writes bench/results/directory-latest.json (and a timestamped copy) and prints a table.
// Knobs: DIR_BENCH_PROFILES (400000; BENCH_QUICK=1 → 20000), BENCH_CONNECTIONS (10),
// BENCH_WARMUP (2) / BENCH_DURATION (8), BENCH_PGLITE=0 / BENCH_PG=0, BENCH_PG_DIR /
// BENCH_PG_PORT (/tmp/ps-bench-dir-pg, 54341), BENCH_PG_URL (use this running server instead of a
// throw-away cluster; a database partner_space_dirbench is created in it), DIR_BENCH_Q
// (hébergement), DIR_BENCH_COUNTRY (FR), DIR_BENCH_INDUSTRY (banking), DIR_BENCH_PUBLISH_ROUNDS (20),
// BENCH_KEEP=1 (keep the data dirs). To measure data seeded earlier (seeding 400,000 takes minutes):
// DIR_BENCH_REUSE_PG_URL (a database) and/or DIR_BENCH_REUSE_DATA_DIR (a PGlite DATA_DIR) with
// DIR_BENCH_PASSWORD (the bench users' password that seed-bench printed) and, for PostgreSQL,
// DIR_BENCH_REUSE_PG_DATA_DIR (the DATA_DIR seed-bench ran with: its secrets.json has the pepper);
// BENCH_PGLITE=0 / BENCH_PG=0 skip an engine.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CpuMeter, waitQuiet } from './lib/cpu';
import { loadTest, type LoadFigure } from './lib/load';
import { ROOT, atExit, cleanup, freePort, installSignalHandlers, memoryOf, runCommand, runSync, sleep, spawnTsNode, stopChild, waitFor200 } from './lib/proc';

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
  profiles: num('DIR_BENCH_PROFILES', QUICK ? 20_000 : 400_000),
  connections: num('BENCH_CONNECTIONS', 10),
  warmupS: num('BENCH_WARMUP', QUICK ? 1 : 2),
  durationS: num('BENCH_DURATION', QUICK ? 3 : 8),
  pglite: env.BENCH_PGLITE !== '0',
  postgres: env.BENCH_PG !== '0',
  pgDir: env.BENCH_PG_DIR ?? '/tmp/ps-bench-dir-pg',
  pgPort: num('BENCH_PG_PORT', 54341),
  pgUrl: env.BENCH_PG_URL ?? '',
  q: env.DIR_BENCH_Q ?? 'hébergement',
  typo: env.DIR_BENCH_TYPO ?? 'Contosso',
  country: env.DIR_BENCH_COUNTRY ?? 'FR',
  industry: env.DIR_BENCH_INDUSTRY ?? 'banking',
  publishRounds: num('DIR_BENCH_PUBLISH_ROUNDS', 20),
  quietPct: num('BENCH_QUIET_PCT', 10),
  quietWaitS: num('BENCH_QUIET_WAIT_S', QUICK ? 3 : 15),
  seedTimeoutMs: num('BENCH_SEED_TIMEOUT_S', 1800) * 1000,
  keep: env.BENCH_KEEP === '1',
  /** Measure already seeded data instead of seeding (the password of the bench users is then needed). */
  reusePgUrl: env.DIR_BENCH_REUSE_PG_URL ?? '',
  reuseDataDir: env.DIR_BENCH_REUSE_DATA_DIR ?? '',
  reusePassword: env.DIR_BENCH_PASSWORD ?? '',
};
const TARGET_P99_MS = 50;

type Engine = 'pglite' | 'postgres';
interface Figure extends LoadFigure {
  label: string;
}
interface EngineResult {
  seed?: { partnersMs: number; directory: { profiles: number; entries: number; ms: Record<string, number>; rowsPerSecond: number } };
  figures: Record<string, Figure>;
  /** p99 and req/s of the API search over the bare indexed select's. */
  ratios?: { p99: number | null; rps: number | null };
  sample?: { totalCount: number; firstItems: string[] };
  /** Published profiles in the directory, as the API counts them. */
  entries?: number;
  publishToVisible?: { rounds: number; msMedian: number; msP90: number; msMax: number; firstSearchFound: number; runsMs: number[] };
  rss?: { serverAfterLoadMiB: number };
}

const results = {
  startedAt: new Date().toISOString(),
  finishedAt: '',
  settings,
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', node: process.version, loadAvgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100), git: gitInfo() },
  pglite: { figures: {} } as EngineResult,
  postgres: { figures: {} } as EngineResult,
  targets: [] as Array<{ name: string; value: number | null; target: string; pass: boolean | null }>,
  invalid: [] as string[],
  contended: [] as string[],
  errors: [] as string[],
};

const t0 = performance.now();
const log = (s: string) => process.stdout.write(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${s}\n`);

function gitInfo() {
  const head = runSync('git', ['rev-parse', '--short', 'HEAD']);
  return head.code === 0 ? head.out : 'unknown';
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...env };
  for (const k of ['DATABASE_URL', 'DATA_DIR', 'PORT', 'DEMO', 'LOG_LEVEL', 'HOST', 'NODE_ENV']) delete e[k];
  return { ...e, DEMO: 'false', ...extra };
}

function tmpDir(prefix: string): string {
  const d = mkdtempSync(join(os.tmpdir(), prefix));
  atExit(() => {
    if (!settings.keep) rmSync(d, { recursive: true, force: true });
  });
  return d;
}

let ownPg = 0;
const roots = () => [process.pid, ownPg];

async function measure(engine: Engine, key: string, label: string, url: string) {
  const q = await waitQuiet(roots, settings.quietPct, settings.quietWaitS * 1000);
  if (q.foreignPct >= settings.quietPct) log(`   (other processes use ${q.foreignPct} % of the CPU; measuring anyway)`);
  const f = await loadTest(url, { connections: settings.connections, warmupS: settings.warmupS, durationS: settings.durationS }, {}, () => new CpuMeter(roots));
  results[engine].figures[key] = { label, ...f };
  if (!f.valid) results.invalid.push(`${engine} ${label}: ${f.non2xx} non-2xx, ${f.errors} errors, ${f.timeouts} timeouts ${JSON.stringify(f.statusCodes)}`);
  if ((f.foreignCpuPct ?? 0) >= settings.quietPct) results.contended.push(`${engine} ${label}: other processes used ${f.foreignCpuPct} % of the CPU`);
  log(`   ${label}: ${f.rps} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms (other processes ${f.foreignCpuPct ?? '?'} % CPU)${f.valid ? '' : '  ** INVALID **'}`);
  return f;
}

async function cliJson<T>(engine: Engine, args: string[], extra: Record<string, string>): Promise<T> {
  const r = await runCommand(`${args[0]} ${engine}`, process.execPath, ['bin/partner-space.mjs', ...args, '--json'], childEnv(extra), settings.seedTimeoutMs);
  if (r.code !== 0) throw new Error(`${args[0]} failed (${r.timedOut ? 'timed out' : `exit ${r.code}`}):\n${(r.stderr + r.stdout).trim().split('\n').slice(-10).join('\n')}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

const searchPath = (q: string) => `/v1/directory/partners?${new URLSearchParams({ q, country: settings.country, industry: settings.industry }).toString()}`;

async function engineRun(engine: Engine, extra: Record<string, string>, reuse = false) {
  const target = results[engine];
  if (reuse) {
    if (!settings.reusePassword) throw new Error('DIR_BENCH_PASSWORD (the bench users’ password printed by seed-bench) is needed to reuse seeded data');
    log(`${engine}: reusing seeded data (${JSON.stringify(extra)})`);
    return measureEngine(engine, extra, { signInEmail: 'bench-admin-1@partner1.bench.example', password: settings.reusePassword });
  }
  log(`${engine}: seeding ${settings.profiles} bench partners (seed-bench, 1 user each)…`);
  const partners = await cliJson<{ ms: { total: number }; password: string; signInEmail: string }>(engine, ['seed-bench', '--partners', String(settings.profiles), '--users-per-partner', '1', '--batch', '20000'], extra);
  log(`   partners in ${(partners.ms.total / 1000).toFixed(1)} s; publishing ${settings.profiles} business profiles (seed-directory)…`);
  const directory = await cliJson<{ profiles: number; entries: number; ms: Record<string, number>; rowsPerSecond: number }>(engine, ['seed-directory', '--profiles', String(settings.profiles)], extra);
  target.seed = { partnersMs: partners.ms.total, directory };
  log(`   ${directory.entries} directory entries in ${(directory.ms.total! / 1000).toFixed(1)} s (${JSON.stringify(directory.ms)})`);
  return measureEngine(engine, extra, partners);
}

async function measureEngine(engine: Engine, extra: Record<string, string>, partners: { signInEmail: string; password: string }) {
  const target = results[engine];

  // Baselines first: with PGlite the data dir can be open in one process at a time.
  log(`${engine}: baseline (bare Fastify on the same database)…`);
  const bport = await freePort();
  const base = spawnTsNode(`baseline ${engine}`, 'bench/baselines/fastify-directory.ts', childEnv({ ...extra, PORT: String(bport), DIR_BENCH_Q: settings.q, DIR_BENCH_COUNTRY: settings.country, DIR_BENCH_INDUSTRY: settings.industry }));
  try {
    await waitFor200(`http://127.0.0.1:${bport}/point`, base, 120_000, 50);
    const b = `http://127.0.0.1:${bport}`;
    await measure(engine, 'point', 'bare indexed select (entry by primary key)', `${b}/point`);
    await measure(engine, 'sqlFallback', `search SQL, typo fallback: "${settings.q}"`, `${b}/search?typo=fallback`);
    await measure(engine, 'sqlOr', `search SQL, trigram always OR-ed: "${settings.q}"`, `${b}/search?typo=or`);
    await measure(engine, 'sqlTypoFallback', `search SQL, typo fallback: "${settings.typo}"`, `${b}/search?typo=fallback&q=${encodeURIComponent(settings.typo)}`);
    await measure(engine, 'sqlTypoOr', `search SQL, trigram always OR-ed: "${settings.typo}"`, `${b}/search?typo=or&q=${encodeURIComponent(settings.typo)}`);
  } finally {
    await stopChild(base);
  }

  log(`${engine}: the real server (node --import tsx src/server/main.ts)…`);
  const port = await freePort();
  const srv = spawnTsNode(`server ${engine}`, 'src/server/main.ts', childEnv({ ...extra, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', AUTH_RATE_LIMIT: '100000000', DIRECTORY_RATE_LIMIT: '100000000' }));
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitFor200(`${url}/readyz`, srv, 180_000, 50);
    target.entries = ((await (await fetch(`${url}/v1/directory/partners?pageSize=1`)).json()) as { totalCount: number }).totalCount;
    log(`   ${target.entries} published profiles in the directory`);
    const first = (await (await fetch(`${url}${searchPath(settings.q)}`)).json()) as { totalCount: number; items: { name: string }[] };
    target.sample = { totalCount: first.totalCount, firstItems: first.items.slice(0, 3).map((i) => i.name) };
    log(`   "${settings.q}" & country=${settings.country} & industry=${settings.industry}: ${first.totalCount} hits (first: ${target.sample.firstItems.join(', ')})`);
    if (!first.totalCount) results.errors.push(`${engine}: the benchmarked search finds nothing`);
    await measure(engine, 'search', `GET ${searchPath(settings.q)}`, `${url}${searchPath(settings.q)}`);
    await measure(engine, 'searchTypo', `GET ${searchPath(settings.typo)}`, `${url}${searchPath(settings.typo)}`);
    target.rss = { serverAfterLoadMiB: memoryOf(srv.pid).rssMiB };
    target.publishToVisible = await publishToVisible(url, partners.signInEmail, partners.password);
    const p = target.publishToVisible;
    log(`   publish → visible: median ${p.msMedian} ms, p90 ${p.msP90} ms, max ${p.msMax} ms over ${p.rounds} rounds; the first search after publish found it ${p.firstSearchFound}/${p.rounds} times`);
  } finally {
    await stopChild(srv);
  }
  const s = target.figures.search;
  const pt = target.figures.point;
  if (s && pt) target.ratios = { p99: pt.p99Ms > 0 ? Math.round((s.p99Ms / pt.p99Ms) * 100) / 100 : null, rps: pt.rps > 0 ? Math.round((s.rps / pt.rps) * 1000) / 1000 : null };
}

/** Sign in as bench partner 1's admin; give its profile a unique word; then publish, search, unpublish, N times. */
async function publishToVisible(url: string, email: string, password: string) {
  const json = { 'content-type': 'application/json' };
  const signIn = await fetch(`${url}/v1/sessions`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
  if (signIn.status !== 201) throw new Error(`sign-in as ${email} answered ${signIn.status}: ${await signIn.text()}`);
  const auth = { authorization: `Bearer ${((await signIn.json()) as { token: string }).token}` };
  const listed = await fetch(`${url}/v1/businessprofiles`, { headers: auth });
  const list = (await listed.json()) as { items?: { id: string }[] };
  if (listed.status !== 200 || !list.items?.length) throw new Error(`GET /v1/businessprofiles answered ${listed.status}: ${JSON.stringify(list).slice(0, 300)}`);
  const id = list.items[0]!.id;
  const marker = `freshness${Date.now().toString(36)}`;
  const cur = await fetch(`${url}/v1/businessprofiles/${id}`, { headers: auth });
  const put = await fetch(`${url}/v1/businessprofiles/${id}`, {
    method: 'PUT',
    headers: { ...auth, ...json, 'if-match': cur.headers.get('etag')! },
    body: JSON.stringify({ description: { en: `Freshness probe ${marker}: hosting and migration.`, fr: `Sonde de fraîcheur ${marker} : hébergement et migration.` } }),
  });
  if (put.status !== 200) throw new Error(`PUT profile answered ${put.status}: ${await put.text()}`);
  const post = (action: string) => fetch(`${url}/v1/businessprofiles/${id}/${action}`, { method: 'POST', headers: auth });
  const found = async () => ((await (await fetch(`${url}/v1/directory/partners?q=${marker}`)).json()) as { items: { id: string }[] }).items.some((i) => i.id === id);
  const runs: number[] = [];
  let firstFound = 0;
  for (let i = 0; i < settings.publishRounds; i++) {
    if ((await post('unpublish')).status !== 200) throw new Error('unpublish failed');
    if (await found()) throw new Error('an unpublished profile is still found');
    const start = performance.now();
    const r = await post('publish');
    if (r.status !== 200) throw new Error(`publish answered ${r.status}`);
    let tries = 0;
    while (!(await found())) {
      if (++tries > 1000) throw new Error('published profile not visible after 1,000 searches');
      await sleep(5);
    }
    if (tries === 0) firstFound += 1;
    runs.push(Math.round((performance.now() - start) * 10) / 10);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { rounds: runs.length, msMedian: at(0.5), msP90: at(0.9), msMax: sorted.at(-1)!, firstSearchFound: firstFound, runsMs: runs };
}

async function postgresUrl(): Promise<string> {
  let admin = settings.pgUrl;
  if (!admin) {
    const dir = settings.pgDir;
    runSync('bash', ['scripts/pg-cluster.sh', 'stop', dir]);
    rmSync(dir, { recursive: true, force: true });
    atExit(() => {
      runSync('bash', ['scripts/pg-cluster.sh', 'stop', dir]);
      if (!settings.keep) rmSync(dir, { recursive: true, force: true });
    });
    const r = await runCommand('pg-cluster', 'bash', ['scripts/pg-cluster.sh', 'start', dir, String(settings.pgPort)], childEnv({}), 60_000);
    if (r.code !== 0) throw new Error(`pg-cluster.sh start failed: ${r.stderr}${r.stdout}`);
    admin = r.stdout.trim().split('\n').pop()!;
    ownPg = Number(readFileSync(join(dir, 'data/postmaster.pid'), 'utf8').split('\n')[0]);
  }
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query('drop database if exists partner_space_dirbench with (force)');
    await c.query('create database partner_space_dirbench');
  } finally {
    await c.end();
  }
  return admin.replace(/\/[^/]*$/, '/partner_space_dirbench');
}

function printTable(): string {
  const lines: string[] = [''];
  lines.push(`Directory bench — ${results.startedAt}  ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}, git ${results.machine.git}${QUICK ? '  (QUICK)' : ''}`);
  lines.push(`${settings.reusePgUrl || settings.reuseDataDir ? 'Reused seeded data' : `${settings.profiles} published profiles`}; autocannon ${settings.connections} connections, ${settings.warmupS} s warm-up + ${settings.durationS} s; query "${settings.q}" & country=${settings.country} & industry=${settings.industry}`);
  lines.push('');
  const head = ['engine', 'figure', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx/err', 'other CPU %'];
  const rows: string[][] = [];
  for (const engine of ['pglite', 'postgres'] as const) {
    for (const f of Object.values(results[engine].figures)) {
      rows.push([engine, f.label, String(f.rps), String(f.p50Ms), String(f.p99Ms), f.valid ? '0' : `${f.non2xx}/${f.errors + f.timeouts} INVALID`, String(f.foreignCpuPct ?? '?')]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i <= 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  lines.push(fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt), '');
  for (const engine of ['pglite', 'postgres'] as const) {
    const e = results[engine];
    if (!e.entries) continue;
    lines.push(`${engine}: ${e.entries} published profiles`);
    if (e.seed) lines.push(`  data      ${e.seed.directory.entries} entries; partners seeded in ${(e.seed.partnersMs / 1000).toFixed(1)} s, profiles + directory in ${((e.seed.directory.ms.total ?? 0) / 1000).toFixed(1)} s (${JSON.stringify(e.seed.directory.ms)})`);
    if (e.sample) lines.push(`  search    ${e.sample.totalCount} hits; first: ${e.sample.firstItems.join(', ')}`);
    if (e.ratios) lines.push(`  ratio     API search ÷ bare indexed select: p99 ${e.ratios.p99 ?? '–'}×, req/s ${e.ratios.rps ?? '–'}×`);
    if (e.publishToVisible) {
      const p = e.publishToVisible;
      lines.push(`  publish → visible  median ${p.msMedian} ms, p90 ${p.msP90} ms, max ${p.msMax} ms (${p.rounds} rounds; first search after publish found it ${p.firstSearchFound}/${p.rounds})`);
    }
    if (e.rss) lines.push(`  server RSS after load ${e.rss.serverAfterLoadMiB} MiB`);
  }
  lines.push('', 'Targets:');
  for (const t of results.targets) lines.push(`  ${t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value ?? 'unavailable'} (target ${t.target})`);
  for (const [title, list] of [['INVALID FIGURES', results.invalid], ['Contended (compare with care)', results.contended], ['Errors', results.errors]] as const) {
    if (list.length) lines.push('', `${title}:`, ...list.map((m) => `  ${m}`));
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- main
installSignalHandlers();
log(`settings: ${JSON.stringify(settings)}`);
if (settings.pglite) {
  try {
    if (settings.reuseDataDir) await engineRun('pglite', { DATA_DIR: settings.reuseDataDir }, true);
    else await engineRun('pglite', { DATA_DIR: tmpDir('ps-bench-dir-pglite-') });
  } catch (err) {
    results.errors.push(`pglite: ${(err as Error).message}`);
    log(`!! pglite: ${(err as Error).message}`);
  }
}
if (settings.postgres) {
  try {
    // The DATA_DIR of the seeding holds the password pepper (secrets.json) the bench users' hash was made with.
    if (settings.reusePgUrl) await engineRun('postgres', { DATABASE_URL: settings.reusePgUrl, DATA_DIR: env.DIR_BENCH_REUSE_PG_DATA_DIR || tmpDir('ps-bench-dir-pgdata-') }, true);
    else {
      const url = await postgresUrl();
      log(`postgres: ${url}`);
      await engineRun('postgres', { DATABASE_URL: url, DATA_DIR: tmpDir('ps-bench-dir-pgdata-') });
    }
  } catch (err) {
    results.errors.push(`postgres: ${(err as Error).message}`);
    log(`!! postgres: ${(err as Error).message}`);
  }
}
const pgSearch = results.postgres.figures.search;
results.targets.push({ name: 'directory search p99 on PostgreSQL', value: pgSearch?.p99Ms ?? null, target: `≤ ${TARGET_P99_MS} ms`, pass: pgSearch?.valid ? pgSearch.p99Ms <= TARGET_P99_MS : null });
results.finishedAt = new Date().toISOString();
const table = printTable();
process.stdout.write(`${table}\n`);
const dir = join(ROOT, 'bench/results');
mkdirSync(dir, { recursive: true });
const json = JSON.stringify({ ...results, wallSeconds: Math.round((performance.now() - t0) / 1000), table }, null, 2);
writeFileSync(join(dir, `directory-${results.startedAt.replace(/[:.]/g, '-')}.json`), json);
writeFileSync(join(dir, 'directory-latest.json'), json);
await cleanup();
process.exit(results.invalid.length || results.errors.length ? 1 : 0);

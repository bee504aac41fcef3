// Price list import figures (issue 6): rows/s and peak RSS above idle, on PostgreSQL and PGlite.
//
//   node --import tsx bench/pricelist-import.ts                 (1,000,000 rows; BENCH_PRICELIST_ROWS=200000 for a shorter run)
//   BENCH_ENGINES=postgres node --import tsx bench/pricelist-import.ts
//
// For each engine: the generator writes a realistic FR price list for a month and the month
// before (gzip, as the operator receives them); the CLI (`partner-space import pricelist`, the
// path an operator runs) imports the previous month, then the measured month, into a fresh
// database: a PGlite data dir, or a fresh database in a throw-away PostgreSQL cluster
// (scripts/pg-cluster.sh; BENCH_PG_PORT, default 54354). The importing process's VmRSS is
// sampled every 50 ms from /proc; idle = its RSS once the database is open and migrated (the
// CLI prints "database open" then), peak = the highest sample after that. rows/s = rows of the
// file / time from the first byte read to the version published (DEL rows and the flip included).
// Targets on PostgreSQL: ≥ 50,000 rows/s and ≤ 300 MB above idle.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { priceListLines, writeLines } from '../src/server/modules/pricing/import/generate';

const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const ROWS = Number(process.env.BENCH_PRICELIST_ROWS ?? process.argv[2] ?? 1_000_000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',');
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54354);
const MARKET = 'FR';
const PREVIOUS = '2026-10';
const MONTH = '2026-11';

interface Result {
  engine: string;
  rows: number;
  fileMB: number;
  rowsPerSecond: number;
  seconds: number;
  idleMB: number;
  peakMB: number;
  aboveIdleMB: number;
  counts: Record<string, number>;
  previousImport: { rowsPerSecond: number; aboveIdleMB: number };
  loadAvgBefore: number[];
  loadAvgAfter: number[];
}

const work = mkdtempSync(join(tmpdir(), 'ps-pricelist-bench-'));
const cleanups: (() => void)[] = [() => rmSync(work, { recursive: true, force: true })];
process.on('exit', () => cleanups.reverse().forEach((f) => f()));
process.on('SIGINT', () => process.exit(130));

function rssKB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Run `partner-space import pricelist … --json`, sampling its RSS; resolves with the summary and the memory figures. */
function runImport(env: NodeJS.ProcessEnv, month: string, file: string): Promise<{ summary: { rows: number; rowsPerSecond: number; ms: number; counts: Record<string, number> }; idleKB: number; peakKB: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/partner-space.mjs'), 'import', 'pricelist', '--market', MARKET, '--month', month, file, '--json'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let idle: number | null = null;
    let peak = 0;
    const timer = setInterval(() => {
      const r = rssKB(child.pid!);
      if (r !== null && idle !== null) peak = Math.max(peak, r);
    }, 50);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (idle === null && err.includes('database open')) {
        idle = rssKB(child.pid!) ?? 0;
        peak = idle;
      }
    });
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`import exited ${code}:\n${err.slice(-2000)}`));
      const line = out.trim().split('\n').pop()!;
      resolve({ summary: JSON.parse(line), idleKB: idle ?? 0, peakKB: peak });
    });
  });
}

async function generate(month: string): Promise<string> {
  const file = join(work, `${MARKET}-${month}.csv.gz`);
  const t0 = performance.now();
  await writeLines(priceListLines({ market: MARKET, month, rows: ROWS, seed: 42 }), createWriteStream(file), true);
  console.log(`generated ${file}: ${ROWS} rows, ${(statSync(file).size / 1e6).toFixed(1)} MB gzip in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return file;
}

async function bench(engine: string, env: NodeJS.ProcessEnv, previous: string, current: string): Promise<Result> {
  const loadAvgBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  console.log(`[${engine}] importing the previous month (${PREVIOUS}) …`);
  const p = await runImport(env, PREVIOUS, previous);
  console.log(`[${engine}] importing ${MONTH} (measured) …`);
  const c = await runImport(env, MONTH, current);
  const mb = (kb: number) => Math.round(kb / 102.4) / 10;
  return {
    engine,
    rows: c.summary.rows,
    fileMB: Math.round(statSync(current).size / 1e5) / 10,
    rowsPerSecond: c.summary.rowsPerSecond,
    seconds: Math.round(c.summary.ms / 100) / 10,
    idleMB: mb(c.idleKB),
    peakMB: mb(c.peakKB),
    aboveIdleMB: mb(c.peakKB - c.idleKB),
    counts: c.summary.counts,
    previousImport: { rowsPerSecond: p.summary.rowsPerSecond, aboveIdleMB: mb(p.peakKB - p.idleKB) },
    loadAvgBefore,
    loadAvgAfter: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

const previous = await generate(PREVIOUS);
const current = await generate(MONTH);
const results: Result[] = [];

for (const engine of ENGINES) {
  if (engine === 'pglite') {
    const dataDir = join(work, 'pglite');
    mkdirSync(dataDir);
    results.push(await bench('pglite', { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', DEMO: 'false' }, previous, current));
  } else if (engine === 'postgres') {
    // Not under `work` (mode 0700): as root the cluster runs as the postgres user, which must reach its dir.
    const dir = join(tmpdir(), `ps-pricelist-bench-pg-${process.pid}`);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const started = spawnSync(join(ROOT, 'scripts/pg-cluster.sh'), ['start', dir, String(PG_PORT)], { encoding: 'utf8' });
    if (started.status !== 0) throw new Error(`pg-cluster start: ${started.stderr}`);
    cleanups.push(() => spawnSync(join(ROOT, 'scripts/pg-cluster.sh'), ['stop', dir]));
    const url = started.stdout.trim().split('\n').pop()!;
    results.push(await bench('postgres', { ...process.env, DATABASE_URL: url, DATA_DIR: join(work, 'pg-data'), DEMO: 'false' }, previous, current));
  }
}

console.log('');
console.log(`Price list import, ${ROWS.toLocaleString('en')} rows (FR, 6 currencies), ${cpus().length} CPUs, load average before each run shown (shared machine):`);
console.log('engine    rows/s   seconds  idle MB  peak MB  above idle MB  ADD/CHG/DEL/UNC                load avg (1m) before→after');
for (const r of results) {
  console.log(
    `${r.engine.padEnd(9)} ${String(r.rowsPerSecond).padStart(7)}  ${String(r.seconds).padStart(7)}  ${String(r.idleMB).padStart(7)}  ${String(r.peakMB).padStart(7)}  ${String(r.aboveIdleMB).padStart(13)}  ${`${r.counts.ADD}/${r.counts.CHG}/${r.counts.DEL}/${r.counts.UNC}`.padEnd(29)}  ${r.loadAvgBefore[0]}→${r.loadAvgAfter[0]}`,
  );
}
const pg = results.find((r) => r.engine === 'postgres');
if (pg) console.log(`PostgreSQL targets: ≥ 50,000 rows/s → ${pg.rowsPerSecond >= 50_000 ? 'met' : 'NOT met'}; ≤ 300 MB above idle → ${pg.aboveIdleMB <= 300 ? 'met' : 'NOT met'}`);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
// One file for both engines: a run of one engine (BENCH_ENGINES) replaces that engine's figures only.
const latest = join(ROOT, 'bench/results/pricelist-import-latest.json');
let byEngine: Record<string, unknown> = {};
try {
  byEngine = (JSON.parse(readFileSync(latest, 'utf8')) as { engines?: Record<string, unknown> }).engines ?? {};
} catch {
  /* first run */
}
for (const r of results) byEngine[r.engine] = { at: new Date().toISOString(), cpus: cpus().length, ...r };
writeFileSync(latest, JSON.stringify({ at: new Date().toISOString(), engines: byEngine }, null, 2) + '\n');
console.log('written to bench/results/pricelist-import-latest.json');

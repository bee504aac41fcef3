// Price-list figures (issue 6): search p99 and req/s through the real server, as a ratio to a bare
// indexed select in the same run, and the full-market CSV download in rows/s, on PostgreSQL and PGlite.
//
//   node --import tsx bench/pricelists.ts
//     BENCH_PRICE_ROWS=1000000   rows of the FR list (plus 1 % DEL rows, not imported)
//     BENCH_ENGINES=postgres,pglite
//     BENCH_WARMUP=2 BENCH_DURATION=10 BENCH_CONNECTIONS=50
//     BENCH_PG_DIR=/tmp/pg-pricing BENCH_PG_PORT=54355 (a throw-away cluster: scripts/pg-cluster.sh)
//
// The list is written set-based (`insert … select generate_series`, in chunks) with the secondary
// indexes dropped, then rebuilt, as a realistic new-commerce FR list: ~14,000 products × 4 SKUs ×
// 3 term/billing plans × the 6 European currencies; titles from product families and editions.
// Writes bench/results/pricelists-latest.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/server/core/config';
import { openDatabase, type Db } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';
import { syncBuiltInRoles } from '../src/server/modules/roles/roles.repo';
import { prefixQuery } from '../src/server/modules/pricing/pricelists.repo';
import { dropSecondaryIndexes } from '../src/server/modules/seed/bench';
import { seedDemoOnFirstStart } from '../src/server/modules/seed/demo';
import { CpuMeter } from './lib/cpu';
import { loadTest, type LoadFigure } from './lib/load';
import { cleanup, freePort, installSignalHandlers, memoryOf, ROOT, round1, runSync, spawnTsNode, stopChild, waitFor200, type Child } from './lib/proc';

const ROWS = Number(process.env.BENCH_PRICE_ROWS ?? 1_000_000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',').map((s) => s.trim()) as ('postgres' | 'pglite')[];
const LOAD = { connections: Number(process.env.BENCH_CONNECTIONS ?? 50), warmupS: Number(process.env.BENCH_WARMUP ?? 2), durationS: Number(process.env.BENCH_DURATION ?? 10) };
// PGlite answers one query at a time: 50 connections only queue up behind it (and time out at 10 s on a busy box).
const PGLITE_CONNECTIONS = Number(process.env.BENCH_PGLITE_CONNECTIONS ?? 10);
const PG_DIR = process.env.BENCH_PG_DIR ?? '/tmp/pg-pricing';
const PG_PORT = process.env.BENCH_PG_PORT ?? '54355';
const CHUNK = 100_000;
let startedCluster = false;
const PER_PRODUCT = 72; // 4 SKUs × 6 currencies × 3 term/plan combinations

const log = (m: string) => process.stdout.write(`${m}\n`);
installSignalHandlers();

// ---- The generator (SQL and its JS mirror for the search words) ------------------------------

const FAMILIES = ['Microsoft 365', 'Dynamics 365', 'Power BI', 'Microsoft Teams', 'Exchange Online', 'Windows 365', 'Microsoft Defender', 'Visio', 'Project', 'Power Apps'];
const EDITIONS = ['Business Basic', 'Business Standard', 'Business Premium', 'Enterprise E3', 'Enterprise E5', 'Frontline F1', 'Frontline F3', 'Essentials', 'Professional', 'Premium Plan 1', 'Premium Plan 2', 'Sales Enterprise'];
const VARIANTS = ['Nord', 'Sud', 'Plus', 'Pro', 'Max', 'Go', 'One', 'Edge', 'Core', 'Flex'];
/** The expression of price_rows_search_idx (migration 0025). */
const SEARCH_DOC = sql`to_tsvector('simple'::regconfig, product_title || ' ' || sku_title || ' ' || product_id || ' ' || sku_id)`;
const arr = (xs: string[]) => `array[${xs.map((x) => `'${x}'`).join(',')}]`;

export function productTitle(p: number): string {
  const base = `${FAMILIES[p % 10]} ${EDITIONS[Math.floor(p / 10) % 12]}`;
  return p >= 120 ? `${base} ${VARIANTS[Math.floor(p / 120) % 10]} ${Math.floor(p / 1200) + 1}` : base;
}
const TITLE_SQL = `(${arr(FAMILIES)})[1 + p % 10] || ' ' || (${arr(EDITIONS)})[1 + (p / 10) % 12]
  || case when p >= 120 then ' ' || (${arr(VARIANTS)})[1 + (p / 120) % 10] || ' ' || (p / 1200 + 1) else '' end`;

/** Rows [from, to) of the list as one set-based insert; `del` rows are those removed since last month. */
function chunkSql(versionId: string, from: number, to: number, del: boolean, rowNoBase: number, productBase: number) {
  return sql`
    insert into price_rows (version_id, row_no, imported, product_id, sku_id, product_title, sku_title, publisher, sku_description, unit_of_measure,
      term_duration, billing_plan, market, currency, unit_price, erp_price, tier_min, tier_max, effective_start_date, effective_end_date, end_of_sale_date, tags, change_flag)
    select ${versionId}::uuid, ${rowNoBase} + i, ${!del}, 'CFQ7TTC0' || upper(lpad(to_hex(p), 4, '0')), lpad((s + 1)::text, 4, '0'), title,
      title || ' ' || (array['Standard','Add-on','Trial','Non-profit'])[1 + s], 'Microsoft Corporation', title || ' licence', '1 License',
      (array['P1M','P1Y','P1Y'])[1 + t], (array['Monthly','Monthly','Annual'])[1 + t], 'FR', (array['EUR','CHF','GBP','SEK','NOK','DKK'])[1 + c],
      round(price, 4), round(price * 1.2, 4), null, null, '2026-11-01'::date, null, null, array[(${sql.raw(arr(FAMILIES))})[1 + p % 10]],
      case when ${del} then 'DEL' when i % 37 = 0 then 'CHG' when i % 53 = 0 then 'ADD' else 'UNC' end
    from (
      select i, p, s, c, t, ${sql.raw(TITLE_SQL)} as title,
        ((p % 500) + 1 + s * 2.5)::numeric * (case t when 0 then 1.2 else 12 end) * (array[1, 0.95, 0.85, 11.2, 11.5, 7.45])[1 + c]::numeric as price
      from (
        select i, ${productBase} + i / ${PER_PRODUCT} as p, (i % ${PER_PRODUCT}) / 18 as s, (i % 18) / 3 as c, i % 3 as t
        from generate_series(${from}::int, ${to - 1}::int) as i
      ) k
    ) g`;
}

async function seedList(db: Db, rows: number) {
  const versionId = randomUUID();
  const del = Math.floor(rows / 100);
  await db.insertInto('price_list_versions').values({ id: versionId, market: 'FR', month: '2026-11-01', status: 'ready', file_name: 'bench.csv', row_count: rows, deleted_count: del, started_at: new Date(), completed_at: new Date() }).execute();
  const dropped = await dropSecondaryIndexes(db, ['price_rows']);
  const t0 = performance.now();
  for (let from = 0; from < rows; from += CHUNK) await chunkSql(versionId, from, Math.min(rows, from + CHUNK), false, 2, 0).execute(db);
  // DEL rows: products beyond the file's, after its last line.
  const products = Math.ceil(rows / PER_PRODUCT);
  for (let from = 0; from < del; from += CHUNK) await chunkSql(versionId, from, Math.min(del, from + CHUNK), true, rows + 2, products + 1).execute(db);
  const insertMs = performance.now() - t0;
  const t1 = performance.now();
  for (const d of dropped) await sql.raw(d.indexdef).execute(db);
  await sql`analyze price_rows`.execute(db);
  const indexMs = performance.now() - t1;
  return { versionId, del, insertMs: Math.round(insertMs), indexMs: Math.round(indexMs), indexes: dropped.map((d) => d.name) };
}

/** Search words of some products: specific titles (≈72 rows each) and broader family + edition words. */
function searchQueries(rows: number): string[] {
  const products = Math.max(1, Math.floor(rows / PER_PRODUCT));
  const picks = [7, 131, 1207, 2503, 4099, 6151, 8209, 10007, 12011, 13001].filter((p) => p < products);
  if (!picks.length) picks.push(0);
  const specific = picks.map((p) => productTitle(p).toLowerCase());
  const broad = ['power bi premium plan 2', 'teams essentials', 'defender frontline f3 edge', 'visio professional'];
  return [...specific, ...broad];
}

/** The plans of the route's query shapes (the SQL of pricelists.repo.ts, with its parameters inlined). */
async function explainPlans(db: Db, versionId: string, q: string) {
  const search = [sql`and ${SEARCH_DOC} @@ to_tsquery('simple'::regconfig, ${prefixQuery(q.split(' '))})`];
  const shapes = {
    'search page': sql`select row_no from price_rows where version_id = ${versionId} ${sql.join(search, sql` `)} order by product_title, sku_title, row_no limit 51`,
    'search count': sql`select count(*) from price_rows where version_id = ${versionId} ${sql.join(search, sql` `)}`,
    'changeFlag page': sql`select row_no from price_rows where version_id = ${versionId} and change_flag = 'CHG' order by product_title, sku_title, row_no limit 51`,
    'unfiltered page 2': sql`select row_no from price_rows where version_id = ${versionId} and (product_title, sku_title, row_no) > ('Power BI', '', 0) order by product_title, sku_title, row_no limit 51`,
    'download batch': sql`select row_no from price_rows where version_id = ${versionId} and row_no > 5000 and imported = true order by row_no limit 5000`,
  };
  const out: Record<string, string[]> = {};
  for (const [k, q2] of Object.entries(shapes)) {
    const r = await sql<{ 'QUERY PLAN': string }>`explain (analyze, costs off, timing off, summary on) ${q2}`.execute(db);
    out[k] = r.rows.map((x) => x['QUERY PLAN']);
  }
  return out;
}

// ---- Engines -----------------------------------------------------------------------------

interface EngineResult {
  engine: 'postgres' | 'pglite';
  rows: number;
  delRows: number;
  seed: { insertMs: number; indexMs: number; rowsPerS: number; indexes: string[] };
  queries: { q: string; matches: number }[];
  plans: Record<string, string[]>;
  search: { server: LoadFigure; baseline: LoadFigure; p99Ratio: number; rpsRatio: number; p99TargetMet: boolean };
  changeFlag: { server: LoadFigure; baseline: LoadFigure; p99Ratio: number; rpsRatio: number };
  download: { rows: number; bytes: number; ms: number; rowsPerS: number; serverRssBeforeMiB: number; serverRssAfterMiB: number; serverPeakMiB: number };
  serverRss: { idleMiB: number; afterMiB: number };
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'DATA_DIR', 'PORT', 'DEMO', 'LOG_LEVEL', 'HOST', 'NODE_ENV']) delete e[k];
  return { ...e, ...extra };
}

async function prepare(engine: 'postgres' | 'pglite') {
  const dataDir = mkdtempSync(join(tmpdir(), `ps-pricebench-${engine}-`));
  let databaseUrl = '';
  let dropDb = async () => {};
  if (engine === 'postgres') {
    let admin = `postgres://postgres@127.0.0.1:${PG_PORT}/postgres`;
    // A cluster already up on that port (e.g. the tests') is used as is and left running.
    const probe = new pg.Client({ connectionString: admin });
    const up = await probe.connect().then(() => true, () => false);
    await probe.end().catch(() => undefined);
    if (!up) {
      const r = runSync('bash', ['scripts/pg-cluster.sh', 'start', PG_DIR, PG_PORT]);
      if (r.code !== 0) throw new Error(`pg-cluster.sh start failed: ${r.out}`);
      admin = r.out.trim().split('\n').at(-1)!;
      startedCluster = true;
    }
    const name = `ps_pricebench_${Date.now()}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`create database ${name}`);
    await c.end();
    const u = new URL(admin);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      const a = new pg.Client({ connectionString: admin });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  }
  try {
    return await seedEngine(engine, dataDir, databaseUrl, dropDb);
  } catch (e) {
    await dropDb().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

async function seedEngine(engine: 'postgres' | 'pglite', dataDir: string, databaseUrl: string, dropDb: () => Promise<void>) {
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl }, { logLevel: 'silent', serveWeb: false });
  // One connection, so the session setting below holds for every statement of the seed (index builds take long).
  const h = await openDatabase(databaseUrl ? { databaseUrl, poolSize: 1 } : { dataDir });
  await h.ready;
  if (databaseUrl) await sql`set statement_timeout = 0`.execute(h.db);
  await migrateToLatest(h.db);
  await syncBuiltInRoles(h.db);
  const demo = (await seedDemoOnFirstStart(h.db, config))!;
  // The demo's own small FR lists make way for the bench's.
  await h.db.deleteFrom('price_list_versions').where('market', '=', 'FR').execute();
  log(`${engine}: writing ${ROWS.toLocaleString('en')} price rows…`);
  const seed = await seedList(h.db, ROWS);
  log(`${engine}: rows in ${seed.insertMs} ms, indexes (${seed.indexes.join(', ')}) in ${seed.indexMs} ms`);
  // At small scales the broad queries name products the list does not have: left out.
  const queries: { q: string; matches: number }[] = [];
  for (const q of searchQueries(ROWS)) {
    let count = h.db.selectFrom('price_rows').select((eb) => eb.fn.countAll<string>().as('n')).where('version_id', '=', seed.versionId);
    count = count.where(sql<boolean>`${SEARCH_DOC} @@ to_tsquery('simple'::regconfig, ${prefixQuery(q.split(' '))})`);
    const n = Number((await count.executeTakeFirstOrThrow()).n);
    if (n > 0) queries.push({ q, matches: n });
  }
  log(`${engine}: search queries ${queries.map((x) => `"${x.q}" (${x.matches})`).join(', ')}`);
  const plans = await explainPlans(h.db, seed.versionId, queries[0]?.q ?? 'visio');
  for (const [k, v] of Object.entries(plans)) log(`${engine}: plan of ${k}:\n    ${v.join('\n    ')}`);
  await h.close();
  return { dataDir, databaseUrl, demo, seed, dropDb, queries, plans };
}

let engineLoad = LOAD;

async function loadBoth(base: string, paths: string[], headers: Record<string, string>, roots: () => number[]) {
  const requests = paths.map((path) => ({ method: 'GET' as const, path }));
  // autocannon cycles each connection through `requests`.
  return loadTest(base + paths[0], engineLoad, headers, () => new CpuMeter(roots), { requests } as unknown as { method: 'GET' });
}

async function runEngine(engine: 'postgres' | 'pglite'): Promise<EngineResult> {
  engineLoad = engine === 'pglite' ? { ...LOAD, connections: PGLITE_CONNECTIONS } : LOAD;
  const prep = await prepare(engine);
  const queries = prep.queries.map((x) => x.q);
  // PostgreSQL: DATABASE_URL (the server keeps its secrets under DATA_DIR); PGlite: the data dir.
  const dbEnv: Record<string, string> = prep.databaseUrl ? { DATABASE_URL: prep.databaseUrl, DATA_DIR: prep.dataDir } : { DATA_DIR: prep.dataDir };
  try {
    // 1. The baseline: bare Fastify and the same indexed page query (PGlite: before the server opens the data dir).
    const bport = await freePort();
    const baseline = spawnTsNode('baseline', 'bench/baselines/pricelist-select.ts', childEnv({ ...dbEnv, PORT: String(bport), VERSION_ID: prep.seed.versionId }));
    await waitFor200(`http://127.0.0.1:${bport}/list`, baseline);
    const broots = () => [process.pid, baseline.pid];
    const bSearch = await loadBoth(`http://127.0.0.1:${bport}`, queries.map((q) => `/list?q=${encodeURIComponent(q)}`), {}, broots);
    const bFlag = await loadBoth(`http://127.0.0.1:${bport}`, ['/list?flag=CHG'], {}, broots);
    await stopChild(baseline);

    // 2. The real server, as `npm start` runs it (tsx).
    const port = await freePort();
    const server: Child = spawnTsNode('server', 'src/server/main.ts', childEnv({
      ...dbEnv, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://localhost:${port}`, DEMO: 'false', LOG_LEVEL: 'warn', AUTH_RATE_LIMIT: '100000000',
    }));
    const base = `http://127.0.0.1:${port}`;
    await waitFor200(`${base}/readyz`, server, 180_000);
    const si = await fetch(`${base}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: prep.demo.email, password: prep.demo.password }) });
    if (si.status !== 201) throw new Error(`sign-in: ${si.status} ${await si.text()}`);
    const auth = { authorization: `Bearer ${((await si.json()) as { token: string }).token}` };
    // Every search loaded finds something (else the figure would be about empty pages).
    for (const q of queries) {
      const r = await fetch(`${base}/v1/pricelists?market=FR&size=50&q=${encodeURIComponent(q)}`, { headers: auth });
      const body = (await r.json()) as { totalCount: number };
      if (r.status !== 200 || !body.totalCount) throw new Error(`search "${q}": ${r.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    const idle = memoryOf(server.pid);
    const roots = () => [process.pid, server.pid];
    const sSearch = await loadBoth(base, queries.map((q) => `/v1/pricelists?market=FR&size=50&q=${encodeURIComponent(q)}`), auth, roots);
    const sFlag = await loadBoth(base, ['/v1/pricelists?market=FR&size=50&changeFlag=CHG'], auth, roots);
    const after = memoryOf(server.pid);

    // 3. The full-market CSV download, read to the end and counted.
    const before = memoryOf(server.pid);
    const t0 = performance.now();
    const res = await fetch(`${base}/v1/pricelists/download?market=FR&format=csv`, { headers: auth });
    if (res.status !== 200 || !res.body) throw new Error(`download: ${res.status}`);
    let lines = 0;
    let bytes = 0;
    let peak = before.rssMiB;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(server.pid).rssMiB)), 200);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i += 1) if (chunk[i] === 10) lines += 1;
    }
    clearInterval(sampler);
    const ms = performance.now() - t0;
    const rows = lines - 1;
    if (rows !== ROWS) throw new Error(`download: ${rows} rows, expected ${ROWS}`);
    const end = memoryOf(server.pid);
    await stopChild(server);

    const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 1)) * 100) / 100;
    return {
      engine,
      rows: ROWS,
      delRows: prep.seed.del,
      seed: { insertMs: prep.seed.insertMs, indexMs: prep.seed.indexMs, rowsPerS: Math.round((ROWS + prep.seed.del) / ((prep.seed.insertMs + prep.seed.indexMs) / 1000)), indexes: prep.seed.indexes },
      queries: prep.queries,
      plans: prep.plans,
      search: { server: sSearch, baseline: bSearch, p99Ratio: ratio(sSearch.p99Ms, bSearch.p99Ms), rpsRatio: ratio(sSearch.rps, bSearch.rps), p99TargetMet: sSearch.p99Ms <= 50 },
      changeFlag: { server: sFlag, baseline: bFlag, p99Ratio: ratio(sFlag.p99Ms, bFlag.p99Ms), rpsRatio: ratio(sFlag.rps, bFlag.rps) },
      download: { rows, bytes, ms: Math.round(ms), rowsPerS: Math.round(rows / (ms / 1000)), serverRssBeforeMiB: before.rssMiB, serverRssAfterMiB: end.rssMiB, serverPeakMiB: round1(peak) },
      serverRss: { idleMiB: idle.rssMiB, afterMiB: after.rssMiB },
    };
  } finally {
    await prep.dropDb().catch(() => undefined);
    rmSync(prep.dataDir, { recursive: true, force: true });
  }
}

const results: EngineResult[] = [];
const failures: string[] = [];
try {
  for (const engine of ENGINES) {
    try {
      results.push(await runEngine(engine));
    } catch (e) {
      failures.push(`${engine}: ${e instanceof Error ? e.message : String(e)}`);
      log(`${engine} FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
} finally {
  if (startedCluster) runSync('bash', ['scripts/pg-cluster.sh', 'stop', PG_DIR]);
  await cleanup();
}

for (const r of results) {
  const f = (x: LoadFigure) => `${x.rps} req/s, p50 ${x.p50Ms} ms, p99 ${x.p99Ms} ms${x.valid ? '' : ' INVALID'}${x.foreignCpuPct !== undefined ? `, other CPU ${x.foreignCpuPct} %` : ''}`;
  log(`\n${r.engine} — ${r.rows.toLocaleString('en')} rows (+${r.delRows.toLocaleString('en')} DEL); seed ${r.seed.insertMs} ms + indexes ${r.seed.indexMs} ms`);
  log(`  search      server  ${f(r.search.server)}`);
  log(`              bare    ${f(r.search.baseline)}`);
  log(`              p99 × bare ${r.search.p99Ratio}, req/s × bare ${r.search.rpsRatio}; target p99 ≤ 50 ms: ${r.search.p99TargetMet ? 'met' : 'NOT met'}`);
  log(`  changeFlag  server  ${f(r.changeFlag.server)}`);
  log(`              bare    ${f(r.changeFlag.baseline)}   p99 × bare ${r.changeFlag.p99Ratio}`);
  log(`  CSV download: ${r.download.rows.toLocaleString('en')} rows, ${(r.download.bytes / 1048576).toFixed(1)} MiB in ${r.download.ms} ms → ${r.download.rowsPerS.toLocaleString('en')} rows/s; server RSS ${r.download.serverRssBeforeMiB} → peak ${r.download.serverPeakMiB} MiB`);
}
const out = { at: new Date().toISOString(), rows: ROWS, load: LOAD, results, failures };
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/pricelists-latest.json'), `${JSON.stringify(out, null, 2)}\n`);
log(`\nwritten bench/results/pricelists-latest.json${failures.length ? ` — ${failures.length} engine(s) failed` : ''}`);
process.exit(failures.length ? 1 : 0);

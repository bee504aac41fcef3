// Baseline for bench/pricelists.ts: bare Fastify 5, no plugins, no schema, no auth. GET /list?q=…
// or ?flag=… → the same indexed page query the price-list route runs (version, search words or
// change flag, display order, 50 rows), straight on the database: `pg` Pool(10) with
// DATABASE_URL, else the PGlite data dir under DATA_DIR (one connection, like the server).
import Fastify from 'fastify';
import pg from 'pg';

const COLS = 'row_no, product_id, sku_id, product_title, sku_title, publisher, term_duration, billing_plan, market, currency, unit_price, erp_price, effective_start_date, effective_end_date, change_flag';
const VERSION = process.env.VERSION_ID!;

type Query = (text: string, values: unknown[]) => Promise<{ rows: unknown[] }>;
let query: Query;
let close: () => Promise<void>;
if (process.env.DATABASE_URL) {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  query = (t, v) => pool.query(t, v);
  close = () => pool.end();
} else {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const lite = new PGlite({ dataDir: `${process.env.DATA_DIR}/pgdata`, extensions: { pg_trgm, unaccent } });
  await lite.waitReady;
  query = (t, v) => lite.query(t, v);
  close = () => lite.close();
}

const app = Fastify({ logger: false });
app.get('/list', async (req) => {
  const { q, flag } = req.query as { q?: string; flag?: string };
  const words = (q ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const where = ['version_id = $1'];
  const values: unknown[] = [VERSION];
  if (flag) {
    values.push(flag);
    where.push(`change_flag = $${values.length}`);
  }
  if (words.length) {
    values.push(words.map((w) => `${w}:*`).join(' & '));
    where.push(`to_tsvector('simple'::regconfig, product_title || ' ' || sku_title || ' ' || product_id || ' ' || sku_id) @@ to_tsquery('simple'::regconfig, $${values.length})`);
  }
  const r = await query(`select ${COLS} from price_rows where ${where.join(' and ')} order by product_title, sku_title, row_no limit 50`, values);
  return r.rows;
});
await app.listen({ port: Number(process.env.PORT ?? 3003), host: '127.0.0.1' });
process.stdout.write('ready\n');
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => void app.close().then(close).then(() => process.exit(0)));

// Baseline for the directory figures: bare Fastify 5 (no plugins, no schema) on the same
// database as the server (DATABASE_URL, else the PGlite data dir under DATA_DIR; with PGlite
// run it while the server is stopped: one process per data dir).
//
//   GET /point          a bare indexed select: one directory entry by primary key, cycling
//                       over 1,000 ids (the "bare indexed select" of the ratio)
//   GET /search?typo=   the directory's own search SQL (same repo functions as the API,
//                       same query as the bench's search), without the API around it:
//                       typo=fallback (the product's) or typo=or (trigram always OR-ed)
import Fastify from 'fastify';
import { openDatabase } from '../../src/server/db/database';
import { entriesByIds, searchIds } from '../../src/server/modules/directory/directory.repo';
import { facetsOf } from '../../src/server/modules/directory/directory.service';

const h = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? './data', poolSize: 10 });
await h.ready;
const ids = (await h.db.selectFrom('directory_entries').select('profile_id').orderBy('profile_id').limit(1000).execute()).map((r) => r.profile_id);
if (ids.length === 0) throw new Error('no directory entries: seed first');
const q = process.env.DIR_BENCH_Q ?? 'hébergement';
const facets = facetsOf({ country: process.env.DIR_BENCH_COUNTRY ?? 'FR', industry: process.env.DIR_BENCH_INDUSTRY ?? 'banking' });

let n = 0;
const app = Fastify({ logger: false });
app.get('/point', async () => {
  n = (n + 1) % ids.length;
  const r = await h.db.selectFrom('directory_entries').select(['profile_id', 'display_name', 'country']).where('profile_id', '=', ids[n]!).executeTakeFirst();
  return r ?? {};
});
app.get<{ Querystring: { typo?: string; q?: string } }>('/search', async (req) => {
  const typo = req.query.typo === 'or' ? 'or' : 'fallback';
  const r = await searchIds(h.db, { q: req.query.q ?? q, facets, limit: 20, offset: 0, typo });
  const rows = await entriesByIds(h.db, r.hits.map((x) => x.profile_id));
  return { totalCount: r.total, items: rows.length };
});
await app.listen({ port: Number(process.env.PORT ?? 3003), host: '127.0.0.1' });
process.stdout.write('ready\n');
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => void app.close().then(() => h.close()).then(() => process.exit(0)));

// Baseline: bare Fastify 5 + pg Pool(10), no plugins, no schema. GET /list → the first
// 50 partners in name order (the operator list's page shape) from DATABASE_URL.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify({ logger: false });
app.get('/list', async () => {
  const r = await pool.query(
    'select id, company_name, company_name_key, country, currency, status, primary_contact, created_at from partners order by company_name_key, id limit 50',
  );
  return r.rows;
});
await app.listen({ port: Number(process.env.PORT ?? 3002), host: '127.0.0.1' });
process.stdout.write('ready\n');
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => void app.close().then(() => pool.end()).then(() => process.exit(0)));

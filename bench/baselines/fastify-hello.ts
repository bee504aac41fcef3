// Baseline: bare Fastify 5, no plugins, no schema. GET /hello → {"hello":"world"}.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.env.PORT ?? 3001), host: '127.0.0.1' });
process.stdout.write('ready\n');
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => void app.close().then(() => process.exit(0)));

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, enrolVerifiedPartner, enrolmentBody, expectErrorShape, type TestApp } from '../support/harness';

let t: TestApp;
let admin: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await enrolVerifiedPartner(t);
});
afterAll(async () => t?.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

describe('health', () => {
  it('GET /healthz → 200 {status: ok}', async () => {
    const res = await get('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz → 200 and names the database engine in use', async () => {
    const res = await get('/readyz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: t.engine });
    expect(['pglite', 'postgres']).toContain(t.engine);
  });
});

describe('API description', () => {
  type Operation = { requestBody?: { content: Record<string, { schema: unknown }> }; parameters?: { name: string; in: string }[]; responses: Record<string, unknown> };
  let doc: { openapi: string; info: { title: string }; paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, unknown> } };
  beforeAll(async () => {
    const res = await get('/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.json();
  });

  it('is OpenAPI 3.0.x', () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(doc.info.title).toBe('Partner Space API');
  });

  it.each([
    ['/v1/enrollment', 'post', ['companyName', 'address', 'primaryContact', 'email', 'password']],
    ['/v1/sessions', 'post', ['email', 'password']],
    ['/v1/me', 'patch', ['locale']],
  ])('%s %s documents its JSON request body', (path, method, required) => {
    const op = doc.paths[path]?.[method];
    expect(op, `${method} ${path}`).toBeDefined();
    const schema = op!.requestBody?.content['application/json']?.schema as { required?: string[]; properties?: Record<string, unknown>; $ref?: string };
    expect(schema).toBeDefined();
    const resolved = (schema.$ref ? doc.components?.schemas?.[schema.$ref.split('/').pop()!] : schema) as { required?: string[]; properties?: Record<string, unknown>; additionalProperties?: unknown };
    expect(resolved.required).toEqual(expect.arrayContaining(required));
    expect(Object.keys(resolved.properties ?? {})).toEqual(expect.arrayContaining(required));
    expect(resolved.additionalProperties).toBe(false);
  });

  it('GET /v1/me and GET /v1/operator/partners are documented, the list with its query parameters', () => {
    expect(doc.paths['/v1/me']?.get?.responses).toHaveProperty('200');
    const list = doc.paths['/v1/operator/partners']?.get;
    expect(list).toBeDefined();
    expect(list!.parameters!.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(['continuationToken', 'search', 'size', 'status']);
  });

  it('documents every route of the API', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    // OpenAPI writes path parameters as {id} where Fastify writes :id.
    for (const r of t.routes) expect(documented, `${r.method} ${r.url}`).toContain(`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
  });

  it('GET /docs serves the HTML documentation', async () => {
    let res = await get('/docs');
    for (let hops = 0; hops < 3 && res.statusCode >= 300 && res.statusCode < 400; hops++) res = await get(new URL(String(res.headers.location), 'http://localhost/docs').pathname);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
  });
});

describe('errors', () => {
  it('an unknown /v1 path → 404 NOT_FOUND as JSON', async () => {
    const res = await get('/v1/no/such/thing');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expectErrorShape(res.json(), 'NOT_FOUND');
    expect(res.json().message).toBe('Not found.');
    expect((await get('/v1/no/such/thing', { 'accept-language': 'fr' })).json().message).toBe('Introuvable.');
  });

  it('an unknown method on a known path is an error in the same shape', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/v1/me', headers: admin.auth, payload: { locale: 'fr' } });
    expect([404, 405]).toContain(res.statusCode);
    expectErrorShape(res.json());
  });

  it('a body over 256 KB → 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/enrollment', payload: enrolmentBody({ companyName: 'x'.repeat(300 * 1024) }) });
    expect(res.statusCode).toBe(413);
    expectErrorShape(res.json(), 'PAYLOAD_TOO_LARGE');
  });

  it('error bodies carry only code, message, details and requestId: no stack, no file paths, no SQL', async () => {
    const samples = await Promise.all([
      get('/v1/me'),
      get('/v1/no/such/thing'),
      t.app.inject({ method: 'POST', url: '/v1/enrollment', payload: '{"broken": ', headers: { 'content-type': 'application/json' } }),
      t.app.inject({ method: 'POST', url: '/v1/enrollment', payload: enrolmentBody({ companyName: 12 }) }),
      t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: 'x@fabrikam.example', password: 'wrong password here' } }),
      t.app.inject({ method: 'POST', url: '/v1/enrollment', payload: enrolmentBody({ email: admin.body.email }) }),
      get('/v1/operator/partners?continuationToken=zzz', admin.auth),
      t.app.inject({ method: 'PATCH', url: '/v1/me', headers: { cookie: admin.cookie }, payload: { locale: 'fr' } }),
    ]);
    expect(samples.map((r) => r.statusCode)).toEqual([401, 404, 400, 400, 401, 409, 403, 403]);
    for (const res of samples) {
      expectErrorShape(res.json());
      expect(res.json().requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body).not.toMatch(/\n\s+at |\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|node_modules|\/work\/|\/src\//);
      expect(res.body).not.toMatch(/duplicate key|violates|constraint|select |insert into/i);
    }
  });

  it('every answer has its own request id', async () => {
    const [x, y] = await Promise.all([get('/v1/me'), get('/v1/me')]);
    expect(x.json().requestId).not.toBe(y.json().requestId);
  });
});

describe('security headers', () => {
  const samples = () =>
    Promise.all([
      get('/v1/me', admin.auth),
      get('/v1/me'),
      get('/healthz'),
      get('/v1/no/such/thing'),
      t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: admin.body.email, password: admin.body.password } }),
    ]);

  it('API responses carry a strict CSP: object-src, frame-ancestors and base-uri none', async () => {
    for (const res of await samples()) {
      const csp = String(res.headers['content-security-policy'] ?? '');
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => { const [name, ...v] = d.split(/\s+/); return [name, v.join(' ')]; }));
      expect(directives['object-src']).toBe("'none'");
      expect(directives['frame-ancestors']).toBe("'none'");
      expect(directives['base-uri']).toBe("'none'");
      expect(directives['default-src']).toBe("'self'");
      expect(directives['script-src'] ?? '').not.toMatch(/unsafe-inline|unsafe-eval/);
    }
  });

  it('nosniff, HSTS of at least a year, a referrer policy and no x-powered-by', async () => {
    for (const res of await samples()) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const maxAge = Number(/max-age=(\d+)/.exec(String(res.headers['strict-transport-security']))?.[1]);
      expect(maxAge).toBeGreaterThanOrEqual(31536000);
      expect(String(res.headers['strict-transport-security'])).toMatch(/includeSubDomains/);
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers.server).toBeUndefined();
    }
  });

  it('every API response, success or error, is Cache-Control: no-store', async () => {
    for (const res of await samples()) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('JSON answers declare their charset', async () => {
    for (const res of await samples()) expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8$/);
  });
});

import { buildApp } from './app';
import { loadConfig } from './core/config';
import { createMailer } from './core/mailer';
import { openDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { seedDemoOnFirstStart } from './modules/seed/demo';
import { syncBuiltInRoles } from './modules/roles/roles.repo';
import { claimDataDir } from './modules/pricing/import/datadir-lock';
import { startLeadExpiryJob } from './modules/referrals/expiry.job';

const started = performance.now();
const config = loadConfig();
const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, onError: (err) => console.error('database error', err.message) });
// PGlite has no lock of its own: DATA_DIR/server.pid tells the CLI (imports) that this process holds it.
const releaseDataDir = handle.kind === 'pglite' ? claimDataDir(config.dataDir) : () => undefined;
process.on('exit', releaseDataDir);
const mailer = createMailer({ smtpUrl: config.smtpUrl, dataDir: config.dataDir, from: config.mailFrom });
const deps = { config, db: handle.db, dbKind: handle.kind, mailer, clock: () => new Date() };
// The app is built while the embedded database opens; nothing is served before both are done.
const phases: Record<string, number> = {};
const timed = async <T>(name: string, p: Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const v = await p;
  phases[name] = Math.round(performance.now() - t0);
  return v;
};
const [{ app }] = await Promise.all([timed('buildApp', buildApp(deps)), timed('openDatabase', handle.ready)]);
const applied = await timed('migrate', migrateToLatest(handle.db));
await timed('roles', syncBuiltInRoles(handle.db));

const demo = await timed('demo', seedDemoOnFirstStart(handle.db, config));
await timed('listen', app.listen({ port: config.port, host: config.host }));
// Leads not answered within 14 days expire: at start, then every 10 minutes (safe on several servers).
const leadExpiry = startLeadExpiryJob(handle.db, { log: app.log });
app.log.info({ event: 'sys_startup', database: handle.kind, migrations: applied, mail: mailer.target, readyMs: Math.round(performance.now() - started), phases }, 'Partner Space is ready');

if (demo) {
  const line = '-'.repeat(72);
  process.stdout.write(
    `\n${line}\nPartner Space is running at ${config.publicUrl}\n\n` +
      `Demo partner "${demo.companyName}" was created. Sign in as its Global admin:\n` +
      `  email:    ${demo.email}\n  password: ${demo.password}\n\n` +
      `Operator console (${config.publicUrl}/operator):\n  email:    ${demo.operatorEmail}\n  password: ${demo.operatorPassword}\n\n` +
      `These passwords are shown once and are not stored anywhere in clear.\n${line}\n\n`,
  );
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ event: 'sys_shutdown', signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    leadExpiry.stop();
    void app
      .close()
      .then(() => handle.close())
      .then(() => {
        mailer.close();
        process.exit(0);
      });
  });
}

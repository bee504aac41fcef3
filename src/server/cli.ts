import { parseArgs } from 'node:util';
import { loadConfig } from './core/config';
import { AppError } from './core/errors';
import { t } from './core/i18n';
import { openDatabase, type DatabaseHandle } from './db/database';
import { migrateToLatest } from './db/migrate';
import { createOperator } from './modules/operators/operators.service';
import { syncBuiltInRoles } from './modules/roles/roles.repo';
import { seedDemoOnFirstStart } from './modules/seed/demo';

const HELP = `partner-space <command> [options]

Administration commands. They use the same DATA_DIR / DATABASE_URL as the server.
(With the embedded database, stop the server first: PGlite is single-process.)

  migrate                              apply database migrations
  create-operator --email E --name N   create an operator account; prints a generated
                  [--password-stdin]   password once (or reads one from stdin)
  seed-demo                            create the demo partner and operator if absent
  help                                 this text
`;

async function withDb<T>(fn: (h: DatabaseHandle) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const h = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(h.db);
    await syncBuiltInRoles(h.db);
    return await fn(h);
  } finally {
    await h.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export const commands: Record<string, (args: string[]) => Promise<void>> = {
  async migrate() {
    await withDb(async () => console.log('migrations applied'));
  },
  async 'create-operator'(args) {
    const { values } = parseArgs({ args, options: { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } } });
    if (!values.email || !values.name) throw new Error('--email and --name are required');
    const password = values['password-stdin'] ? await readStdin() : undefined;
    const config = loadConfig();
    const op = await withDb((h) => h.db.transaction().execute((tx) => createOperator(tx, config.secrets.pepper, { email: values.email!, displayName: values.name!, password })));
    console.log(`Operator ${op.email} created (id ${op.id}).`);
    if (!password) console.log(`Password (shown once): ${op.password}`);
  },
  async 'seed-demo'() {
    const config = loadConfig();
    const demo = await withDb((h) => seedDemoOnFirstStart(h.db, config));
    if (!demo) console.log('The demo data already exists.');
    else console.log(`Demo partner "${demo.companyName}": ${demo.email} / ${demo.password}\nOperator: ${demo.operatorEmail} / ${demo.operatorPassword}`);
  },
  async help() {
    process.stdout.write(HELP);
  },
};

const [name = 'help', ...rest] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  process.stderr.write(`Unknown command: ${name}\n\n${HELP}`);
  process.exit(2);
}
try {
  await command(rest);
} catch (err) {
  if (err instanceof AppError) {
    const details = err.details.map((d) => `  ${d.field ?? ''} ${t('en', `reason.${d.reason}`, d.params)}`).join('\n');
    console.error(`${t('en', `error.${err.code}`, err.params)}\n${details}`);
  } else console.error((err as Error).message);
  process.exit(1);
}

import { parseArgs } from 'node:util';
import { loadConfig } from './core/config';
import { verifyChain } from './core/audit';
import { AppError } from './core/errors';
import { t } from './core/i18n';
import { openDatabase, type DatabaseHandle } from './db/database';
import { migrateToLatest } from './db/migrate';
import { createOperator } from './modules/operators/operators.service';
import { syncBuiltInRoles } from './modules/roles/roles.repo';
import { seedDemoOnFirstStart } from './modules/seed/demo';
import { seedBench } from './modules/seed/bench';
import { seedDirectory } from './modules/seed/directory-bench';
import { rotateFieldKeyCommand } from './modules/banking/rotate';
import { generateCommand, importCommand, runWithExitCodes } from './modules/pricing/import/cli';
import { expireLeads } from './modules/referrals/expiry.job';

const HELP = `partner-space <command> [options]

Administration commands. They use the same DATA_DIR / DATABASE_URL as the server.
(With the embedded database, stop the server first: PGlite is single-process.)

  migrate                              apply database migrations
  create-operator --email E --name N   create an operator account; prints a generated
                  [--password-stdin]   password once (or reads one from stdin)
  seed-demo                            create the demo partner and operator if absent
  verify-audit [--partner ID]          verify the activity-log hash chains; exits 1 and names
                                       the first broken record of any chain that fails
  seed-bench [--partners N]            generate a large benchmark programme (default 400000
             [--users-per-partner U]   partners, 2 users each; users share one password,
             [--batch B] [--replace]   printed once); --replace deletes earlier bench data;
             [--json]                  --json prints the result as one JSON line
  seed-directory [--profiles N]        publish a business profile (fr + en descriptions, tags, sizes,
                 [--batch B]           location) for each of the first N bench partners (default
                 [--replace] [--json]  400000; seed-bench makes the partners) and fill the directory
  rotate-field-key                     re-encrypt every encrypted field (bank accounts, tax numbers,
                                       TOTP secrets) under a new FIELD_KEY in one transaction; writes it
                                       to DATA_DIR/secrets.json; with FIELD_KEY in the environment,
                                       pass the new key as NEW_FIELD_KEY
  expire-leads                         expire the leads still new 14 days after they arrived (the
                                       server also does it every 10 minutes)
  import pricelist --market FR         import a market's monthly price list (new-commerce CSV, or
         --month 2026-12 FILE          gzip / zip of it); applied whole or not at all; prints the
                                       ADD/CHG/DEL/UNC counts; exits 1 with the report (line, column,
                                       reason) on a refused file, 2 if a server holds the embedded database
  import offers FILE                   import the offer matrix (same rules)
  generate pricelist --market FR       write a realistic price list (deterministic from --seed: two
           --month M [--rows N]        consecutive months differ like real ones) to --out or stdout;
           [--seed S] [--gzip] [--out F]
  generate offers --month M            write the matching offer matrix
           [--skus N] [--gzip] [--out F]
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
  async 'seed-bench'(args) {
    const { values } = parseArgs({
      args,
      options: { partners: { type: 'string' }, 'users-per-partner': { type: 'string' }, 'big-partner-users': { type: 'string' }, batch: { type: 'string' }, replace: { type: 'boolean' }, json: { type: 'boolean' } },
    });
    const int = (v: string | undefined, d: number, name: string) => {
      const n = v === undefined ? d : Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
      return n;
    };
    const partners = int(values.partners, 400_000, 'partners');
    const usersPerPartner = int(values['users-per-partner'], 2, 'users-per-partner');
    const batchSize = int(values.batch, 50_000, 'batch');
    const config = loadConfig();
    const log = (s: string) => (values.json ? process.stderr : process.stdout).write(s);
    const r = await withDb((h) =>
      seedBench(h.db, config.secrets.pepper, {
        partners,
        usersPerPartner,
        bigPartnerUsers: values['big-partner-users'] === undefined ? 0 : int(values['big-partner-users'], 0, 'big-partner-users'),
        batchSize,
        replace: values.replace ?? false,
        onProgress: (done, total) => log(`  ${done}/${total} partners\n`),
      }),
    );
    if (values.json) {
      console.log(JSON.stringify(r));
      return;
    }
    console.log(`Seeded ${r.partners} partners, ${r.users} users, ${r.userRoles} role assignments in ${(r.ms.total / 1000).toFixed(1)} s (${r.rowsPerSecond} rows/s; argon2 hash ${r.ms.hash} ms).`);
    console.log(`Sign in as ${r.signInEmail} (any bench-admin-N@partnerN.bench.example / bench-user-J-N@partnerN.bench.example)`);
    console.log(`Password of every bench user (shown once): ${r.password}`);
  },
  async 'seed-directory'(args) {
    const { values } = parseArgs({ args, options: { profiles: { type: 'string' }, batch: { type: 'string' }, replace: { type: 'boolean' }, json: { type: 'boolean' } } });
    const int = (v: string | undefined, d: number, name: string) => {
      const n = v === undefined ? d : Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
      return n;
    };
    const log = (s: string) => (values.json ? process.stderr : process.stdout).write(s);
    const r = await withDb((h) =>
      seedDirectory(h.db, {
        profiles: int(values.profiles, 400_000, 'profiles'),
        batchSize: int(values.batch, 25_000, 'batch'),
        replace: values.replace ?? false,
        onProgress: (done, total) => log(`  ${done}/${total} profiles\n`),
      }),
    );
    if (values.json) console.log(JSON.stringify(r));
    else console.log(`Published ${r.profiles} business profiles, ${r.entries} directory entries in ${(r.ms.total / 1000).toFixed(1)} s (${r.rowsPerSecond} rows/s; profiles ${r.ms.profiles} ms, entries ${r.ms.entries} ms, indexes ${r.ms.indexes} ms, vacuum ${r.ms.vacuum} ms).`);
  },
  async 'verify-audit'(args) {
    const { values } = parseArgs({ args, options: { partner: { type: 'string' } } });
    const reports = await withDb(async (h) => {
      const ids = values.partner ? [values.partner] : (await h.db.selectFrom('partners').select('id').execute()).map((r) => r.id);
      const out: { chain: string; report: Awaited<ReturnType<typeof verifyChain>> }[] = [];
      if (!values.partner) out.push({ chain: 'operator/system', report: await verifyChain(h.db, null) });
      for (const id of ids) out.push({ chain: id, report: await verifyChain(h.db, id) });
      return out;
    });
    const broken = reports.filter((r) => !r.report.verified);
    for (const r of broken) console.log(`BROKEN ${r.chain}: first broken record seq ${r.report.firstBrokenSeq} (of ${r.report.records})`);
    console.log(`${reports.length - broken.length} of ${reports.length} chains verified, ${reports.reduce((n, r) => n + r.report.records, 0)} records.`);
    if (broken.length) process.exitCode = 1;
  },
  async 'rotate-field-key'() {
    const config = loadConfig();
    const next = process.env.NEW_FIELD_KEY;
    if (next !== undefined && !/^[0-9a-f]{64,}$/i.test(next)) throw new Error('NEW_FIELD_KEY must be at least 64 hex characters (32 bytes)');
    await withDb((h) =>
      rotateFieldKeyCommand(h.db, { dataDir: config.dataDir, currentKey: config.secrets.fieldKey, keyFromEnv: !!process.env.FIELD_KEY, ...(next ? { newKey: Buffer.from(next, 'hex').subarray(0, 32) } : {}), log: (s) => console.log(s) }),
    );
  },
  async 'expire-leads'() {
    const n = await withDb((h) => expireLeads(h.db, new Date()));
    console.log(`${n} lead(s) expired.`);
  },
  async import(args) {
    await runWithExitCodes(() => importCommand(args));
  },
  async generate(args) {
    await runWithExitCodes(() => generateCommand(args));
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

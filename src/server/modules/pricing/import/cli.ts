import { createWriteStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../../core/config';
import { AppError } from '../../../core/errors';
import { t } from '../../../core/i18n';
import { openDatabase } from '../../../db/database';
import { migrateToLatest } from '../../../db/migrate';
import { parseImportMonth, parseMarket } from './columns';
import { offerMatrixLines, priceListLines, writeLines } from './generate';
import { importOffers } from './offers-import';
import { importPriceList } from './pricelist-import';
import { serverHoldingDataDir } from './datadir-lock';

/**
 * `partner-space import pricelist|offers …` and `partner-space generate pricelist|offers …`.
 *
 * PGlite is one process's database and has no lock of its own: the server writes
 * `DATA_DIR/server.pid` while it runs (src/server/main.ts) and the import refuses to open the
 * data dir while that process is alive (exit code 2), instead of corrupting it.
 */

class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function printReport(err: AppError): void {
  const lines = [t('en', `error.${err.code}`, { rows: err.params.rows ?? err.details.length, ...err.params })];
  for (const d of err.details) {
    const where = [d.line !== undefined ? `line ${d.line}` : null, d.field ? `column ${d.field}` : null].filter(Boolean).join(', ');
    lines.push(`  ${where || '-'}: ${t('en', `reason.${d.reason}`, d.params ?? {})}`);
  }
  const total = Number(err.params.rows ?? err.details.length);
  if (total > err.details.length) lines.push(`  … and ${total - err.details.length} more`);
  process.stderr.write(lines.join('\n') + '\n');
}

/** Progress on a TTY as a bar (bytes of the file, rows/s); otherwise a plain line every few seconds. */
function progressReporter(file: string) {
  const total = statSync(file).size;
  const started = Date.now();
  const rate = (rows: number) => Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001));
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: '{bar} {percentage}% | {mb}/{totalMb} MB | {rows} rows | {speed} rows/s | {phase}', stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { mb: '0.0', totalMb: (total / 1e6).toFixed(1), rows: 0, speed: 0, phase: 'reading' });
    return {
      update: (p: { bytesRead: number; rowsRead: number; phase: string }) => bar.update(p.bytesRead, { mb: (p.bytesRead / 1e6).toFixed(1), rows: p.rowsRead, speed: rate(p.rowsRead), phase: p.phase }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (p: { bytesRead: number; rowsRead: number; phase: string }) => {
      if (Date.now() - last < 2000 && p.phase === 'reading') return;
      last = Date.now();
      process.stderr.write(`progress ${p.phase}: ${((p.bytesRead / Math.max(total, 1)) * 100).toFixed(1)}% of ${(total / 1e6).toFixed(1)} MB, ${p.rowsRead} rows, ${rate(p.rowsRead)} rows/s\n`);
    },
    stop: () => undefined,
  };
}

export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { market: { type: 'string' }, month: { type: 'string' }, json: { type: 'boolean' } } });
  const [what, file] = positionals;
  if ((what !== 'pricelist' && what !== 'offers') || !file || positionals.length !== 2) {
    throw new Error('usage: partner-space import pricelist --market FR --month 2026-12 FILE | partner-space import offers FILE');
  }
  if (!existsSync(file)) throw new Error(`No such file: ${file}`);
  const config = loadConfig();
  let market = '';
  let month = '';
  try {
    if (what === 'pricelist') {
      if (!values.market || !values.month) throw new Error('--market and --month are required');
      market = parseMarket(values.market);
      month = parseImportMonth(values.month, new Date());
    }
  } catch (err) {
    if (err instanceof AppError) {
      printReport(err);
      throw new ExitError('', 1);
    }
    throw err;
  }
  if (!config.databaseUrl) {
    const pid = serverHoldingDataDir(config.dataDir);
    if (pid) {
      throw new ExitError(
        `The embedded database in ${config.dataDir} is in use by a running Partner Space server (pid ${pid}).\n` +
          'PGlite serves one process at a time: stop the server and run the import again, or import from the operator console (Catalog and price lists).',
        2,
      );
    }
  }
  const h = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  const progress = progressReporter(file);
  try {
    await h.ready;
    await migrateToLatest(h.db);
    // The bench samples the idle memory here: database open, nothing imported yet.
    process.stderr.write(`database open (${h.kind}); importing ${basename(file)}\n`);
    const actor = { type: 'system' as const, id: null };
    if (what === 'pricelist') {
      const s = await importPriceList(h.db, { market, month, path: file, fileName: basename(file), actor, onProgress: (p) => progress.update({ ...p, phase: p.phase }) });
      progress.stop();
      if (values.json) console.log(JSON.stringify(s));
      else {
        console.log(`Price list ${s.market} ${s.month} imported: ${s.rows} rows in ${(s.ms / 1000).toFixed(1)} s (${s.rowsPerSecond} rows/s).`);
        console.log(`  ADD ${s.counts.ADD}  CHG ${s.counts.CHG}  DEL ${s.counts.DEL}  UNC ${s.counts.UNC}${s.replacedVersionId ? '  (replaces the earlier import of this month)' : ''}`);
      }
    } else {
      const s = await importOffers(h.db, { path: file, fileName: basename(file), actor, onProgress: (p) => progress.update(p) });
      progress.stop();
      if (values.json) console.log(JSON.stringify(s));
      else console.log(`Offer matrix imported: ${s.rows} rows (${s.counts.added} added, ${s.counts.updated} updated, ${s.counts.endOfSale} now end of sale) in ${(s.ms / 1000).toFixed(1)} s.`);
    }
  } catch (err) {
    progress.stop();
    if (err instanceof AppError) {
      printReport(err);
      throw new ExitError('Nothing was imported.', 1);
    }
    throw err;
  } finally {
    await h.close();
  }
}

export async function generateCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { market: { type: 'string' }, month: { type: 'string' }, rows: { type: 'string' }, skus: { type: 'string' }, seed: { type: 'string' }, gzip: { type: 'boolean' }, out: { type: 'string' } },
  });
  const [what] = positionals;
  const month = values.month ?? new Date().toISOString().slice(0, 7);
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error('--month must be YYYY-MM');
  const int = (v: string | undefined, d: number, name: string) => {
    const n = v === undefined ? d : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const seed = int(values.seed, 42, 'seed');
  let lines: Iterable<string>;
  if (what === 'pricelist') {
    if (!values.market) throw new Error('--market is required');
    lines = priceListLines({ market: parseMarket(values.market), month, rows: int(values.rows, 1_000_000, 'rows'), seed });
  } else if (what === 'offers') {
    lines = offerMatrixLines({ month, skus: int(values.skus, 30_000, 'skus'), seed });
  } else throw new Error('usage: partner-space generate pricelist --market FR --month 2026-12 --rows N [--seed S] [--gzip] [--out FILE] | generate offers --month M [--skus N]');
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  const n = await writeLines(lines, out, values.gzip ?? false);
  if (values.out) process.stderr.write(`${n - 1} rows written to ${values.out}\n`);
}

/** Run a command of this module with its exit codes (1: refused input, 2: data dir in use). */
export async function runWithExitCodes(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof ExitError) {
      if (err.message) process.stderr.write(err.message + '\n');
      process.exit(err.exitCode);
    }
    throw err;
  }
}

import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { requireOperator, type RequestContext } from '../../../core/context';
import { AppError } from '../../../core/errors';
import { t } from '../../../core/i18n';
import { collectionLinks, decodeCursor, encodeCursor } from '../../../core/pagination';
import type { Db } from '../../../db/database';
import type { ImportReport } from '../../../db/schema';
import { parseImportMonth, parseMarket } from './columns';
import { beginOfferImport, runOfferImport, type OfferImportSummary } from './offers-import';
import { beginPriceImport, failPriceImport, runPriceImport, type ImportActor, type PriceImportSummary } from './pricelist-import';
import { spoolToFile, tempUploadPath } from './source';

/** Largest upload accepted (a full-market list is a few hundred MB uncompressed). */
export const UPLOAD_MAX_BYTES = 2 * 1024 ** 3;

type Phase = 'uploading' | 'reading' | 'applying' | 'done';

/** A running import in this process: what the progress endpoint reports while it runs. */
interface Job {
  kind: 'pricelist' | 'offers';
  phase: Phase;
  uploadedBytes: number;
  bytesRead: number;
  totalBytes: number | null;
  rowsRead: number;
  errors: number;
  counts: Record<string, number>;
  done: Promise<PriceImportSummary | OfferImportSummary>;
}

const jobs = new Map<string, Job>();
/** Finished jobs are forgotten after a while (the database keeps their outcome). */
const FORGET_AFTER_MS = 10 * 60_000;

function actorOf(ctx: RequestContext): ImportActor {
  const o = requireOperator(ctx);
  return { type: 'operator', id: o.operatorId, ip: ctx.ip, userAgent: ctx.userAgent, requestId: ctx.requestId };
}

/** Only a raw upload stream (our content-type parser) is accepted; JSON or a form is another media type. */
function assertUpload(body: unknown): void {
  if (body !== undefined && body !== null && !(body instanceof Readable)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
}

function safeFileName(name: string | undefined): string | null {
  const n = (name ?? '').replace(/[^\w .()+-]/g, '_').trim().slice(0, 200);
  return n || null;
}

/**
 * Receive the body into a temporary file (a zip needs random access; the size gives progress),
 * then run the import in the background. The (market, month) is claimed first, so a second
 * upload is refused before its body is read.
 */
export async function startPriceListImport(ctx: RequestContext, q: { market: string; month: string; fileName?: string | undefined }, body: Readable | undefined) {
  const actor = actorOf(ctx);
  assertUpload(body);
  const market = parseMarket(q.market);
  const month = parseImportMonth(q.month, ctx.now);
  const id = await beginPriceImport(ctx.db, { market, month, fileName: safeFileName(q.fileName), importedBy: actor.id, now: ctx.now });
  return startJob(ctx.db, id, 'pricelist', body, actor, (path, job) =>
    runPriceImport(ctx.db, id, {
      path,
      actor,
      onProgress: (p) => Object.assign(job, { phase: p.phase === 'deleted' ? 'applying' : p.phase, bytesRead: p.bytesRead, totalBytes: p.totalBytes, rowsRead: p.rowsRead, errors: p.errors, counts: p.counts }),
    }),
  );
}

export async function startOfferImport(ctx: RequestContext, q: { fileName?: string | undefined }, body: Readable | undefined) {
  const actor = actorOf(ctx);
  assertUpload(body);
  const id = await beginOfferImport(ctx.db, { fileName: safeFileName(q.fileName), importedBy: actor.id, now: ctx.now });
  return startJob(ctx.db, id, 'offers', body, actor, (path, job) =>
    runOfferImport(ctx.db, id, { path, actor, onProgress: (p) => Object.assign(job, { phase: p.phase, bytesRead: p.bytesRead, totalBytes: p.totalBytes, rowsRead: p.rowsRead, errors: p.errors }) }),
  );
}

async function startJob<S extends PriceImportSummary | OfferImportSummary>(
  db: Db,
  id: string,
  kind: Job['kind'],
  body: Readable | undefined,
  actor: ImportActor,
  run: (path: string, job: Job) => Promise<S>,
): Promise<{ id: string; done: Promise<S> }> {
  const job: Job = { kind, phase: 'uploading', uploadedBytes: 0, bytesRead: 0, totalBytes: null, rowsRead: 0, errors: 0, counts: {}, done: Promise.resolve() as never };
  jobs.set(id, job);
  const tmp = await tempUploadPath();
  try {
    if (!body) throw new AppError('FILE_EMPTY');
    const size = await spoolToFile(body, tmp.path, UPLOAD_MAX_BYTES, (n) => (job.uploadedBytes = n));
    if (size === 0) throw new AppError('FILE_EMPTY');
    job.totalBytes = size;
  } catch (err) {
    jobs.delete(id);
    await tmp.cleanup();
    await failClaimed(db, kind, id, err, actor);
    throw err;
  }
  job.phase = 'reading';
  const done = run(tmp.path, job).finally(() => {
    void tmp.cleanup();
    setTimeout(() => jobs.delete(id), FORGET_AFTER_MS).unref();
  });
  job.done = done;
  // The background run reports through the database and the job; nobody else awaits it.
  done.then(
    () => (job.phase = 'done'),
    () => (job.phase = 'done'),
  );
  return { id, done };
}

async function failClaimed(db: Db, kind: Job['kind'], id: string, err: unknown, actor: ImportActor): Promise<void> {
  if (kind === 'pricelist') await failPriceImport(db, id, err, 0, actor, new Date()).catch(() => undefined);
  else {
    await db
      .updateTable('offer_imports')
      .set({ status: 'failed', completed_at: new Date(), heartbeat_at: null, errors: JSON.stringify({ code: err instanceof AppError ? err.code : 'INTERNAL', total: 0, details: [] }) })
      .where('id', '=', id)
      .execute()
      .catch(() => undefined);
  }
}

export function translateReport(ctx: RequestContext, r: ImportReport | null) {
  if (!r || r.code === 'REPLACED') return null;
  return {
    code: r.code,
    message: t(ctx.locale, `error.${r.code}`, { rows: r.total }),
    total: r.total,
    details: r.details.map((d) => ({ ...(d.line !== undefined ? { line: d.line } : {}), ...(d.field ? { field: d.field } : {}), reason: d.reason, message: t(ctx.locale, `reason.${d.reason}`, d.params ?? {}) })),
  };
}

/** Progress of an import: live from this process while it runs, from the database otherwise (another process, or finished). */
export async function importProgress(ctx: RequestContext, kind: Job['kind'], id: string) {
  const row =
    kind === 'pricelist'
      ? await ctx.db.selectFrom('price_list_versions').select(['id', 'status', 'row_count', 'deleted_count', 'counts', 'error_count', 'errors', 'market', 'month', 'file_name', 'started_at', 'completed_at']).where('id', '=', id).executeTakeFirst()
      : await ctx.db.selectFrom('offer_imports').select(['id', 'status', 'row_count', 'counts', 'error_count', 'errors', 'file_name', 'started_at', 'completed_at']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  const job = jobs.get(id);
  const finished = row.status !== 'importing';
  const rowsRead = job && !finished ? job.rowsRead : row.row_count;
  return {
    id: row.id,
    kind,
    status: row.status,
    phase: finished ? 'done' : (job?.phase ?? 'reading'),
    ...('market' in row && 'month' in row ? { market: String(row.market), month: String(row.month).slice(0, 7) } : {}),
    fileName: row.file_name,
    uploadedBytes: job?.uploadedBytes ?? null,
    bytesRead: job ? (finished ? (job.totalBytes ?? job.bytesRead) : job.bytesRead) : null,
    totalBytes: job?.totalBytes ?? null,
    rowsRead,
    errors: job && !finished ? job.errors : row.error_count,
    counts: finished ? row.counts : (job?.counts ?? {}),
    report: row.status === 'failed' ? translateReport(ctx, row.errors) : null,
    startedAt: row.started_at.toISOString(),
    completedAt: row.completed_at ? row.completed_at.toISOString() : null,
  };
}

export async function listVersions(ctx: RequestContext, q: { market?: string | undefined; size: number; continuationToken?: string | undefined }) {
  requireOperator(ctx);
  const market = q.market ? parseMarket(q.market) : undefined;
  const cursor = decodeCursor(q.continuationToken);
  let query = ctx.db
    .selectFrom('price_list_versions as v')
    .leftJoin('operators as o', 'o.id', 'v.imported_by')
    .select(['v.id', 'v.market', 'v.month', 'v.status', 'v.file_name', 'v.row_count', 'v.deleted_count', 'v.counts', 'v.error_count', 'v.started_at', 'v.completed_at', 'o.display_name', 'o.email', 'v.imported_by'])
    // A version replaced by a re-import is gone from the history (its rows are deleted).
    .where(sql<boolean>`coalesce(v.errors ->> 'code', '') <> 'REPLACED'`);
  if (market) query = query.where('v.market', '=', market);
  if (cursor) {
    const [month, startedAt] = cursor.key.split('|');
    query = query.where(sql<boolean>`(v.month, v.started_at, v.id) < (${month}::date, ${startedAt}::timestamptz, ${cursor.id}::uuid)`);
  }
  const rows = await query.orderBy('v.month', 'desc').orderBy('v.started_at', 'desc').orderBy('v.id', 'desc').limit(q.size + 1).execute();
  let countQ = ctx.db.selectFrom('price_list_versions').select((eb) => eb.fn.countAll<number>().as('n')).where(sql<boolean>`coalesce(errors ->> 'code', '') <> 'REPLACED'`);
  if (market) countQ = countQ.where('market', '=', market);
  const total = Number((await countQ.executeTakeFirstOrThrow()).n);
  const page = rows.slice(0, q.size);
  const last = page[page.length - 1];
  const next = rows.length > q.size && last ? encodeCursor(`${last.month}|${last.started_at.toISOString()}`, last.id) : undefined;
  return {
    totalCount: total,
    items: page.map((r) => ({
      id: r.id,
      market: r.market,
      month: r.month.slice(0, 7),
      status: r.status,
      fileName: r.file_name,
      rows: r.row_count,
      deleted: r.deleted_count,
      counts: r.counts,
      errorCount: r.error_count,
      importedBy: r.imported_by ? { id: r.imported_by, name: r.display_name ?? r.email ?? '' } : null,
      startedAt: r.started_at.toISOString(),
      completedAt: r.completed_at ? r.completed_at.toISOString() : null,
    })),
    links: collectionLinks('/v1/operator/pricelists/versions', { market, size: q.size }, next),
  };
}

export async function listOfferImports(ctx: RequestContext, q: { size: number }) {
  requireOperator(ctx);
  const rows = await ctx.db
    .selectFrom('offer_imports as i')
    .leftJoin('operators as o', 'o.id', 'i.imported_by')
    .select(['i.id', 'i.status', 'i.file_name', 'i.row_count', 'i.counts', 'i.error_count', 'i.started_at', 'i.completed_at', 'o.display_name', 'o.email', 'i.imported_by'])
    .orderBy('i.started_at', 'desc')
    .limit(q.size)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      status: r.status,
      fileName: r.file_name,
      rows: r.row_count,
      counts: r.counts,
      errorCount: r.error_count,
      importedBy: r.imported_by ? { id: r.imported_by, name: r.display_name ?? r.email ?? '' } : null,
      startedAt: r.started_at.toISOString(),
      completedAt: r.completed_at ? r.completed_at.toISOString() : null,
    })),
  };
}

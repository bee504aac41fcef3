import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';

/** Supporting documents: PDF, JPEG or PNG, at most 10 MB, recognised by their content (not their name). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/**
 * Let a plugin's routes take a raw file as the request body (`Content-Type` one of the
 * accepted types or application/octet-stream), up to 10 MB. Register it inside the
 * owning module's plugin: the rest of the API stays JSON-only.
 */
export function acceptFileUploads(app: FastifyInstance): void {
  app.addContentTypeParser(
    ['application/pdf', 'image/jpeg', 'image/png', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_DOCUMENT_BYTES + 1 },
    (_req, body, done) => done(null, body),
  );
}

/** What the content really is: one of the accepted types, or a 4xx naming the problem. */
export async function sniffDocument(bytes: Buffer): Promise<DocumentType> {
  if (bytes.length === 0) throw new AppError('FILE_EMPTY', {}, [{ field: 'file', reason: 'empty', message: '' }]);
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new AppError('FILE_TOO_LARGE', { maxMb: MAX_DOCUMENT_BYTES / 1024 / 1024 });
  const found = await fileTypeFromBuffer(bytes);
  if (!found || !(DOCUMENT_TYPES as readonly string[]).includes(found.mime)) {
    throw new AppError('FILE_TYPE_REFUSED', {}, [{ field: 'file', reason: 'file_type', message: '' }]);
  }
  return found.mime as DocumentType;
}

/**
 * Store a document for a partner, through the caller's transaction. The file name is kept
 * for display only (sanitised); the type comes from the content.
 */
export async function storeDocument(ctx: RequestContext, d: { partnerId: string; purpose: string; filename: string; bytes: Buffer; uploadedBy: string | null }) {
  const contentType = await sniffDocument(d.bytes);
  const id = randomUUID();
  const filename = (d.filename.replace(/[\\/\u0000-\u001f]/g, '_').trim() || 'document').slice(0, 200);
  const sha256 = createHash('sha256').update(d.bytes).digest('hex');
  await ctx.db
    .insertInto('documents')
    .values({ id, partner_id: d.partnerId, purpose: d.purpose, filename, content_type: contentType, size_bytes: d.bytes.length, sha256, content: d.bytes, uploaded_by: d.uploadedBy, created_at: ctx.now })
    .execute();
  return { id, filename, contentType, sizeBytes: d.bytes.length, sha256, createdAt: ctx.now.toISOString() };
}

/** Metadata of a partner's documents (no content). */
export function listDocuments(ctx: RequestContext, partnerId: string, purpose: string, ids?: string[]) {
  let q = ctx.db.selectFrom('documents').select(['id', 'filename', 'content_type', 'size_bytes', 'created_at']).where('partner_id', '=', partnerId).where('purpose', '=', purpose);
  if (ids) q = ids.length ? q.where('id', 'in', ids) : q.where(() => false as never);
  return q.orderBy('created_at', 'desc').execute();
}

/** One document with its content, tenant-scoped (operators pass the partner they review). */
export async function readDocument(ctx: RequestContext, partnerId: string, id: string) {
  const row = await ctx.db.selectFrom('documents').selectAll().where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** Answer a document as a download: its real type, an attachment, never sniffed by the browser. */
export function documentHeaders(row: { filename: string; content_type: string; size_bytes: number }): Record<string, string> {
  return {
    'content-type': row.content_type,
    'content-length': String(row.size_bytes),
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(row.filename)}`,
    'x-content-type-options': 'nosniff',
  };
}

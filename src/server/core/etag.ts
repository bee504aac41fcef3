import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors';

/**
 * Optimistic concurrency for profile resources (reference §1.1: every profile carries an
 * ETag). A resource keeps an integer `version`; its ETag is `W/"<version>"`. A GET sets the
 * header; a write must send `If-Match` with it: none answers 428 PRECONDITION_REQUIRED, a
 * stale one 412 PRECONDITION_FAILED with the current version in the error's params.
 */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', etagOf(version));
}

/** The version the client says it is changing; throws 428 when it says none. */
export function ifMatchVersion(req: FastifyRequest): number {
  const h = req.headers['if-match'];
  if (typeof h !== 'string' || !h.trim()) throw new AppError('PRECONDITION_REQUIRED');
  const m = /^(?:W\/)?"(\d{1,12})"$/.exec(h.trim());
  if (!m) throw new AppError('PRECONDITION_FAILED', { current: '' });
  return Number(m[1]);
}

/** Compare inside the write's transaction, after locking the row: stale → 412 with the current ETag. */
export function assertVersion(expected: number, current: number): void {
  if (expected !== current) throw new AppError('PRECONDITION_FAILED', { current: etagOf(current) });
}

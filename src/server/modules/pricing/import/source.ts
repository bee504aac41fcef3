import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat, unlink, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { AppError } from '../../../core/errors';

export type Compression = 'none' | 'gzip' | 'zip';

/** The decompressed CSV of an import file, and how far into the file we are (for progress). */
export interface CsvSource {
  csv: Readable;
  compression: Compression;
  totalBytes: number;
  /** Bytes of the file consumed so far (for a zip: the share of its entry read, scaled to the file size). */
  bytesRead(): number;
  /** Set when the archive itself failed (truncated gzip, bad deflate data): the caller reports ARCHIVE_CORRUPT. */
  archiveError(): Error | null;
}

export async function sniffCompression(path: string): Promise<Compression> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(4), 0, 4, 0);
    if (bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return 'gzip';
    if (bytesRead >= 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && (buffer[2] === 0x03 || buffer[2] === 0x05) && (buffer[3] === 0x04 || buffer[3] === 0x06)) return 'zip';
    return 'none';
  } finally {
    await fh.close();
  }
}

function counter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onBytes(chunk.length);
      cb(null, chunk);
    },
  });
}

/**
 * Open an import file as a CSV stream, whatever its compression (detected by magic bytes,
 * not by name): gzip is decompressed as it streams; a zip (random access: its directory is at
 * the end) must hold exactly one file, streamed out of it.
 */
export async function openCsvSource(path: string): Promise<CsvSource> {
  const totalBytes = (await stat(path)).size;
  const compression = await sniffCompression(path);
  let read = 0;
  let failed: Error | null = null;
  if (compression === 'none') {
    const csv = createReadStream(path, { highWaterMark: 256 * 1024 });
    csv.on('data', (c) => (read += (c as Buffer).length));
    return { csv, compression, totalBytes, bytesRead: () => read, archiveError: () => failed };
  }
  if (compression === 'gzip') {
    const file = createReadStream(path, { highWaterMark: 256 * 1024 });
    const gunzip = createGunzip();
    gunzip.on('error', (err) => (failed = err));
    // The pipeline's errors surface on `gunzip` (the stream the parser reads).
    pipeline(file, counter((n) => (read += n)), gunzip).catch(() => undefined);
    return { csv: gunzip, compression, totalBytes, bytesRead: () => read, archiveError: () => failed };
  }
  const { entry, zip } = await openSingleZipEntry(path);
  const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(corrupt(err)) : resolve(s))));
  const size = entry.uncompressedSize || 1;
  let out = 0;
  const count = counter((n) => {
    out += n;
    read = Math.min(totalBytes, Math.round((out / size) * totalBytes));
  });
  stream.on('error', (err) => (failed = err));
  count.on('close', () => zip.close());
  pipeline(stream, count).catch((err: Error) => (failed ??= err));
  return { csv: count, compression, totalBytes, bytesRead: () => read, archiveError: () => failed };
}

function corrupt(err: Error): AppError {
  return new AppError('ARCHIVE_CORRUPT', {}, [{ field: 'file', reason: 'pricing.import.archive', message: '', params: { error: err.message.slice(0, 200) } }]);
}

async function openSingleZipEntry(path: string): Promise<{ zip: yauzl.ZipFile; entry: yauzl.Entry }> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(corrupt(err)) : resolve(z))));
  const files: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      if (!e.fileName.endsWith('/') && !e.fileName.startsWith('__MACOSX/')) files.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (err: Error) => reject(corrupt(err)));
    zip.readEntry();
  });
  if (files.length !== 1) {
    zip.close();
    throw new AppError('IMPORT_INVALID', { rows: 0 }, [{ field: 'file', reason: 'pricing.import.zip_entries', message: '', params: { count: files.length } }]);
  }
  return { zip, entry: files[0]! };
}

export function archiveCorrupt(err: Error): AppError {
  return corrupt(err);
}

/** A private temporary directory for one upload; `cleanup` removes it. */
export async function tempUploadPath(name = 'upload'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ps-import-'));
  const path = join(dir, name);
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Write a stream (an HTTP body) to a file, refusing more than `maxBytes`: a zip needs random
 * access, and the importer reports progress against the size. Memory stays at one chunk.
 */
export async function spoolToFile(body: Readable, path: string, maxBytes: number, onBytes?: (n: number) => void): Promise<number> {
  let total = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      total += chunk.length;
      if (total > maxBytes) return cb(new AppError('FILE_TOO_LARGE', { max: maxBytes }));
      onBytes?.(total);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, createWriteStream(path));
  } catch (err) {
    await unlink(path).catch(() => undefined);
    throw err;
  }
  return total;
}

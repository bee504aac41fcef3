import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { join } from 'node:path';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Resolves when the database can answer (PGlite opens in the background meanwhile). */
  ready: Promise<void>;
  close(): Promise<void>;
}

// timestamptz → Date (default), int8 → number for counts and identity columns we read.
pg.types.setTypeParser(20, (v) => Number(v));
// date → 'YYYY-MM-DD' text: a calendar date has no time zone (price lists, promotions).
pg.types.setTypeParser(1082, (v) => v);

/**
 * One data-access path for both engines: Kysely's PostgresDialect over a `pg` Pool.
 * With DATABASE_URL the pool talks to a PostgreSQL server; otherwise it talks to an
 * in-process PGlite persisted under `<dataDir>/pgdata` through PGlite's
 * node-postgres adapter (one connection: PGlite serialises all queries).
 */
export async function openDatabase(opts: {
  databaseUrl?: string | undefined;
  dataDir?: string;
  /** Load a PGlite data dir tarball instead (tests). */
  loadDataDir?: Blob;
  inMemory?: boolean;
  onError?: (err: Error) => void;
  poolSize?: number;
}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, statement_timeout: 10_000 });
    // Without this listener an idle client's error (server restart) would crash the process.
    pool.on('error', (err) => opts.onError?.(err));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', ready: Promise.resolve(), close: () => db.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  // The directory's accent-insensitive search configurations (migration 0018); postgresql-contrib on a server.
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const dataDir = opts.inMemory ? undefined : join(opts.dataDir ?? './data', 'pgdata');
  // Not PGlite.create(): the instance opens in the background while the caller builds
  // the HTTP app; queries wait for it, and `ready` tells when it is open.
  const lite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    extensions: { pg_trgm, unaccent },
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  const pool = new pg.Pool({ ...createPgConfig(lite), max: 1 });
  pool.on('error', (err) => opts.onError?.(err));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    ready: lite.waitReady,
    close: async () => {
      await lite.waitReady.catch(() => undefined);
      await db.destroy();
      await lite.close();
    },
  };
}

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite is one process's database and has no lock of its own: a server using it writes
 * `DATA_DIR/server.pid` while it runs, and `partner-space import` refuses (exit code 2) to open
 * the data dir while that process is alive, instead of corrupting it.
 */
export const SERVER_PID_FILE = 'server.pid';

/** Write the pid file of a server using the embedded database; returns its remover. */
export function claimDataDir(dataDir: string): () => void {
  const file = join(dataDir, SERVER_PID_FILE);
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
    } catch {
      /* already gone */
    }
  };
}

/** The pid of a live server holding the data dir, if any (a file left by a crashed server is ignored). */
export function serverHoldingDataDir(dataDir: string): number | null {
  const file = join(dataDir, SERVER_PID_FILE);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}


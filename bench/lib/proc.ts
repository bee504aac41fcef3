// Child processes for the bench: spawn, wait for HTTP readiness, read RSS, stop, and
// clean up everything on exit, failure or Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  startedAt: number;
  /** Last lines of stdout + stderr, for error messages. */
  tail: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exitCode?: number | null;
  /** Spawned as a process-group leader: signals go to the whole group. */
  detached: boolean;
}

const live = new Set<Child>();
const cleanups: Array<() => void> = [];

/** Register a synchronous cleanup to run at exit (temp dirs, PostgreSQL cluster). */
export function atExit(fn: () => void): void {
  cleanups.push(fn);
}

export function spawnChild(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, opts: { detached?: boolean } = {}): Child {
  const startedAt = performance.now();
  const proc = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached ?? false });
  const tail: string[] = [];
  const keep = (b: Buffer) => {
    for (const line of b.toString('utf8').split('\n')) if (line.trim()) tail.push(line);
    if (tail.length > 60) tail.splice(0, tail.length - 60);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const child: Child = {
    name,
    proc,
    pid: proc.pid ?? -1,
    startedAt,
    tail,
    detached: opts.detached ?? false,
    exited: new Promise((res) => {
      proc.on('exit', (code, signal) => {
        child.exitCode = code;
        live.delete(child);
        res({ code, signal });
      });
      proc.on('error', (err) => {
        tail.push(String(err));
        live.delete(child);
        res({ code: -1, signal: null });
      });
    }),
  };
  live.add(child);
  return child;
}

/** node --import tsx <script>: how `npm start` runs the server. */
export function spawnTsNode(name: string, script: string, env: NodeJS.ProcessEnv): Child {
  return spawnChild(name, process.execPath, ['--import', 'tsx', script], env);
}

export function isAlive(c: Child): boolean {
  return c.exitCode === undefined;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the time the process took to exit. */
export async function stopChild(c: Child, graceMs = 10_000): Promise<number> {
  const t0 = performance.now();
  if (!isAlive(c)) return 0;
  signal(c, 'SIGTERM');
  const timer = setTimeout(() => signal(c, 'SIGKILL'), graceMs);
  await c.exited;
  clearTimeout(timer);
  return performance.now() - t0;
}

function signal(c: Child, sig: NodeJS.Signals) {
  try {
    if (c.detached) process.kill(-c.pid, sig);
    else c.proc.kill(sig);
  } catch {
    /* already gone */
  }
}

/** Run a command to completion (with a time limit), collecting its output. */
export async function runCommand(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, onSpawn?: (c: Child) => void) {
  const c = spawnChild(name, cmd, args, env, { detached: true });
  onSpawn?.(c);
  let stdout = '';
  let stderr = '';
  c.proc.stdout!.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
  c.proc.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, timeoutMs);
  const { code } = await c.exited;
  clearTimeout(timer);
  return { code: timedOut ? -1 : code, stdout, stderr, timedOut, ms: performance.now() - c.startedAt };
}

/** GET `url` every `intervalMs` until it answers 200; resolves with ms since the child was spawned. */
export async function waitFor200(url: string, c: Child | undefined, timeoutMs = 120_000, intervalMs = 10): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (c && !isAlive(c)) throw new Error(`${c.name} exited (code ${c.exitCode}) before ${url} answered 200:\n  ${c.tail.slice(-15).join('\n  ')}`);
    const status = await getStatus(url).catch(() => 0);
    if (status === 200) return performance.now() - (c?.startedAt ?? 0);
    if (performance.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last status ${status})`);
    await sleep(intervalMs);
  }
}

function getStatus(url: string): Promise<number> {
  return new Promise((res, rej) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    });
    req.on('error', rej);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

/** Resident set (VmRSS) and peak (VmHWM) of a process, in MiB. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  return { rssMiB: round1(kb('VmRSS') / 1024), peakMiB: round1(kb('VmHWM') / 1024) };
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const round1 = (n: number) => Math.round(n * 10) / 10;

/** Kill every child still running and run the registered cleanups (synchronous: safe in 'exit'). */
export function cleanupSync(): void {
  for (const c of live) {
    try {
      if (c.detached) process.kill(-c.pid, 'SIGKILL');
      else c.proc.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
  live.clear();
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      fn();
    } catch (err) {
      process.stderr.write(`cleanup failed: ${(err as Error).message}\n`);
    }
  }
}

/** Stop live children gracefully (SIGTERM) before the synchronous cleanup. */
export async function cleanup(): Promise<void> {
  await Promise.all([...live].map((c) => stopChild(c, 5_000)));
  cleanupSync();
}

let installed = false;
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      process.stderr.write(`\n${sig}: stopping child processes and cleaning up…\n`);
      void cleanup().finally(() => process.exit(130));
    });
  }
}

export function runSync(cmd: string, args: string[]): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

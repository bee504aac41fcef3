// CPU used by other processes on the box during a measurement. The bench shares the
// machine (2 cores) with whatever else runs; a figure taken while something else burns
// CPU is not comparable, so every figure carries the share of the machine's CPU time
// that went to processes outside the bench (the harness, the server under test and the
// PostgreSQL cluster count as the bench).
import { readdirSync, readFileSync } from 'node:fs';
import { sleep } from './proc';

function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}

function pidStat(pid: number): { ppid: number; jiffies: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state ppid … utime(14th field overall = index 11 here) stime(12)
    return { ppid: Number(f[1]), jiffies: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

/** The bench's own processes: given roots plus all their descendants. */
function ownJiffies(roots: number[]): Map<number, number> {
  const stats = new Map<number, { ppid: number; jiffies: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = pidStat(Number(name));
    if (st) stats.set(Number(name), st);
  }
  const own = new Set(roots.filter((p) => p > 0));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, st] of stats) if (!own.has(pid) && own.has(st.ppid)) (own.add(pid), (grew = true));
  }
  const out = new Map<number, number>();
  for (const pid of own) {
    const st = stats.get(pid);
    if (st) out.set(pid, st.jiffies);
  }
  return out;
}

export class CpuMeter {
  private m0 = machineJiffies();
  private own0: Map<number, number>;
  constructor(private readonly roots: () => number[]) {
    this.own0 = ownJiffies(roots());
  }
  /** Percentage of the machine's CPU capacity used by other processes since construction. */
  foreignPct(): number {
    const m1 = machineJiffies();
    const own1 = ownJiffies(this.roots());
    let own = 0;
    for (const [pid, j] of own1) own += j - (this.own0.get(pid) ?? 0);
    const total = m1.total - this.m0.total;
    if (total <= 0) return 0;
    const foreign = Math.max(0, m1.busy - this.m0.busy - own);
    return Math.round((foreign / total) * 1000) / 10;
  }
}

/**
 * Wait (up to maxWaitMs) until other processes use less than `thresholdPct` of the
 * machine over a 1 s window. Returns how long it waited and the last reading.
 */
export async function waitQuiet(roots: () => number[], thresholdPct: number, maxWaitMs: number): Promise<{ waitedMs: number; foreignPct: number }> {
  const t0 = performance.now();
  for (;;) {
    const m = new CpuMeter(roots);
    await sleep(1000);
    const pct = m.foreignPct();
    const waited = performance.now() - t0;
    if (pct < thresholdPct || waited >= maxWaitMs) return { waitedMs: Math.round(waited - 1000), foreignPct: pct };
  }
}

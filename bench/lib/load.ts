// HTTP load with autocannon's programmatic API: a warm-up run (discarded), then the measured run.
import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  warmupS: number;
  durationS: number;
}

export interface LoadFigure {
  url: string;
  connections: number;
  warmupS: number;
  durationS: number;
  /** Average requests per second over the measured run. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  avgMs: number;
  maxMs: number;
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** False when any request failed or answered non-2xx: the figure must not be used. */
  valid: boolean;
  /** Share of the machine's CPU used by processes outside the bench during the measured run. */
  foreignCpuPct?: number;
}

export async function loadTest(
  url: string,
  s: LoadSettings,
  headers: Record<string, string> = {},
  meter?: () => { foreignPct(): number },
  request: { method?: 'GET' | 'POST'; body?: string } = {},
): Promise<LoadFigure> {
  if (s.warmupS > 0) await autocannon({ url, connections: s.connections, duration: s.warmupS, headers, ...request });
  const m = meter?.();
  const r = await autocannon({ url, connections: s.connections, duration: s.durationS, headers, ...request });
  const foreign = m?.foreignPct();
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  const ok2xx = r['2xx'];
  return {
    url,
    connections: s.connections,
    warmupS: s.warmupS,
    durationS: s.durationS,
    rps: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    avgMs: Math.round(r.latency.average * 100) / 100,
    maxMs: r.latency.max,
    requests: r.requests.total,
    ok2xx,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    valid: r.non2xx === 0 && r.errors === 0 && r.timeouts === 0 && ok2xx > 0,
    ...(foreign !== undefined ? { foreignCpuPct: foreign } : {}),
  };
}

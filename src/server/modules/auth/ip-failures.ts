import { LRUCache } from 'lru-cache';

/**
 * Failed sign-ins per client IP (security baseline L3): a token bucket of `capacity`
 * failures (default 100) refilling one every 864 s, i.e. 100 a day. An IP that has spent
 * its bucket gets 429 with Retry-After before any password is checked, whatever account it
 * names. Kept in process memory, like @fastify/rate-limit's default store.
 */
export class IpFailureBucket {
  private readonly buckets = new LRUCache<string, { tokens: number; at: number }>({ max: 100_000 });
  constructor(
    private readonly capacity = 100,
    private readonly refillMs = 864_000,
  ) {}

  private level(ip: string, now: number): { tokens: number; at: number } {
    const b = this.buckets.get(ip);
    if (!b) return { tokens: this.capacity, at: now };
    const refill = Math.floor((now - b.at) / this.refillMs);
    return refill > 0 ? { tokens: Math.min(this.capacity, b.tokens + refill), at: b.at + refill * this.refillMs } : b;
  }

  /** Seconds until this IP may try again, or 0 when it may now. */
  retryAfterS(ip: string, now: Date): number {
    const b = this.level(ip, now.getTime());
    return b.tokens >= 1 ? 0 : Math.ceil((b.at + this.refillMs - now.getTime()) / 1000);
  }

  /** Spend one token for a failed sign-in. */
  fail(ip: string, now: Date): void {
    const b = this.level(ip, now.getTime());
    this.buckets.set(ip, { tokens: Math.max(0, b.tokens - 1), at: b.tokens >= this.capacity ? now.getTime() : b.at });
  }
}

import { Cron } from 'croner';
import { appendAudit } from '../../core/audit';
import type { Db } from '../../db/database';
import { expireDueLeads } from './referrals.repo';

/**
 * A lead not accepted within 14 days expires (reference §1.14, issue 5). One idempotent UPDATE
 * does it: leads still `new` whose `expires_at` has passed become `expired`, with an audit
 * record each (actor `system`) in the same transaction. Running it again, or on several
 * servers at once, expires nothing twice (row locks with skip locked; the status is re-checked).
 * The inbox already shows such a lead as expired between two runs.
 */
const BATCH = 500;

export async function expireLeads(db: Db, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (tx) => {
      const rows = await expireDueLeads(tx, now, BATCH);
      for (const r of rows) {
        await appendAudit(tx, {
          partner_id: r.partner_id, at: now, actor_type: 'system', actor_id: null, action: 'lead.expired', target_type: 'lead', target_id: r.id, outcome: 'success',
          changes: { status: { before: 'new', after: 'expired' } }, ip: null, user_agent: 'expire-leads', request_id: null,
        });
      }
      return rows.length;
    });
    total += n;
    if (n < BATCH) return total;
  }
}

export interface ExpiryJob {
  /** Resolves when the run at start has finished. */
  ready: Promise<void>;
  stop(): void;
}

/** Every 10 minutes and once at start; a run still going blocks the next (protect). Errors are logged, never thrown. */
export function startLeadExpiryJob(db: Db, opts: { clock?: () => Date; log?: { info: (o: object, m: string) => void; error: (o: object, m: string) => void } } = {}): ExpiryJob {
  const clock = opts.clock ?? (() => new Date());
  const run = async () => {
    try {
      const n = await expireLeads(db, clock());
      if (n) opts.log?.info({ event: 'leads_expired', count: n }, 'leads expired');
    } catch (err) {
      opts.log?.error({ err, event: 'leads_expiry_failed' }, 'lead expiry failed');
    }
  };
  const job = new Cron('*/10 * * * *', { protect: true, unref: true }, run);
  return { ready: job.trigger(), stop: () => job.stop() };
}

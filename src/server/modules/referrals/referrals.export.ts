import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/database';
import { neutralise } from '../users/users.export';
import { leadBatch, teamOf, type LeadFilter, type Scope } from './referrals.repo';
import type { RequestContext } from '../../core/context';
import { requirePartnerActor } from '../../core/context';
import { effectiveStatus, filterOf, scopeOf } from './referrals.service';

/**
 * CSV export of the inbox (the same filters and visibility as `GET /v1/referrals`), streamed in
 * keyset batches so any number of leads takes constant memory. `LeadCreationDateTime` is the
 * reference's column name (§1.14). Expired leads keep their contact details hidden; every text
 * cell a spreadsheet would read as a formula is neutralised.
 */
export const LEAD_EXPORT_COLUMNS = [
  'LeadId', 'LeadCreationDateTime', 'Status', 'CustomerName', 'CustomerCompany', 'CustomerEmail', 'CustomerPhone', 'CustomerCountry', 'CompanySize', 'Need',
  'Reason', 'DealValue', 'Currency', 'Team', 'ExpiresAt',
] as const;
const BATCH = 1000;

async function* csvChunks(db: Db, s: Scope, f: LeadFilter): AsyncGenerator<string> {
  // A BOM, so spreadsheet software reads accents as UTF-8.
  yield '\uFEFF' + stringify([[...LEAD_EXPORT_COLUMNS]], { record_delimiter: 'windows' });
  let after: { key: string; id: string } | undefined;
  for (;;) {
    const rows = await leadBatch(db, s, f, BATCH, after);
    if (!rows.length) return;
    const team = await teamOf(db, s.partnerId, rows.map((r) => r.id));
    yield stringify(
      rows.map((l) => {
        const status = effectiveStatus(l, s.now);
        const hidden = status === 'expired';
        const members = team.filter((m) => m.lead_id === l.id).map((m) => `${m.first_name} ${m.last_name} <${m.email}>`);
        return [
          l.id, l.created_at.toISOString(), status, neutralise(l.customer_name), neutralise(l.customer_company), hidden ? '' : neutralise(l.customer_email),
          hidden ? '' : neutralise(l.customer_phone), l.customer_country, l.company_size, neutralise(l.need), neutralise(l.reason ?? ''), l.deal_value ?? '', l.currency ?? '',
          neutralise(members.join('; ')), l.expires_at.toISOString(),
        ];
      }),
      { record_delimiter: 'windows' },
    );
    if (rows.length < BATCH) return;
    const last = rows.at(-1)!;
    after = { key: last.created_at.toISOString(), id: last.id };
  }
}

export function exportLeadsCsv(db: Db, s: Scope, f: LeadFilter): Readable {
  return Readable.from(csvChunks(db, s, f), { objectMode: false });
}

/** The caller's export: what they may see, with the inbox's filters. */
export function exportLeads(ctx: RequestContext, f: LeadFilter & { assignedToMe?: boolean | undefined }): Readable {
  const p = requirePartnerActor(ctx);
  return exportLeadsCsv(ctx.db, scopeOf(ctx, p), filterOf(p, f));
}

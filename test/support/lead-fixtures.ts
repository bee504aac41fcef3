import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/server/db/database';

/**
 * A lead of `partnerId`, written as "Contact this partner" stores one (status new, 14 days to
 * answer), for suites that need a lead to name (routes table, authorization matrix) without
 * going through a published business profile.
 */
export async function insertLeadFixture(db: Db, partnerId: string, now: Date, over: { company?: string } = {}): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('leads')
    .values({
      id, partner_id: partnerId, business_profile_id: null, profile_country: 'FR', customer_name: 'Fixture Customer', customer_company: over.company ?? 'Fixture Buyer SA',
      customer_email: `buyer.${id.slice(0, 8)}@customer.example`, customer_phone: '+33612345678', customer_country: 'FR', company_size: 'small', need: 'A fixture need.',
      consent: true, status: 'new', reason: null, deal_value: null, currency: null, version: 1, created_at: now, updated_at: now, expires_at: new Date(now.getTime() + 14 * 86_400_000),
    })
    .execute();
  return id;
}

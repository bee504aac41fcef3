import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../core/audit';
import type { Config } from '../../core/config';
import { hashPassword } from '../../core/passwords';
import type { Db } from '../../db/database';
import { seedDemoBusinessProfile } from '../businessprofiles/demo-profile';
import { createOperator, generatePassword } from '../operators/operators.service';
import { seedDemoCatalog } from '../pricing/import/demo-catalog';
import { insertPartner } from '../partners/partners.repo';
import { roleCategory } from '../roles/roles.repo';
import { assignRole, insertUser } from '../users/users.repo';

export const DEMO_EMAIL = 'admin@contoso-demo.example';
export const DEMO_OPERATOR_EMAIL = 'operator@partner-space.example';

/**
 * On the first start of an empty database, create a demo partner (authorised, email
 * verified, MFA not required at sign-in) with a Global admin, and a demo operator, each with a generated password
 * that is printed once. Set DEMO=false to skip.
 */
export async function seedDemoOnFirstStart(db: Db, config: Config) {
  if (process.env.DEMO === 'false') return undefined;
  const marker = await db.selectFrom('meta').select('value').where('key', '=', 'demo_seeded').executeTakeFirst();
  if (marker) return undefined;
  const password = generatePassword();
  const partnerId = randomUUID();
  const userId = randomUUID();
  const now = new Date();
  const companyName = 'Contoso Demo SAS';
  const hash = await hashPassword(config.secrets.pepper, password);
  let operator: { password: string } | undefined;
  await db.transaction().execute(async (tx) => {
    await insertPartner(tx, {
      id: partnerId,
      companyName,
      country: 'FR',
      currency: 'EUR',
      address: { addressLine1: '12 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
      primaryContact: { firstName: 'Camille', lastName: 'Martin', email: DEMO_EMAIL, phoneNumber: '+33 1 23 45 67 89' },
      phone: '+33 1 23 45 67 89',
      website: 'https://contoso-demo.example',
      status: 'authorized',
      now,
    });
    // The demo company does not require MFA at sign-in, so a first look needs no authenticator
    // app; switch it on in Account settings → Overview → Security (new companies have it on).
    await tx.updateTable('partners').set({ mfa_required: false }).where('id', '=', partnerId).execute();
    await insertUser(tx, { id: userId, partnerId, email: DEMO_EMAIL, firstName: 'Camille', lastName: 'Martin', passwordHash: hash, emailVerified: true, locale: null, now });
    await assignRole(tx, { partnerId, userId, roleId: 'global-admin', category: roleCategory('global-admin') });
    await appendAudit(tx, { partner_id: partnerId, at: now, actor_type: 'system', actor_id: null, action: 'partner.demo_seeded', target_type: 'partner', target_id: partnerId, outcome: 'success', changes: null, ip: null, user_agent: null, request_id: null });
    // A published business profile (France), so the directory and the leads have something to show.
    await seedDemoBusinessProfile(tx, partnerId, now);
    await tx.insertInto('meta').values({ key: 'demo_seeded', value: now.toISOString() }).execute();
    const exists = await tx.selectFrom('operators').select('id').where('email_key', '=', DEMO_OPERATOR_EMAIL).executeTakeFirst();
    if (!exists) operator = await createOperator(tx, config.secrets.pepper, { email: DEMO_OPERATOR_EMAIL, displayName: 'Demo operator' });
  });
  // The catalog and FR/US price lists (last, this and next month), through the importer (outside the transaction: it batches).
  await seedDemoCatalog(db, now);
  return { companyName, email: DEMO_EMAIL, password, operatorEmail: DEMO_OPERATOR_EMAIL, operatorPassword: operator?.password ?? '(already created)' };
}

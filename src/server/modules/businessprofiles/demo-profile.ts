import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../core/audit';
import type { Db } from '../../db/database';
import { syncDirectoryEntry } from '../directory/directory.sync';
import { insertProfile, setStatus } from './businessprofiles.repo';

/**
 * The demo partner's published business profile for France (first start only), so the public
 * directory and the Referrals inbox have something to show. Written through the caller's
 * transaction, with its audit record, and put in the directory like any publication.
 */
export async function seedDemoBusinessProfile(tx: Db, partnerId: string, now: Date): Promise<string> {
  const id = randomUUID();
  await insertProfile(tx, {
    id,
    partnerId,
    country: 'FR',
    now,
    fields: {
      description: {
        fr: 'Contoso Demo accompagne les PME et ETI françaises dans leur passage au cloud : hébergement de vos applications, migration de la messagerie et des postes de travail, sécurité et support au quotidien. Nos équipes à Paris et à Lyon déploient et gèrent vos licences et vous forment à leur usage.',
        en: 'Contoso Demo helps French small and mid-sized companies move to the cloud: hosting your applications, migrating email and workstations, security and day-to-day support. Our teams in Paris and Lyon deploy and manage your licences and train your staff to use them.',
      },
      industries: ['retail', 'professional-services', 'healthcare'],
      products: ['office-suite', 'email-and-calendar', 'cloud-infrastructure', 'security-suite'],
      services: ['hosting', 'migration', 'managed-services', 'security', 'training'],
      skills: ['Kubernetes', 'PowerShell', 'Identity management'],
      customerSizes: ['small', 'medium'],
      website: 'https://contoso-demo.example',
      linkedIn: 'https://www.linkedin.com/company/contoso-demo',
      locations: [
        { addressLine1: '12 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
        { addressLine1: '10 quai Perrache', city: 'Lyon', postalCode: '69002', country: 'FR' },
      ],
      leadContact: { name: 'Camille Martin', email: 'admin@contoso-demo.example', phone: '+33123456789' },
    },
  });
  await setStatus(tx, partnerId, id, { status: 'published', version: 2, now });
  await appendAudit(tx, { partner_id: partnerId, at: now, actor_type: 'system', actor_id: null, action: 'businessprofile.published', target_type: 'businessprofile', target_id: id, outcome: 'success', changes: null, ip: null, user_agent: null, request_id: null });
  await syncDirectoryEntry(tx, id);
  return id;
}

import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { CUSTOMER_SIZES, INDUSTRIES, PRODUCTS, SERVICES } from '../../../shared/taxonomy';
import { upsertEntries } from '../directory/directory.repo';
import { BENCH_DOMAIN, dropSecondaryIndexes, uuidOf } from './bench';

/**
 * `partner-space seed-directory`: one published business profile for each of the first N
 * bench partners (`seed-bench` makes the partners), with French and English descriptions
 * assembled from varied phrases, tags, customer sizes, skills and the partner's address as
 * location, then their directory entries, with set-based SQL (one INSERT … SELECT per
 * batch of profiles). The profile of bench partner i has the id md5('bench-profile-i').
 *
 * The directory entries are computed by the same SQL as the live sync (`upsertEntries`),
 * so the data set is exactly what publishing these profiles one by one would give.
 */

export interface DirectorySeedOptions {
  profiles: number;
  batchSize?: number;
  replace?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface DirectorySeedResult {
  profiles: number;
  entries: number;
  ms: { profiles: number; entries: number; indexes: number; vacuum: number; total: number };
  rowsPerSecond: number;
}

// Paired phrases: the French and English descriptions of a profile say the same thing.
const ACTIVITIES: Array<[fr: string, en: string]> = [
  ['l’hébergement de vos applications métier', 'hosting your business applications'],
  ['la migration de vos serveurs vers le cloud', 'migrating your servers to the cloud'],
  ['le déploiement de la messagerie et de l’agenda', 'deploying email and calendars'],
  ['la sécurité de vos postes de travail', 'securing your workstations'],
  ['l’infogérance de votre infrastructure', 'managing your infrastructure'],
  ['l’intégration de votre CRM et de votre ERP', 'integrating your CRM and ERP'],
  ['la formation de vos équipes aux outils collaboratifs', 'training your teams on collaboration tools'],
  ['le développement d’applications sur mesure', 'building custom applications'],
  ['l’analyse de vos données et la création de tableaux de bord', 'analysing your data and building dashboards'],
  ['la téléphonie d’entreprise et les centres d’appels', 'business telephony and contact centres'],
  ['la gestion des licences et l’optimisation des coûts', 'licence management and cost optimisation'],
  ['la sauvegarde et la reprise après sinistre', 'backup and disaster recovery'],
  ['le support utilisateur en français et en anglais', 'user support in French and English'],
  ['la conformité au RGPD et la protection des données', 'GDPR compliance and data protection'],
  ['l’automatisation des processus avec Power Platform', 'process automation with Power Platform'],
  ['la modernisation de vos réseaux et de votre Wi-Fi', 'modernising your networks and Wi-Fi'],
  ['la gestion des appareils mobiles', 'mobile device management'],
  ['l’audit de votre système d’information', 'auditing your information systems'],
  ['la mise en place de l’authentification multifacteur', 'rolling out multi-factor authentication'],
  ['l’accompagnement au changement', 'change management'],
];
const OPENERS: Array<[fr: string, en: string]> = [
  ['Depuis plus de 15 ans, nous accompagnons nos clients dans', 'For more than 15 years we have helped our customers with'],
  ['Notre équipe d’experts certifiés prend en charge', 'Our team of certified experts takes care of'],
  ['Partenaire de proximité, nous sommes spécialisés dans', 'As a local partner, we specialise in'],
  ['Nous aidons les entreprises à réussir', 'We help companies succeed with'],
  ['Intégrateur indépendant, nous proposons', 'As an independent integrator, we offer'],
  ['Nos consultants interviennent sur', 'Our consultants work on'],
  ['Entreprise familiale, nous assurons', 'A family business, we provide'],
  ['Start-up innovante, nous réinventons', 'An innovative start-up, we reinvent'],
];
const AUDIENCES: Array<[fr: string, en: string]> = [
  ['pour les PME', 'for small and medium businesses'],
  ['pour les grands comptes', 'for large enterprises'],
  ['pour les collectivités et le secteur public', 'for local authorities and the public sector'],
  ['pour les cabinets d’avocats et d’expertise comptable', 'for law and accounting firms'],
  ['pour les établissements de santé', 'for healthcare providers'],
  ['pour les commerçants et les réseaux de magasins', 'for retailers and store networks'],
  ['pour l’industrie et la logistique', 'for manufacturing and logistics'],
  ['pour les écoles et les universités', 'for schools and universities'],
];
const CLOSERS: Array<[fr: string, en: string]> = [
  ['Devis gratuit sous 48 heures.', 'Free quote within 48 hours.'],
  ['Support 24 h/24 et 7 j/7.', 'Support around the clock, every day.'],
  ['Plus de 300 clients nous font confiance.', 'More than 300 customers trust us.'],
  ['Certifiés ISO 27001.', 'ISO 27001 certified.'],
  ['Interventions sur site ou à distance.', 'On-site or remote.'],
  ['Un interlocuteur unique pour tous vos projets.', 'One point of contact for all your projects.'],
];
const SKILLS = ['Power BI', 'Power Platform', 'SharePoint', 'Teams Phone', 'Azure Virtual Desktop', 'Intune', 'Defender', 'Dynamics 365', 'Exchange Online', 'PowerShell', 'Kubernetes', 'SQL Server', 'Windows Server', 'Copilot'];

const col = (pairs: Array<[string, string]>, i: 0 | 1) => pairs.map((p) => p[i]);

export async function directoryBenchExists(db: Db): Promise<boolean> {
  const r = await sql<{ one: number }>`select 1 as one from business_profiles where id = ${uuidOf(sql`'bench-profile-1'`)} limit 1`.execute(db);
  return r.rows.length > 0;
}

export async function clearDirectoryBench(db: Db): Promise<void> {
  // Cascades to directory_entries.
  await sql`delete from business_profiles where website like ${`https://%.${BENCH_DOMAIN}`}`.execute(db);
}

export async function seedDirectory(db: Db, opts: DirectorySeedOptions): Promise<DirectorySeedResult> {
  const { profiles } = opts;
  if (!Number.isInteger(profiles) || profiles < 1) throw new Error('profiles must be a positive integer');
  const batch = opts.batchSize ?? 25_000;
  const last = await sql<{ one: number }>`select 1 as one from partners where id = ${uuidOf(sql`${`bench-partner-${profiles}`}::text`)}`.execute(db);
  if (last.rows.length === 0) throw new Error(`Bench partner ${profiles} does not exist: run \`partner-space seed-bench --partners ${profiles}\` (or more) first.`);
  if (await directoryBenchExists(db)) {
    if (!opts.replace) throw new Error('Bench business profiles already exist; pass --replace to delete them first.');
    await clearDirectoryBench(db);
  }

  const t0 = performance.now();
  const ms = { profiles: 0, entries: 0, indexes: 0, vacuum: 0, total: 0 };
  let entries = 0;
  await db.transaction().execute(async (tx) => {
    // A batch can take longer than the server's 10 s statement limit on a busy machine.
    await sql`set local statement_timeout = 0`.execute(tx);
    const su = await sql<{ su: boolean }>`select rolsuper as su from pg_roles where rolname = current_user`.execute(tx);
    if (su.rows[0]?.su) await sql`set local session_replication_role = replica`.execute(tx);
    // The directory's GIN indexes are built once at the end (much faster than row by row).
    const deferred = await dropSecondaryIndexes(tx, ['directory_entries']);

    for (let lo = 1; lo <= profiles; lo += batch) {
      const hi = Math.min(profiles, lo + batch - 1);
      let t = performance.now();
      // h: a hash per profile; the language mix: 80 % fr + en, French-speaking countries 15 % fr only, others 15 % en only, 5 % the other one only.
      await sql`
        insert into business_profiles (id, partner_id, country, status, description, industries, products, services, skills, customer_sizes,
                                       website, linkedin, locations, lead_contact, version, created_at, updated_at, published_at)
        select ${uuidOf(sql`'bench-profile-' || g.i`)}, g.partner_id, g.country, 'published',
          case
            when g.h % 100 < 80 then jsonb_build_object('fr', g.fr, 'en', g.en)
            when (g.h % 100 < 95) = (g.country in ('FR', 'BE', 'CH', 'CA')) then jsonb_build_object('fr', g.fr)
            else jsonb_build_object('en', g.en)
          end,
          array(select distinct (${INDUSTRIES}::text[])[1 + (g.h / 3 + k * 7) % ${INDUSTRIES.length}] from generate_series(1, 1 + g.h % 3) k),
          array(select distinct (${PRODUCTS}::text[])[1 + (g.h / 5 + k * 3) % ${PRODUCTS.length}] from generate_series(1, 1 + (g.h / 11) % 3) k),
          array(select distinct (${SERVICES}::text[])[1 + (g.h / 13 + k * 5) % ${SERVICES.length}] from generate_series(1, 1 + (g.h / 17) % 3) k),
          array(select distinct (${SKILLS}::text[])[1 + (g.h / 19 + k * 5) % ${SKILLS.length}] from generate_series(1, (g.h / 23) % 3) k),
          array(select distinct (${CUSTOMER_SIZES}::text[])[1 + (g.h / 29 + k) % ${CUSTOMER_SIZES.length}] from generate_series(1, 1 + (g.h / 31) % 2) k),
          g.website, 'https://www.linkedin.com/company/partner' || g.i,
          jsonb_build_array(g.address),
          jsonb_build_object('name', 'Bench lead ' || g.i, 'email', 'leads-' || g.i || '@partner' || g.i || '.' || ${BENCH_DOMAIN}::text),
          1, g.at, g.at, g.at
        from (
          select i, h, at, partner_id, country, website, address,
            o_fr || ' ' || a1_fr || ' et ' || a2_fr || ' ' || au_fr || ', à ' || coalesce(city, 'distance') || '. ' || c_fr as fr,
            o_en || ' ' || a1_en || ' and ' || a2_en || ' ' || au_en || ', in ' || coalesce(city, 'your region') || '. ' || c_en as en
          from (
            select i, h, now() - ((h % 700) || ' days')::interval as at, pa.id as partner_id, pa.country, pa.website, pa.address, pa.address ->> 'city' as city,
              (${col(OPENERS, 0)}::text[])[1 + h % ${OPENERS.length}] as o_fr, (${col(OPENERS, 1)}::text[])[1 + h % ${OPENERS.length}] as o_en,
              (${col(ACTIVITIES, 0)}::text[])[1 + (h / 7) % ${ACTIVITIES.length}] as a1_fr, (${col(ACTIVITIES, 1)}::text[])[1 + (h / 7) % ${ACTIVITIES.length}] as a1_en,
              (${col(ACTIVITIES, 0)}::text[])[1 + (h / 7 + 1 + (h / 37) % 18) % ${ACTIVITIES.length}] as a2_fr,
              (${col(ACTIVITIES, 1)}::text[])[1 + (h / 7 + 1 + (h / 37) % 18) % ${ACTIVITIES.length}] as a2_en,
              (${col(AUDIENCES, 0)}::text[])[1 + (h / 41) % ${AUDIENCES.length}] as au_fr, (${col(AUDIENCES, 1)}::text[])[1 + (h / 41) % ${AUDIENCES.length}] as au_en,
              (${col(CLOSERS, 0)}::text[])[1 + (h / 43) % ${CLOSERS.length}] as c_fr, (${col(CLOSERS, 1)}::text[])[1 + (h / 43) % ${CLOSERS.length}] as c_en
            from (select i, abs(hashint4(i + 7919)::bigint) as h from generate_series(${lo}::int, ${hi}::int) as i) s
            join partners pa on pa.id = ${uuidOf(sql`'bench-partner-' || s.i`)}
          ) w
        ) g`.execute(tx);
      ms.profiles += performance.now() - t;

      t = performance.now();
      entries += await upsertEntries(tx, sql`bp.id in (select ${uuidOf(sql`'bench-profile-' || i`)} from generate_series(${lo}::int, ${hi}::int) as i)`);
      ms.entries += performance.now() - t;
      opts.onProgress?.(hi, profiles);
    }
    const t = performance.now();
    for (const d of deferred) await sql.raw(d.indexdef).execute(tx);
    ms.indexes = performance.now() - t;
  });

  const t = performance.now();
  await db.connection().execute(async (c) => {
    await sql`set statement_timeout = 0`.execute(c);
    await sql`vacuum (analyze) business_profiles, directory_entries`.execute(c);
    await sql`reset statement_timeout`.execute(c);
  });
  ms.vacuum = performance.now() - t;
  ms.total = performance.now() - t0;
  const rowsPerSecond = Math.round((profiles + entries) / (ms.total / 1000));
  for (const k of Object.keys(ms) as Array<keyof typeof ms>) ms[k] = Math.round(ms[k]);
  return { profiles, entries, ms, rowsPerSecond };
}

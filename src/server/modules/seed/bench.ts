import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { currencyOf } from '../../core/schemas';
import { hashPassword } from '../../core/passwords';
import type { Db } from '../../db/database';
import { roleCategory } from '../roles/roles.repo';

/**
 * Benchmark data set: a large, realistic partner programme generated with set-based SQL
 * (`insert … select … from generate_series`), one statement per batch of partners, so
 * it is fast on PostgreSQL and does not exhaust PGlite's WASM memory.
 *
 * Everything bench-made is recognisable: partner websites and user emails end in
 * `.bench.example`. Ids are derived from md5 of the row number (valid v4 UUIDs, random
 * order like real ones), so the same row number always gets the same id.
 * Every bench user shares ONE argon2 hash of the bench password, computed once.
 */

export const BENCH_DOMAIN = 'bench.example';
export const benchAdminEmail = (partner: number) => `bench-admin-${partner}@partner${partner}.${BENCH_DOMAIN}`;
export const benchUserEmail = (partner: number, user: number) => `bench-user-${user}-${partner}@partner${partner}.${BENCH_DOMAIN}`;

export interface BenchSeedOptions {
  partners: number;
  usersPerPartner: number;
  /** Defaults to a random password, returned in the result. */
  password?: string;
  /** Partners per INSERT statement (default 50,000). */
  batchSize?: number;
  /** Drop the secondary indexes and rebuild them after the load (default true; one transaction either way). */
  deferIndexes?: boolean;
  /** Delete existing bench data first instead of refusing. */
  replace?: boolean;
  /** Extra users for partner 1 (its users list is then measured at this size). */
  bigPartnerUsers?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface BenchSeedResult {
  partners: number;
  users: number;
  userRoles: number;
  password: string;
  /** Global admin of partner 1. */
  signInEmail: string;
  ms: { hash: number; partners: number; users: number; userRoles: number; indexes: number; vacuum: number; total: number };
  rowsPerSecond: number;
}

// Word lists: ASCII only, so lower() is the same as companyNameKey().
const NAME_A = [
  'Acme', 'Alpine', 'Apex', 'Arcadia', 'Atlas', 'Aurora', 'Azure', 'Beacon', 'Blue', 'Boreal', 'Bright', 'Cedar', 'Cobalt', 'Contoso',
  'Coral', 'Crest', 'Delta', 'Ember', 'Evergreen', 'Fabrikam', 'Falcon', 'Fjord', 'Granite', 'Harbor', 'Horizon', 'Iris', 'Juniper',
  'Keystone', 'Lakeside', 'Litware', 'Lumen', 'Maple', 'Meridian', 'Nimbus', 'Northwind', 'Nova', 'Oak', 'Orion', 'Pioneer', 'Polar',
  'Quartz', 'Redwood', 'Riverbend', 'Sable', 'Sierra', 'Silver', 'Solstice', 'Summit', 'Tailspin', 'Terra', 'Tidal', 'Trinity',
  'Vertex', 'Vista', 'Wide World', 'Willow', 'Woodgrove', 'Zenith',
];
const NAME_B = [
  'Analytics', 'Cloud', 'Consulting', 'Data', 'Digital', 'Networks', 'Software', 'Systems', 'Solutions', 'Technologies', 'Logistics',
  'Services', 'Security', 'Labs', 'Partners', 'Integration', 'Infrastructure', 'Computing', 'Telecom', 'Automation', 'Media', 'Energy',
  'Health', 'Finance', 'Retail', 'Robotics', 'Devices', 'Learning', 'Interactive', 'Dynamics',
];
const FIRST = ['Camille', 'Louis', 'Emma', 'Lucas', 'Olivia', 'Noah', 'Sophia', 'Liam', 'Mia', 'Hugo', 'Lea', 'Jonas', 'Anna', 'Ben', 'Clara', 'Finn', 'Grace', 'Oliver', 'Amelia', 'Jack', 'Chloe', 'Arthur', 'Ines', 'Mateo', 'Yuki', 'Aarav', 'Priya', 'Sofia', 'Lars', 'Elena'];
const LAST = ['Martin', 'Bernard', 'Dubois', 'Smith', 'Johnson', 'Williams', 'Muller', 'Schmidt', 'Schneider', 'Jones', 'Taylor', 'Brown', 'Garcia', 'Rossi', 'Jansen', 'Peeters', 'Tremblay', 'Sato', 'Kumar', 'Silva', 'Nguyen', 'Kowalski', 'Andersson', 'Lefebvre', 'Moreau', 'Fischer', 'Evans', 'Lopez', 'Bianchi', 'Wilson'];

/** Country mix (weights sum to 100) with cities; the currency comes from currencyOf(). */
const COUNTRIES: Array<{ code: string; weight: number; dial: string; suffixes: string[]; streets: string[]; cities: Array<[city: string, postal: string]> }> = [
  { code: 'FR', weight: 24, dial: '+33 1', suffixes: ['SAS', 'SARL', 'SA'], streets: ['rue de la Paix', 'avenue Victor Hugo', 'boulevard Voltaire', 'rue du Commerce'], cities: [['Paris', '75002'], ['Lyon', '69002'], ['Marseille', '13001'], ['Toulouse', '31000'], ['Nantes', '44000'], ['Lille', '59000']] },
  { code: 'US', weight: 20, dial: '+1 555', suffixes: ['Inc', 'LLC', 'Corp'], streets: ['Main Street', 'Park Avenue', 'Market Street', 'Oak Street'], cities: [['New York', '10001'], ['Seattle', '98101'], ['Austin', '73301'], ['Chicago', '60601'], ['Boston', '02108']] },
  { code: 'DE', weight: 14, dial: '+49 30', suffixes: ['GmbH', 'AG', 'KG'], streets: ['Hauptstrasse', 'Bahnhofstrasse', 'Gartenweg'], cities: [['Berlin', '10115'], ['Munich', '80331'], ['Hamburg', '20095'], ['Cologne', '50667']] },
  { code: 'GB', weight: 12, dial: '+44 20', suffixes: ['Ltd', 'PLC', 'LLP'], streets: ['High Street', 'Station Road', 'Church Lane'], cities: [['London', 'EC1A 1BB'], ['Manchester', 'M1 1AE'], ['Leeds', 'LS1 1UR'], ['Bristol', 'BS1 4DJ']] },
  { code: 'ES', weight: 6, dial: '+34 91', suffixes: ['SL', 'SA'], streets: ['Calle Mayor', 'Gran Via'], cities: [['Madrid', '28001'], ['Barcelona', '08001']] },
  { code: 'IT', weight: 5, dial: '+39 02', suffixes: ['SRL', 'SpA'], streets: ['Via Roma', 'Corso Italia'], cities: [['Milan', '20121'], ['Rome', '00118']] },
  { code: 'NL', weight: 4, dial: '+31 20', suffixes: ['BV', 'NV'], streets: ['Kerkstraat', 'Dorpsstraat'], cities: [['Amsterdam', '1012 AB'], ['Rotterdam', '3011 AA']] },
  { code: 'BE', weight: 3, dial: '+32 2', suffixes: ['SRL', 'BV'], streets: ['rue Royale', 'Kerkstraat'], cities: [['Brussels', '1000'], ['Antwerp', '2000']] },
  { code: 'CA', weight: 3, dial: '+1 416', suffixes: ['Inc', 'Ltd'], streets: ['King Street', 'Queen Street'], cities: [['Toronto', 'M5H 2N2'], ['Montreal', 'H2Y 1C6']] },
  { code: 'CH', weight: 2, dial: '+41 44', suffixes: ['AG', 'SA'], streets: ['Bahnhofstrasse', 'rue du Rhone'], cities: [['Zurich', '8001'], ['Geneva', '1201']] },
  { code: 'JP', weight: 2, dial: '+81 3', suffixes: ['KK', 'GK'], streets: ['Chuo-dori', 'Meiji-dori'], cities: [['Tokyo', '100-0001'], ['Osaka', '530-0001']] },
  { code: 'IN', weight: 2, dial: '+91 80', suffixes: ['Pvt Ltd'], streets: ['MG Road', 'Brigade Road'], cities: [['Bengaluru', '560001'], ['Mumbai', '400001']] },
  { code: 'BR', weight: 1, dial: '+55 11', suffixes: ['Ltda'], streets: ['Avenida Paulista'], cities: [['Sao Paulo', '01000-000']] },
  { code: 'AU', weight: 1, dial: '+61 2', suffixes: ['Pty Ltd'], streets: ['George Street'], cities: [['Sydney', '2000']] },
  { code: 'SE', weight: 1, dial: '+46 8', suffixes: ['AB'], streets: ['Drottninggatan'], cities: [['Stockholm', '111 20']] },
];

/** Role sets for non-admin users: at most one role per category each (checked below). */
const ROLE_PATTERNS: string[][] = [
  [],
  ['sales-agent'],
  ['helpdesk-agent'],
  ['billing-admin'],
  ['user-management-admin', 'referrals-user'],
  ['admin-agent', 'incentives-user', 'report-viewer'],
  ['compliance-admin', 'executive-report-viewer'],
  ['account-admin', 'business-profile-admin'],
  ['partner-programme-admin', 'incentives-admin', 'referrals-admin'],
  ['sales-agent', 'report-viewer'],
];

/** 100 weighted slots: slot → (country, currency, city, postal code, legal suffix, street, dialling prefix). */
function countrySlots() {
  const slot = { country: [] as string[], currency: [] as string[], city: [] as string[], postal: [] as string[], suffix: [] as string[], street: [] as string[], dial: [] as string[] };
  for (const c of COUNTRIES) {
    const currency = currencyOf(c.code);
    if (!currency) throw new Error(`no currency for ${c.code}`);
    for (let k = 0; k < c.weight; k++) {
      const [city, postal] = c.cities[k % c.cities.length]!;
      slot.country.push(c.code);
      slot.currency.push(currency);
      slot.city.push(city);
      slot.postal.push(postal);
      slot.suffix.push(c.suffixes[k % c.suffixes.length]!);
      slot.street.push(c.streets[k % c.streets.length]!);
      slot.dial.push(c.dial);
    }
  }
  if (slot.country.length !== 100) throw new Error('country weights must sum to 100');
  return slot;
}

function rolePatternRows() {
  const pat: number[] = [];
  const role: string[] = [];
  const cat: string[] = [];
  ROLE_PATTERNS.forEach((roles, i) => {
    const cats = roles.map(roleCategory);
    if (new Set(cats).size !== cats.length) throw new Error(`role pattern ${i} has two roles in one category`);
    roles.forEach((r, k) => {
      pat.push(i);
      role.push(r);
      cat.push(cats[k]!);
    });
  });
  return { pat, role, cat };
}

/** SQL for a deterministic, random-looking v4 UUID from a text seed. */
export const uuidOf = (seed: ReturnType<typeof sql>) =>
  sql`(overlay(overlay(md5(${seed}) placing '4' from 13) placing '8' from 17))::uuid`;

/** Drop the indexes that do not back a constraint (primary keys stay: foreign keys use them); returns their definitions. */
export async function dropSecondaryIndexes(db: Db, tables: string[]) {
  const r = await sql<{ name: string; indexdef: string }>`
    select i.indexname as name, i.indexdef
    from pg_indexes i
    join pg_class c on c.relname = i.indexname and c.relnamespace = (select oid from pg_namespace where nspname = i.schemaname)
    where i.schemaname = current_schema() and i.tablename in (${sql.join(tables)})
      and not exists (select 1 from pg_constraint k where k.conindid = c.oid)
    order by i.tablename, i.indexname`.execute(db);
  for (const d of r.rows) await sql`drop index ${sql.id(d.name)}`.execute(db);
  return r.rows;
}

export async function benchDataExists(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('email_key', '=', benchAdminEmail(1)).executeTakeFirst();
  return row !== undefined;
}

export async function clearBenchData(db: Db): Promise<void> {
  // Cascades to users, user_roles, sessions, email_verifications.
  await sql`delete from partners where website like ${`https://%.${BENCH_DOMAIN}`}`.execute(db);
  await db.deleteFrom('meta').where('key', '=', 'bench_seeded').execute();
}

export async function seedBench(db: Db, pepper: Buffer, opts: BenchSeedOptions): Promise<BenchSeedResult> {
  const { partners, usersPerPartner } = opts;
  if (!Number.isInteger(partners) || partners < 1) throw new Error('partners must be a positive integer');
  if (!Number.isInteger(usersPerPartner) || usersPerPartner < 1) throw new Error('usersPerPartner must be at least 1 (the Global admin)');
  const batch = opts.batchSize ?? 50_000;
  if (await benchDataExists(db)) {
    if (!opts.replace) throw new Error('Bench data already exists (users @partnerN.bench.example); pass --replace to delete it first.');
    await clearBenchData(db);
  }

  const t0 = performance.now();
  const password = opts.password ?? `bench-${randomBytes(12).toString('base64url')}`;
  const hash = await hashPassword(pepper, password);
  const tHash = performance.now();

  const slot = countrySlots();
  const rp = rolePatternRows();
  const ms = { hash: tHash - t0, partners: 0, users: 0, userRoles: 0, indexes: 0, vacuum: 0, total: 0 };
  const U = usersPerPartner;
  let userRoles = 0;
  const domain = BENCH_DOMAIN;

  // One transaction: a failure leaves the database as it was (DDL is transactional).
  await db.transaction().execute(async (tx) => {
    // The generated rows are consistent by construction: skip the per-row foreign-key
    // triggers when allowed (superuser; always on PGlite), and build the secondary
    // indexes once at the end (a sorted build) instead of maintaining them row by row.
    const su = await sql<{ su: boolean }>`select rolsuper as su from pg_roles where rolname = current_user`.execute(tx);
    if (su.rows[0]?.su) await sql`set local session_replication_role = replica`.execute(tx);
    const deferred = opts.deferIndexes === false ? [] : await dropSecondaryIndexes(tx, ['partners', 'users', 'user_roles']);


    /** Users j = jFrom..jTo of partners lo..hi, with their roles. */
    const usersAndRoles = async (tx: Db, lo: number, hi: number, jFrom: number, jTo: number) => {
      // Users: j = 1 is the partner's Global admin.
      let t = performance.now();
    await sql`
      insert into users (id, partner_id, email, email_key, first_name, last_name, password_hash, status, email_verified_at, locale, must_change_password, created_at, updated_at)
      select ${uuidOf(sql`'bench-user-' || i || '-' || j`)},
        ${uuidOf(sql`'bench-partner-' || i`)},
        email, email, (${FIRST}::text[])[1 + h % ${FIRST.length}], (${LAST}::text[])[1 + (h / 31) % ${LAST.length}],
        ${hash}::text, 'active', now(), (array[null, 'fr', 'en'])[1 + (h / 7) % 3], false, now(), now()
      from (
        select i, j, abs(hashint4(i * 64 + j)::bigint) as h,
          case when j = 1 then 'bench-admin-' || i else 'bench-user-' || j || '-' || i end || '@partner' || i || '.' || ${domain}::text as email
        from generate_series(${lo}::int, ${hi}::int) as i, generate_series(${jFrom}::int, ${jTo}::int) as j
      ) u`.execute(tx);
    ms.users += performance.now() - t;

    // Roles: Global admin for j = 1; a hash-picked pattern of built-in roles for the others.
    t = performance.now();
    const r = await sql`
      insert into user_roles (partner_id, user_id, role_id, category)
      select ${uuidOf(sql`'bench-partner-' || u.i`)}, ${uuidOf(sql`'bench-user-' || u.i || '-' || u.j`)}, r.role_id, r.category
      from (
        select i, j, case when j = 1 then -1 else abs(hashint4(i * 64 + j + 7)::bigint) % ${ROLE_PATTERNS.length} end as pat
        from generate_series(${lo}::int, ${hi}::int) as i, generate_series(${jFrom}::int, ${jTo}::int) as j
      ) u
      join (
        select -1 as pat, 'global-admin' as role_id, 'admin' as category
        union all
        select * from unnest(${rp.pat}::int[], ${rp.role}::text[], ${rp.cat}::text[])
      ) r on r.pat = u.pat`.execute(tx);
    userRoles += Number(r.numAffectedRows ?? 0);
    ms.userRoles += performance.now() - t;
    };

    for (let lo = 1; lo <= partners; lo += batch) {
      const hi = Math.min(partners, lo + batch - 1);
      let t = performance.now();
      // Partners. Hash-picked words; the row number keeps (country, name) unique.
      await sql`
        insert into partners (id, company_name, company_name_key, country, currency, address, primary_contact, phone, website, status, mfa_required, user_count, created_at, updated_at)
        select id, name, lower(name), country, currency,
          jsonb_build_object('addressLine1', (1 + i % 240) || ' ' || street, 'city', city, 'postalCode', postal, 'country', country),
          jsonb_build_object('firstName', fn, 'lastName', ln, 'email', 'bench-admin-' || i || '@partner' || i || '.' || ${domain}::text,
                             'phoneNumber', phone),
          phone,
          'https://partner' || i || '.' || ${domain}::text,
          case when i = 1 or h % 100 < 90 then 'authorized' when h % 100 < 97 then 'pending_verification' else 'rejected' end,
          -- MFA not required at sign-in, so the load generator signs in with a password alone.
          false,
          ${U}::integer,
          created, created
        from (
          select i, g.id, g.h, g.created,
            (${NAME_A}::text[])[1 + g.h % ${NAME_A.length}] || ' ' || (${NAME_B}::text[])[1 + (g.h / 7) % ${NAME_B.length}] || ' '
              || i || ' ' || (${slot.suffix}::text[])[1 + g.s] as name,
            (${slot.country}::text[])[1 + g.s] as country,
            (${slot.currency}::text[])[1 + g.s] as currency,
            (${slot.city}::text[])[1 + g.s] as city,
            (${slot.postal}::text[])[1 + g.s] as postal,
            (${slot.street}::text[])[1 + g.s] as street,
            (${slot.dial}::text[])[1 + g.s] || ' ' || lpad((g.h % 100000000)::text, 8, '0') as phone,
            (${FIRST}::text[])[1 + (g.h / 13) % ${FIRST.length}] as fn,
            (${LAST}::text[])[1 + (g.h / 17) % ${LAST.length}] as ln
          from (
            select i, ${uuidOf(sql`'bench-partner-' || i`)} as id,
              abs(hashint4(i)::bigint) as h,
              (i * 61) % 100 as s,
              now() - ((i % 1500) || ' days')::interval as created
            from generate_series(${lo}::int, ${hi}::int) as i
          ) g
        ) p`.execute(tx);
      ms.partners += performance.now() - t;

      await usersAndRoles(tx, lo, hi, 1, U);
      opts.onProgress?.(hi, partners);
    }

    if (opts.bigPartnerUsers) await usersAndRoles(tx, 1, 1, U + 1, U + opts.bigPartnerUsers);
    let t = performance.now();
    for (const d of deferred) await sql.raw(d.indexdef).execute(tx);
    // The per-partner user counters are kept by triggers, which replica mode skips: the
    // partners were inserted with their count, and partner 1 gets its extra users here.
    if (opts.bigPartnerUsers) await sql`update partners set user_count = user_count + ${opts.bigPartnerUsers}::integer where id = (select partner_id from users where email_key = ${benchAdminEmail(1)})`.execute(tx);
    ms.indexes = performance.now() - t;
  });

  // Leave the tables as a long-running database would have them: statistics, visibility
  // map and hint bits set, dirty pages flushed; otherwise autovacuum and the first reads
  // do this work during the measurements that follow.
  let t = performance.now();
  await sql`vacuum (analyze) partners, users, user_roles`.execute(db);
  try {
    await sql`checkpoint`.execute(db);
  } catch {
    /* needs superuser or pg_checkpoint: not essential */
  }
  ms.vacuum = performance.now() - t;
  await db
    .insertInto('meta')
    .values({ key: 'bench_seeded', value: JSON.stringify({ partners, usersPerPartner, at: new Date().toISOString() }) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
    .execute();
  ms.total = performance.now() - t0;

  const users = partners * U + (opts.bigPartnerUsers ?? 0);
  const rowsPerSecond = Math.round((partners + users + userRoles) / ((ms.total - ms.hash) / 1000));
  for (const k of Object.keys(ms) as Array<keyof typeof ms>) ms[k] = Math.round(ms[k]);
  return { partners, users, userRoles, password, signInEmail: benchAdminEmail(1), ms, rowsPerSecond };
}

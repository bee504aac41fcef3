import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/database';
import type { Database, LeadStatus } from '../../db/schema';

/**
 * SQL of the leads. Every query takes the partner id (the tenant) first; a Referrals user's
 * reads also take `memberId`: only the leads whose team they are on.
 */
const columns = [
  'l.id', 'l.partner_id', 'l.business_profile_id', 'l.profile_country', 'l.customer_name', 'l.customer_company', 'l.customer_email', 'l.customer_phone',
  'l.customer_country', 'l.company_size', 'l.need', 'l.consent', 'l.status', 'l.reason', 'l.deal_value', 'l.currency', 'l.version', 'l.created_at', 'l.updated_at',
  'l.expires_at',
] as const;

type LeadQuery<O> = SelectQueryBuilder<Database & { l: Database['leads'] }, 'l', O>;

export interface LeadFilter {
  q?: string | undefined;
  status?: LeadStatus | undefined;
  country?: string | undefined;
  companySize?: string | undefined;
  /** Only the leads whose team this user is on (assignedTo=me). */
  assignedTo?: string | undefined;
  createdFrom?: Date | undefined;
  /** Exclusive. */
  createdBefore?: Date | undefined;
}

export interface Scope {
  partnerId: string;
  /** Set for someone without referrals.manage: they see only the leads whose team they are on ('' for an app: none). */
  memberId?: string | undefined;
  now: Date;
}

const onTeam = (eb: ExpressionBuilder<Database & { l: Database['leads'] }, 'l'>, userId: string) =>
  eb.exists(eb.selectFrom('lead_team as t').select('t.lead_id').whereRef('t.lead_id', '=', 'l.id').whereRef('t.partner_id', '=', 'l.partner_id').where('t.user_id', '=', userId));

/** Escape LIKE's wildcards in what a person typed. */
const likeOf = (s: string) => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The filters shared by the inbox, its count and the CSV export. A lead still `new` past its
 * expiry (the job runs every 10 minutes) already counts as expired.
 */
function filtered<O>(q: LeadQuery<O>, s: Scope, f: LeadFilter): LeadQuery<O> {
  q = q.where('l.partner_id', '=', s.partnerId);
  if (s.memberId !== undefined) {
    const member = s.memberId;
    q = q.where((eb) => onTeam(eb, member));
  }
  if (f.assignedTo) {
    const me = f.assignedTo;
    q = q.where((eb) => onTeam(eb, me));
  }
  if (f.status === 'new') q = q.where('l.status', '=', 'new').where('l.expires_at', '>', s.now);
  else if (f.status === 'expired') q = q.where((eb) => eb.or([eb('l.status', '=', 'expired'), eb.and([eb('l.status', '=', 'new'), eb('l.expires_at', '<=', s.now)])]));
  else if (f.status) q = q.where('l.status', '=', f.status);
  if (f.country) q = q.where('l.customer_country', '=', f.country);
  if (f.companySize) q = q.where('l.company_size', '=', f.companySize);
  if (f.createdFrom) q = q.where('l.created_at', '>=', f.createdFrom);
  if (f.createdBefore) q = q.where('l.created_at', '<', f.createdBefore);
  if (f.q) q = q.where(sql<boolean>`l.search_text like ${likeOf(f.q)}`);
  return q;
}

/** One page of the inbox, newest first (keyset on created_at desc, id desc), with the total for the same filters. */
export async function listLeads(db: Db, s: Scope, f: LeadFilter, page: { size: number; after?: { key: string; id: string } | undefined }) {
  const [rows, total] = await Promise.all([
    leadBatch(db, s, f, page.size + 1, page.after),
    filtered(db.selectFrom('leads as l').select((eb) => eb.fn.countAll<number>().as('n')), s, f).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.slice(0, page.size), hasMore: rows.length > page.size, totalCount: Number(total.n) };
}

/** Up to `size` leads after the keyset position, newest first (the inbox's pages and the CSV export's batches). */
export function leadBatch(db: Db, s: Scope, f: LeadFilter, size: number, after: { key: string; id: string } | undefined) {
  let q = filtered(db.selectFrom('leads as l').select(columns), s, f);
  if (after) q = q.where(sql<boolean>`(l.created_at, l.id) < (${new Date(after.key)}::timestamptz, ${after.id}::uuid)`);
  return q.orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(size).execute();
}

export type LeadRow = Awaited<ReturnType<typeof listLeads>>['rows'][number];

/** One lead the caller may see (tenant, and team for a Referrals user). */
export function findLead(db: Db, s: Scope, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = filtered(db.selectFrom('leads as l').select(columns), s, {}).where('l.id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function teamOf(db: Db, partnerId: string, leadIds: string[]) {
  if (!leadIds.length) return Promise.resolve([]);
  return db
    .selectFrom('lead_team as t')
    .innerJoin('users as u', (j) => j.onRef('u.id', '=', 't.user_id').onRef('u.partner_id', '=', 't.partner_id'))
    .select(['t.lead_id', 'u.id', 'u.first_name', 'u.last_name', 'u.email'])
    .where('t.partner_id', '=', partnerId)
    .where('t.lead_id', 'in', leadIds)
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .execute();
}

export function notesOf(db: Db, partnerId: string, leadId: string) {
  return db
    .selectFrom('lead_notes')
    .select(['id', 'author_id', 'author_name', 'text', 'created_at'])
    .where('partner_id', '=', partnerId)
    .where('lead_id', '=', leadId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** What a visitor gives in the directory's contact form. */
export interface LeadContact {
  name: string;
  company: string;
  email: string;
  phone: string;
  country: string;
  companySize: string;
  need: string;
}

export interface NewLead extends LeadContact {
  id: string;
  partnerId: string;
  businessProfileId: string;
  profileCountry: string;
  now: Date;
  expiresAt: Date;
}

export async function insertLead(db: Db, l: NewLead) {
  await db
    .insertInto('leads')
    .values({
      id: l.id, partner_id: l.partnerId, business_profile_id: l.businessProfileId, profile_country: l.profileCountry, customer_name: l.name, customer_company: l.company,
      customer_email: l.email, customer_phone: l.phone, customer_country: l.country, company_size: l.companySize, need: l.need, consent: true, status: 'new',
      reason: null, deal_value: null, currency: null, version: 1, created_at: l.now, updated_at: l.now, expires_at: l.expiresAt,
    })
    .execute();
}

export async function updateLeadRow(
  db: Db,
  partnerId: string,
  id: string,
  v: { status: LeadStatus; reason: string | null; dealValue: string | null; currency: string | null; version: number; now: Date },
) {
  await db
    .updateTable('leads')
    .set({ status: v.status, reason: v.reason, deal_value: v.dealValue, currency: v.currency, version: v.version, updated_at: v.now })
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .execute();
}

export async function replaceTeam(db: Db, partnerId: string, leadId: string, userIds: string[], now: Date) {
  await db.deleteFrom('lead_team').where('partner_id', '=', partnerId).where('lead_id', '=', leadId).execute();
  if (userIds.length) await db.insertInto('lead_team').values(userIds.map((user_id) => ({ partner_id: partnerId, lead_id: leadId, user_id, added_at: now }))).execute();
}

export async function insertNote(db: Db, n: { id: string; partnerId: string; leadId: string; authorId: string | null; authorName: string; text: string; now: Date }) {
  await db.insertInto('lead_notes').values({ id: n.id, partner_id: n.partnerId, lead_id: n.leadId, author_id: n.authorId, author_name: n.authorName, text: n.text, created_at: n.now }).execute();
}

/** Users of the partner holding `permission` through any of their roles (built-in or custom). */
function holding(db: Db, partnerId: string, permission: string) {
  return db
    .selectFrom('users as u')
    .where('u.partner_id', '=', partnerId)
    .where('u.status', '=', 'active')
    .where('u.invited_at', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('user_roles as ur')
          .innerJoin('roles as r', 'r.id', 'ur.role_id')
          .select('ur.user_id')
          .whereRef('ur.partner_id', '=', 'u.partner_id')
          .whereRef('ur.user_id', '=', 'u.id')
          .where(sql<boolean>`${permission} = any(r.permissions)`),
      ),
    );
}

/** Who may be on a lead's team: active (joined) users of the partner who hold referrals.read. */
export async function eligibleMembers(db: Db, partnerId: string, userIds: string[]): Promise<Set<string>> {
  if (!userIds.length) return new Set();
  const rows = await holding(db, partnerId, 'referrals.read').select('u.id').where('u.id', 'in', userIds).execute();
  return new Set(rows.map((r) => r.id));
}

/** The people who may be put on a team, by name (the team picker), optionally searched by name or email. */
export function teamCandidates(db: Db, partnerId: string, q: string | undefined, limit: number) {
  let query = holding(db, partnerId, 'referrals.read').select(['u.id', 'u.first_name', 'u.last_name', 'u.email']);
  if (q) query = query.where((eb) => eb.or([eb('u.sort_name', 'like', likeOf(q)), eb('u.email_key', 'like', likeOf(q))]));
  return query.orderBy('u.sort_name').orderBy('u.id').limit(limit).execute();
}

/** The people to tell about a new lead: the partner's Referrals admins and Global admins (referrals.manage). */
export function leadManagers(db: Db, partnerId: string) {
  return holding(db, partnerId, 'referrals.manage').select(['u.email', 'u.locale']).orderBy('u.email').execute();
}

/** A published profile of the directory (its id is the directory's partner id), or nothing. */
export function publishedProfile(db: Db, profileId: string) {
  return db
    .selectFrom('business_profiles as bp')
    .innerJoin('partners as p', 'p.id', 'bp.partner_id')
    .select(['bp.id', 'bp.partner_id', 'bp.country', 'bp.lead_contact', 'p.company_name'])
    .where('bp.id', '=', profileId)
    .where('bp.status', '=', 'published')
    .executeTakeFirst();
}

/**
 * The expiry job's one statement: leads still `new` at `now` past their 14 days become
 * `expired`. Row locks (skip locked) make concurrent runs on several servers take disjoint
 * rows; a row another run already expired no longer matches. Batched to keep transactions short.
 */
export async function expireDueLeads(db: Db, now: Date, batch: number) {
  const r = await sql<{ id: string; partner_id: string; version: number }>`
    update leads set status = 'expired', version = version + 1, updated_at = ${now}
    where id in (
      select id from leads where status = 'new' and expires_at <= ${now}
      order by expires_at limit ${batch} for update skip locked
    ) and status = 'new'
    returning id, partner_id, version`.execute(db);
  return r.rows;
}

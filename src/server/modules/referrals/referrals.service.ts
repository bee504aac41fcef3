import { randomUUID } from 'node:crypto';
import { audit } from '../../core/audit';
import { inTransaction, requirePartnerActor, type AppPrincipal, type RequestContext, type UserPrincipal } from '../../core/context';
import { assertVersion } from '../../core/etag';
import { AppError } from '../../core/errors';
import { t, type Locale } from '../../core/i18n';
import type { LeadStatus } from '../../db/schema';
import { notify } from '../notifications/notifications.service';
import { FieldProblems, normalisePhone } from '../profiles/validation';
import {
  eligibleMembers, findLead, teamCandidates, insertLead, insertNote, leadManagers, listLeads, notesOf, publishedProfile, replaceTeam, teamOf, updateLeadRow,
  type LeadContact, type LeadFilter, type LeadRow, type Scope,
} from './referrals.repo';

/**
 * Leads (issue 5, reference §1.14). A customer's "Contact this partner" message on a published
 * business profile becomes a lead in that partner's inbox; its Referrals admins (and Global
 * admins) are told by mail and by the bell. The partner then works on it:
 *
 *   new → accepted | declined (reason);  accepted → won (deal value + currency) | lost (reason)
 *
 * and a lead still `new` 14 days after it arrived expires (expiry.job.ts). Anything else is
 * 409 LEAD_TRANSITION_INVALID. Whoever lacks `referrals.manage` (a Referrals user) sees and
 * changes only the leads whose team they are on: others are simply not found.
 */
export const LEAD_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;
/** A lead this recent and still new gets the "flame" in the inbox (the reference's 72 hours). */
export const FRESH_MS = 72 * 60 * 60 * 1000;
export const MAX_TEAM = 20;
/** No user has this id: an API app is on no lead's team. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

const TRANSITIONS: Record<LeadStatus, readonly LeadStatus[]> = {
  new: ['accepted', 'declined'],
  accepted: ['won', 'lost'],
  declined: [],
  won: [],
  lost: [],
  expired: [],
};

export interface ContactInput extends LeadContact {
  consent: boolean;
  /** The honeypot: hidden from people, so only a robot fills it. */
  website?: string | undefined;
}

export interface LeadUpdate {
  status?: LeadStatus | undefined;
  reason?: string | undefined;
  dealValue?: string | undefined;
  currency?: string | undefined;
  teamUserIds?: string[] | undefined;
  note?: string | undefined;
}

/** What the caller may see: everything with referrals.manage, else the leads whose team they are on. */
export function scopeOf(ctx: RequestContext, p: UserPrincipal | AppPrincipal): Scope {
  const all = p.permissions.has('referrals.manage');
  return { partnerId: p.partnerId, now: ctx.now, ...(all ? {} : { memberId: p.kind === 'user' ? p.userId : NOBODY }) };
}

/** A lead past its 14 days is expired even before the job has written it. */
export function effectiveStatus(l: Pick<LeadRow, 'status' | 'expires_at'>, now: Date): LeadStatus {
  return l.status === 'new' && l.expires_at.getTime() <= now.getTime() ? 'expired' : l.status;
}

type Member = Awaited<ReturnType<typeof teamOf>>[number];

export function presentLead(l: LeadRow, team: Member[], now: Date) {
  const status = effectiveStatus(l, now);
  // Reference §1.14: an expired lead hides the customer's contact information.
  const hidden = status === 'expired';
  return {
    id: l.id,
    status,
    businessProfileId: l.business_profile_id,
    profileCountry: l.profile_country,
    customer: {
      name: l.customer_name,
      company: l.customer_company,
      email: hidden ? null : l.customer_email,
      phone: hidden ? null : l.customer_phone,
      country: l.customer_country,
      companySize: l.company_size,
      need: l.need,
      consent: l.consent,
    },
    contactHidden: hidden,
    fresh: status === 'new' && now.getTime() - l.created_at.getTime() < FRESH_MS,
    reason: l.reason,
    dealValue: l.deal_value,
    currency: l.currency,
    team: team.map((m) => ({ id: m.id, firstName: m.first_name, lastName: m.last_name, email: m.email })),
    version: l.version,
    createdAt: l.created_at.toISOString(),
    updatedAt: l.updated_at.toISOString(),
    expiresAt: l.expires_at.toISOString(),
  };
}

/** `assignedTo=me`: the caller's own id (an API app is on no team). */
export function filterOf(p: UserPrincipal | AppPrincipal, f: LeadFilter & { assignedToMe?: boolean | undefined }): LeadFilter {
  const { assignedToMe, ...rest } = f;
  return { ...rest, assignedTo: assignedToMe ? (p.kind === 'user' ? p.userId : NOBODY) : undefined };
}

export async function listLeadsPage(ctx: RequestContext, f: LeadFilter & { assignedToMe?: boolean | undefined }, page: { size: number; after?: { key: string; id: string } | undefined }) {
  const p = requirePartnerActor(ctx);
  const scope = scopeOf(ctx, p);
  const filter = filterOf(p, f);
  const r = await listLeads(ctx.db, scope, filter, page);
  const team = await teamOf(ctx.db, p.partnerId, r.rows.map((l) => l.id));
  return { ...r, items: r.rows.map((l) => presentLead(l, team.filter((m) => m.lead_id === l.id), ctx.now)) };
}

export async function getLead(ctx: RequestContext, id: string) {
  const p = requirePartnerActor(ctx);
  const l = await findLead(ctx.db, scopeOf(ctx, p), id);
  if (!l) throw new AppError('NOT_FOUND');
  return detail(ctx, p.partnerId, l);
}

async function detail(ctx: RequestContext, partnerId: string, l: LeadRow) {
  const [team, notes] = await Promise.all([teamOf(ctx.db, partnerId, [l.id]), notesOf(ctx.db, partnerId, l.id)]);
  return {
    ...presentLead(l, team, ctx.now),
    notes: notes.map((n) => ({ id: n.id, authorId: n.author_id, authorName: n.author_name, text: n.text, createdAt: n.created_at.toISOString() })),
  };
}

/** Deal values: up to 14 digits and 2 decimals, kept as a decimal string (never a float). */
export function normaliseDealValue(v: string): string | null {
  const m = /^\s*(\d{1,14})(?:\.(\d{1,2}))?\s*$/.exec(v);
  if (!m) return null;
  return `${BigInt(m[1]!).toString()}.${(m[2] ?? '').padEnd(2, '0')}`;
}

const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** Field rules that do not depend on the lead's current state. */
function checkUpdate(u: LeadUpdate): LeadUpdate {
  const problems = new FieldProblems();
  const out = { ...u };
  const needsReason = u.status === 'declined' || u.status === 'lost';
  if (needsReason && !u.reason?.trim()) problems.add('reason', 'required');
  if (u.reason !== undefined && !needsReason) problems.add('reason', 'not_for_status');
  if (u.status === 'won') {
    if (u.dealValue === undefined) problems.add('dealValue', 'required');
    if (u.currency === undefined) problems.add('currency', 'required');
  } else {
    if (u.dealValue !== undefined) problems.add('dealValue', 'not_for_status');
    if (u.currency !== undefined) problems.add('currency', 'not_for_status');
  }
  if (u.dealValue !== undefined) {
    const v = normaliseDealValue(u.dealValue);
    if (v === null) problems.add('dealValue', 'invalid_amount');
    else out.dealValue = v;
  }
  if (u.currency !== undefined && !CURRENCIES.has(u.currency)) problems.add('currency', 'unknown_currency');
  if (u.teamUserIds && new Set(u.teamUserIds).size > MAX_TEAM) problems.add('teamUserIds', 'too_many_members');
  problems.throwIfAny();
  if (out.teamUserIds) out.teamUserIds = [...new Set(out.teamUserIds)].sort();
  if (out.note !== undefined) out.note = out.note.trim();
  if (out.reason !== undefined) out.reason = out.reason.trim();
  return out;
}

/**
 * Change a lead: its status (a legal transition, with its reason or deal), its team (needs
 * referrals.manage) and/or a new note, in one transaction, after checking the If-Match version
 * on the locked row. One audit record per change; nothing changed → no new version.
 */
export async function updateLead(ctx: RequestContext, id: string, expectedVersion: number, raw: LeadUpdate) {
  const p = requirePartnerActor(ctx);
  if (raw.teamUserIds !== undefined && !p.permissions.has('referrals.manage')) throw new AppError('FORBIDDEN');
  const u = checkUpdate(raw);
  const scope = scopeOf(ctx, p);
  return inTransaction(ctx, async (tx) => {
    const current = await findLead(tx.db, scope, id, { forUpdate: true });
    if (!current) throw new AppError('NOT_FOUND');
    assertVersion(expectedVersion, current.version);
    const from = effectiveStatus(current, tx.now);
    let changed = false;

    if (u.status !== undefined) {
      if (!TRANSITIONS[from].includes(u.status)) throw new AppError('LEAD_TRANSITION_INVALID', { from, to: u.status });
      const next = { status: u.status, reason: u.reason ?? null, dealValue: u.dealValue ?? null, currency: u.currency ?? null };
      await updateLeadRow(tx.db, p.partnerId, id, { ...next, version: current.version, now: tx.now });
      await audit(tx, {
        partnerId: p.partnerId,
        action: `lead.${u.status}`,
        targetType: 'lead',
        targetId: id,
        changes: {
          status: { before: from, after: u.status },
          ...(next.reason ? { reason: { after: next.reason } } : {}),
          ...(next.dealValue ? { dealValue: { after: next.dealValue }, currency: { after: next.currency } } : {}),
        },
      });
      changed = true;
    }

    if (u.teamUserIds !== undefined) {
      const before = (await teamOf(tx.db, p.partnerId, [id])).map((m) => m.id).sort();
      if (before.join() !== u.teamUserIds.join()) {
        const ok = await eligibleMembers(tx.db, p.partnerId, u.teamUserIds);
        const refused = u.teamUserIds.filter((uid) => !ok.has(uid));
        if (refused.length) throw new AppError('VALIDATION_FAILED', {}, [{ field: 'teamUserIds', reason: 'not_referrals_member', message: '' }]);
        await replaceTeam(tx.db, p.partnerId, id, u.teamUserIds, tx.now);
        await audit(tx, { partnerId: p.partnerId, action: 'lead.team_changed', targetType: 'lead', targetId: id, changes: { team: { before, after: u.teamUserIds } } });
        changed = true;
      }
    }

    if (u.note) {
      const noteId = randomUUID();
      const author = p.kind === 'user' ? { id: p.userId, name: `${p.firstName} ${p.lastName}`.trim() } : { id: null, name: p.name };
      await insertNote(tx.db, { id: noteId, partnerId: p.partnerId, leadId: id, authorId: author.id, authorName: author.name, text: u.note, now: tx.now });
      await audit(tx, { partnerId: p.partnerId, action: 'lead.note_added', targetType: 'lead', targetId: id, changes: { note: { after: noteId } } });
      changed = true;
    }

    if (!changed) return detail(tx, p.partnerId, current);
    await tx.db.updateTable('leads').set({ version: current.version + 1, updated_at: tx.now }).where('partner_id', '=', p.partnerId).where('id', '=', id).execute();
    return detail(tx, p.partnerId, (await findLead(tx.db, { partnerId: p.partnerId, now: tx.now }, id))!);
  });
}

/**
 * "Contact this partner" (public). The honeypot was filled → 400 CONTACT_REFUSED; the profile
 * is unknown or not published → 404; consent, email and phone are checked; then the lead is
 * stored (with its audit record and a bell notification) in one transaction, and the partner's
 * Referrals admins are mailed after it commits. The public learns nothing about the lead.
 */
export async function contactPartner(ctx: RequestContext, profileId: string, input: ContactInput): Promise<void> {
  if (input.website !== undefined && input.website.trim() !== '') {
    ctx.log.info({ event: 'contact_refused', reason: 'honeypot', profileId }, 'contact form refused');
    throw new AppError('CONTACT_REFUSED');
  }
  const profile = await publishedProfile(ctx.db, profileId);
  if (!profile) throw new AppError('NOT_FOUND');
  const problems = new FieldProblems();
  if (input.consent !== true) problems.add('consent', 'consent_required');
  const phone = normalisePhone(input.phone, input.country);
  if (!phone) problems.add('phone', 'invalid_phone');
  problems.throwIfAny();

  const id = randomUUID();
  await inTransaction(ctx, async (tx) => {
    await insertLead(tx.db, {
      id, partnerId: profile.partner_id, businessProfileId: profile.id, profileCountry: profile.country.trim(), name: input.name, company: input.company, email: input.email,
      phone: phone!, country: input.country, companySize: input.companySize, need: input.need, now: tx.now, expiresAt: new Date(tx.now.getTime() + LEAD_LIFETIME_MS),
    });
    // The customer's contact details stay out of the activity log: the lead holds them.
    await audit(tx, {
      partnerId: profile.partner_id,
      action: 'lead.created',
      targetType: 'lead',
      targetId: id,
      changes: { status: { after: 'new' }, businessProfileId: { after: profile.id }, customerCountry: { after: input.country }, companySize: { after: input.companySize } },
    });
    await notify(tx, { partnerId: profile.partner_id, kind: 'lead.received', params: { country: profile.country.trim() }, link: `/referrals/leads/${id}` });
  });
  await mailManagers(ctx, profile, id, input);
}

/** Mail the partner's Referrals admins and Global admins (or, with none, the profile's lead contact). A mail failure never undoes the lead. */
async function mailManagers(ctx: RequestContext, profile: NonNullable<Awaited<ReturnType<typeof publishedProfile>>>, leadId: string, input: ContactInput) {
  let to: { email: string; locale: Locale | null }[] = (await leadManagers(ctx.db, profile.partner_id)).map((r) => ({ email: r.email, locale: r.locale }));
  if (!to.length && profile.lead_contact?.email) to = [{ email: profile.lead_contact.email, locale: null }];
  const params = { company: input.company, country: input.country, profileCountry: profile.country.trim(), partner: profile.company_name, url: `${ctx.deps.config.publicUrl}/referrals/leads/${leadId}` };
  for (const r of to) {
    const locale = r.locale ?? ctx.locale;
    try {
      await ctx.deps.mailer.send({ to: r.email, subject: t(locale, 'mail.lead.received.subject', params), text: t(locale, 'mail.lead.received.body', params) });
    } catch (err) {
      ctx.log.warn({ err, partnerId: profile.partner_id, leadId }, 'new lead mail not sent');
    }
  }
}

/** Who a Referrals admin may put on a lead's team (referrals.manage): active users holding referrals.read. */
export async function listTeamCandidates(ctx: RequestContext, q: string | undefined) {
  const p = requirePartnerActor(ctx);
  const rows = await teamCandidates(ctx.db, p.partnerId, q, 50);
  return rows.map((u) => ({ id: u.id, firstName: u.first_name, lastName: u.last_name, email: u.email }));
}

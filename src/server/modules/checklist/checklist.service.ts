import { requirePartnerActor, type RequestContext } from '../../core/context';
import { profileChecklist } from '../profiles/profiles.service';
import { taxSettled } from '../tax/tax.service';
import { countActiveGlobalAdmins } from '../users/users.repo';

/**
 * The home page's "complete your profile" checklist (issue 4): what remains, in order, each
 * item with the page that fixes it. Read-only; computed from the owning modules' state.
 */
export const CHECKLIST_ITEMS = ['legalVerified', 'supportProfile', 'taxSettled', 'securityContact', 'globalAdmins', 'mfaEnforced'] as const;
export type ChecklistItemId = (typeof CHECKLIST_ITEMS)[number];

const LINKS: Record<ChecklistItemId, string> = {
  legalVerified: '/account/legal?tab=legal',
  supportProfile: '/account/legal?tab=support',
  taxSettled: '/account/payout',
  securityContact: '/account/legal?tab=securitycontact',
  globalAdmins: '/account/users',
  mfaEnforced: '/account/overview',
};

/** At least this many active Global admins (reference §1.5: more than one, so losing one does not lock the company out). */
export const MIN_GLOBAL_ADMINS = 2;

export async function checklist(ctx: RequestContext) {
  const { partnerId } = requirePartnerActor(ctx);
  const [profiles, tax, admins, partner] = await Promise.all([
    profileChecklist(ctx.db, partnerId),
    taxSettled(ctx.db, partnerId),
    countActiveGlobalAdmins(ctx.db, partnerId),
    ctx.db.selectFrom('partners').select('mfa_required').where('id', '=', partnerId).executeTakeFirstOrThrow(),
  ]);
  const done: Record<ChecklistItemId, boolean> = {
    legalVerified: profiles.legalVerified,
    supportProfile: profiles.supportProfileFilled,
    taxSettled: tax,
    securityContact: profiles.securityContactSet,
    globalAdmins: admins >= MIN_GLOBAL_ADMINS,
    mfaEnforced: partner.mfa_required,
  };
  const items = CHECKLIST_ITEMS.map((id) => ({ id, done: done[id], link: LINKS[id] }));
  return { items, doneCount: items.filter((i) => i.done).length, totalCount: items.length };
}

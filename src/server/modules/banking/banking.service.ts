import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { audit } from '../../core/audit';
import { inTransaction, requirePartnerActor, requireUser, type RequestContext } from '../../core/context';
import { decryptField, encryptField } from '../../core/crypto';
import { AppError } from '../../core/errors';
import { assertVersion } from '../../core/etag';
import { verifyPassword } from '../../core/passwords';
import { countPasswordFailure, isLocked } from '../auth/lockout';
import { checkAccount, type AccountFields, type AccountInput, type PaymentMethod } from './accounts';

/**
 * Bank profiles (reference §1.1 "Payout, banking and tax profiles"): company-level, created and
 * edited by an Incentives admin or a Global admin after a fresh re-authentication, listed
 * masked, validated by the operator (pending_validation → approved | action_required).
 *
 * Account fields are encrypted field by field (AES-256-GCM, security-baseline D2) with the
 * purpose — the AES-GCM associated data — bound to the tenant and the row
 * (`bank.<field>:<partnerId>:<profileId>`), so a ciphertext copied to another row or company
 * does not decrypt. Only the ciphertext and a masked hint (`FR76 •••• •••• 0189`) are stored.
 */

export const REAUTH_WINDOW_MS = 10 * 60 * 1000;

export const ENCRYPTED_BANK_FIELDS = ['iban', 'bic', 'account_number', 'routing_number', 'sort_code'] as const;
export type EncryptedBankField = (typeof ENCRYPTED_BANK_FIELDS)[number];
export const bankPurpose = (field: EncryptedBankField, partnerId: string, id: string) => `bank.${field}:${partnerId}:${id}`;

const columns = [
  'id', 'partner_id', 'name', 'bank_country', 'payment_method', 'account_holder_name', 'bank_name', 'account_hint', 'status', 'reason', 'version', 'submitted_at', 'reviewed_at', 'created_at', 'updated_at', 'bic_enc',
] as const;

export type BankRow = {
  id: string;
  partner_id: string;
  name: string;
  bank_country: string;
  payment_method: PaymentMethod;
  account_holder_name: string;
  bank_name: string | null;
  account_hint: string;
  status: 'pending_validation' | 'approved' | 'action_required';
  reason: string | null;
  version: number;
  submitted_at: Date;
  reviewed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  bic_enc: string | null;
};

/** What the API answers: never an account number, only its masked hint. The BIC names a bank, not an account: shown. */
export function bankView(fieldKey: Buffer, r: BankRow) {
  return {
    id: r.id,
    name: r.name,
    bankCountry: r.bank_country,
    paymentMethod: r.payment_method,
    accountHolderName: r.account_holder_name,
    bankName: r.bank_name,
    account: r.account_hint,
    bic: r.bic_enc ? decryptField(fieldKey, bankPurpose('bic', r.partner_id, r.id), r.bic_enc) : null,
    status: r.status,
    reason: r.reason,
    version: r.version,
    submittedAt: r.submitted_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function listBankProfiles(ctx: RequestContext, partnerId: string) {
  return ctx.db.selectFrom('bank_profiles').select(columns).where('partner_id', '=', partnerId).orderBy(sql`lower(name)`).orderBy('id').limit(500).execute();
}

export async function getBankProfile(ctx: RequestContext, partnerId: string, id: string, forUpdate = false): Promise<BankRow> {
  const q = ctx.db.selectFrom('bank_profiles').select(columns).where('partner_id', '=', partnerId).where('id', '=', id);
  const row = await (forUpdate ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** Bank edits need a password re-authentication in this session within the last 10 minutes. */
export async function requireFreshReauth(ctx: RequestContext): Promise<void> {
  const p = requireUser(ctx);
  const s = await ctx.db.selectFrom('sessions').select('reauth_at').where('token_hash', '=', p.session.tokenHash).executeTakeFirst();
  if (!s?.reauth_at || ctx.now.getTime() - s.reauth_at.getTime() > REAUTH_WINDOW_MS) throw new AppError('REAUTH_REQUIRED');
}

/**
 * `POST /v1/sessions/current/reauth`: the user confirms their password; the session is marked
 * re-authenticated. A wrong password counts like a failed sign-in (and can lock the account).
 */
export async function reauthenticate(ctx: RequestContext, password: string) {
  const p = requireUser(ctx);
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'password_hash', 'failed_sign_ins', 'last_failed_sign_in_at', 'locked_until'])
    .where('id', '=', p.userId)
    .where('partner_id', '=', p.partnerId)
    .executeTakeFirstOrThrow();
  const locked = isLocked(user, ctx.now);
  const ok = !locked && user.password_hash !== null && (await verifyPassword(ctx.deps.config.secrets.pepper, user.password_hash, password));
  if (!ok) {
    await inTransaction(ctx, async (tx) => {
      if (!locked) await countPasswordFailure(tx, user, p.partnerId);
      await audit(tx, { partnerId: p.partnerId, action: 'session.reauth', targetType: 'user', targetId: user.id, outcome: 'failure' });
    });
    throw new AppError('INVALID_CREDENTIALS');
  }
  return inTransaction(ctx, async (tx) => {
    await tx.db.updateTable('sessions').set({ reauth_at: tx.now }).where('token_hash', '=', p.session.tokenHash).execute();
    await tx.db.updateTable('users').set({ failed_sign_ins: 0, last_failed_sign_in_at: null }).where('id', '=', user.id).execute();
    await audit(tx, { partnerId: p.partnerId, action: 'session.reauth', targetType: 'user', targetId: user.id });
    return { reauthenticatedAt: tx.now.toISOString(), validUntil: new Date(tx.now.getTime() + REAUTH_WINDOW_MS).toISOString() };
  });
}

export interface BankInput extends AccountInput {
  name: string;
  accountHolderName: string;
  bankName?: string | undefined;
}

function validated(input: AccountInput): AccountFields {
  const { problems, fields } = checkAccount(input);
  if (problems.length || !fields) throw new AppError('VALIDATION_FAILED', {}, problems);
  return fields;
}

function encryptedColumns(fieldKey: Buffer, partnerId: string, id: string, f: AccountFields) {
  const enc = (field: EncryptedBankField, v: string | null) => (v ? encryptField(fieldKey, bankPurpose(field, partnerId, id), v) : null);
  return {
    iban_enc: enc('iban', f.iban),
    bic_enc: enc('bic', f.bic),
    account_number_enc: enc('account_number', f.accountNumber),
    routing_number_enc: enc('routing_number', f.routingNumber),
    sort_code_enc: enc('sort_code', f.sortCode),
    account_hint: f.hint,
  };
}

export async function createBankProfile(ctx: RequestContext, partnerId: string, input: BankInput) {
  const p = requireUser(ctx);
  const fields = validated(input);
  await requireFreshReauth(ctx);
  const id = randomUUID();
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .insertInto('bank_profiles')
      .values({
        id,
        partner_id: partnerId,
        name: input.name,
        bank_country: input.bankCountry,
        payment_method: input.paymentMethod,
        account_holder_name: input.accountHolderName,
        bank_name: input.bankName ?? null,
        ...encryptedColumns(ctx.deps.config.secrets.fieldKey, partnerId, id, fields),
        status: 'pending_validation',
        reason: null,
        version: 1,
        submitted_at: tx.now,
        reviewed_at: null,
        reviewed_by: null,
        created_by: p.userId,
        created_at: tx.now,
        updated_at: tx.now,
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
    await audit(tx, {
      partnerId,
      action: 'bankprofile.created',
      targetType: 'bankprofile',
      targetId: id,
      changes: { name: { after: input.name }, bankCountry: { after: input.bankCountry }, paymentMethod: { after: input.paymentMethod }, account: { after: fields.hint }, accountHolderName: { after: input.accountHolderName } },
    });
    return row;
  });
}

export type BankPatch = Partial<BankInput>;

const ACCOUNT_KEYS = ['bankCountry', 'paymentMethod', 'iban', 'bic', 'accountNumber', 'routingNumber', 'sortCode'] as const;

/**
 * Change a bank profile (If-Match). Sending any account field replaces the whole account
 * (country, method and its fields, validated again); a changed account or beneficiary goes
 * back to the operator for validation.
 */
export async function updateBankProfile(ctx: RequestContext, partnerId: string, id: string, expectedVersion: number, patch: BankPatch) {
  requireUser(ctx);
  const accountChanged = ACCOUNT_KEYS.some((k) => patch[k] !== undefined);
  return inTransaction(ctx, async (tx) => {
    const before = await getBankProfile(tx, partnerId, id, true);
    assertVersion(expectedVersion, before.version);
    const fields = accountChanged
      ? validated({ ...patch, bankCountry: patch.bankCountry ?? before.bank_country, paymentMethod: patch.paymentMethod ?? before.payment_method })
      : undefined;
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    const set: Record<string, unknown> = {};
    if (patch.name !== undefined && patch.name !== before.name) {
      set.name = patch.name;
      changes.name = { before: before.name, after: patch.name };
    }
    if (patch.bankName !== undefined && patch.bankName !== before.bank_name) {
      set.bank_name = patch.bankName;
      changes.bankName = { before: before.bank_name, after: patch.bankName };
    }
    if (patch.accountHolderName !== undefined && patch.accountHolderName !== before.account_holder_name) {
      set.account_holder_name = patch.accountHolderName;
      changes.accountHolderName = { before: before.account_holder_name, after: patch.accountHolderName };
    }
    if (fields) {
      Object.assign(set, encryptedColumns(ctx.deps.config.secrets.fieldKey, partnerId, id, fields));
      const country = patch.bankCountry ?? before.bank_country;
      const method = patch.paymentMethod ?? before.payment_method;
      set.bank_country = country;
      set.payment_method = method;
      if (country !== before.bank_country) changes.bankCountry = { before: before.bank_country, after: country };
      if (method !== before.payment_method) changes.paymentMethod = { before: before.payment_method, after: method };
      // Masked on both sides: the audit log never holds an account number.
      changes.account = { before: before.account_hint, after: fields.hint };
    }
    if (!Object.keys(changes).length) return before;
    if (fields || changes.accountHolderName) Object.assign(set, { status: 'pending_validation', reason: null, submitted_at: tx.now, reviewed_at: null, reviewed_by: null });
    const after = await tx.db
      .updateTable('bank_profiles')
      .set({ ...set, version: before.version + 1, updated_at: tx.now })
      .where('partner_id', '=', partnerId)
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    if (after.status !== before.status) changes.status = { before: before.status, after: after.status };
    await audit(tx, { partnerId, action: 'bankprofile.updated', targetType: 'bankprofile', targetId: id, changes });
    return after;
  });
}

export async function deleteBankProfile(ctx: RequestContext, partnerId: string, id: string, expectedVersion: number) {
  requireUser(ctx);
  await inTransaction(ctx, async (tx) => {
    const before = await getBankProfile(tx, partnerId, id, true);
    assertVersion(expectedVersion, before.version);
    await tx.db.deleteFrom('bank_profiles').where('partner_id', '=', partnerId).where('id', '=', id).execute();
    await audit(tx, { partnerId, action: 'bankprofile.deleted', targetType: 'bankprofile', targetId: id, changes: { name: { before: before.name }, account: { before: before.account_hint } } });
  });
}

// ---- Assignments -----------------------------------------------------------------------------

/** The programmes that pay out (reference §1.1: "for each program and location"). */
export const PROGRAMMES = ['reseller', 'referrals', 'incentives'] as const;

export async function listAssignments(ctx: RequestContext, partnerId: string) {
  const rows = await ctx.db
    .selectFrom('payout_assignments')
    .select(['scope_type', 'scope_id', 'bank_profile_id', 'tax_profile_id', 'updated_at'])
    .where('partner_id', '=', partnerId)
    .execute();
  const byKey = new Map(rows.map((r) => [`${r.scope_type}:${r.scope_id}`, r]));
  const locations = await sql<{ id: string; name: string }>`
    select id::text as id, name from locations where partner_id = ${partnerId} order by lower(name), id`
    .execute(ctx.db)
    .then((r) => r.rows)
    .catch(() => [] as { id: string; name: string }[]);
  const scopes = [
    ...PROGRAMMES.map((p) => ({ scopeType: 'programme' as const, scopeId: p, label: null as string | null })),
    ...locations.map((l) => ({ scopeType: 'location' as const, scopeId: l.id, label: l.name })),
  ];
  return scopes.map((s) => {
    const r = byKey.get(`${s.scopeType}:${s.scopeId}`);
    return { ...s, bankProfileId: r?.bank_profile_id ?? null, taxProfileId: r?.tax_profile_id ?? null };
  });
}

export async function setAssignment(
  ctx: RequestContext,
  partnerId: string,
  input: { scopeType: 'programme' | 'location'; scopeId: string; bankProfileId: string | null; taxProfileId: string | null },
) {
  const actor = requirePartnerActor(ctx);
  return inTransaction(ctx, async (tx) => {
    if (input.scopeType === 'programme' && !(PROGRAMMES as readonly string[]).includes(input.scopeId)) {
      throw new AppError('VALIDATION_FAILED', {}, [{ field: 'scopeId', reason: 'unknown_programme', message: '' }]);
    }
    if (input.scopeType === 'location') {
      const found = /^[0-9a-f-]{36}$/i.test(input.scopeId)
        ? await tx.db.selectFrom('locations').select('id').where('partner_id', '=', partnerId).where('id', '=', input.scopeId).executeTakeFirst()
        : undefined;
      if (!found) throw new AppError('VALIDATION_FAILED', {}, [{ field: 'scopeId', reason: 'unknown_location', message: '' }]);
    }
    if (input.bankProfileId) {
      const b = await tx.db.selectFrom('bank_profiles').select('id').where('partner_id', '=', partnerId).where('id', '=', input.bankProfileId).executeTakeFirst();
      if (!b) throw new AppError('VALIDATION_FAILED', {}, [{ field: 'bankProfileId', reason: 'unknown_profile', message: '' }]);
    }
    if (input.taxProfileId) {
      const t = await tx.db.selectFrom('tax_profiles').select('id').where('partner_id', '=', partnerId).where('id', '=', input.taxProfileId).executeTakeFirst();
      if (!t) throw new AppError('VALIDATION_FAILED', {}, [{ field: 'taxProfileId', reason: 'unknown_profile', message: '' }]);
    }
    const before = await tx.db
      .selectFrom('payout_assignments')
      .select(['bank_profile_id', 'tax_profile_id'])
      .where('partner_id', '=', partnerId)
      .where('scope_type', '=', input.scopeType)
      .where('scope_id', '=', input.scopeId)
      .forUpdate()
      .executeTakeFirst();
    await tx.db
      .insertInto('payout_assignments')
      .values({ partner_id: partnerId, scope_type: input.scopeType, scope_id: input.scopeId, bank_profile_id: input.bankProfileId, tax_profile_id: input.taxProfileId, updated_at: tx.now, updated_by: actor.kind === 'user' ? actor.userId : null })
      .onConflict((oc) => oc.columns(['partner_id', 'scope_type', 'scope_id']).doUpdateSet({ bank_profile_id: input.bankProfileId, tax_profile_id: input.taxProfileId, updated_at: tx.now }))
      .execute();
    await audit(tx, {
      partnerId,
      action: 'payout.assignment_changed',
      targetType: input.scopeType,
      targetId: input.scopeId,
      changes: {
        bankProfileId: { before: before?.bank_profile_id ?? null, after: input.bankProfileId },
        taxProfileId: { before: before?.tax_profile_id ?? null, after: input.taxProfileId },
      },
    });
    return { scopeType: input.scopeType, scopeId: input.scopeId, bankProfileId: input.bankProfileId, taxProfileId: input.taxProfileId };
  });
}

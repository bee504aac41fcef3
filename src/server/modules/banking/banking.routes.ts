import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePartnerActor, requireUser } from '../../core/context';
import { ifMatchVersion, setEtag } from '../../core/etag';
import { errors, ZCountry, ZIdParams } from '../../core/schemas';
import {
  bankView,
  createBankProfile,
  deleteBankProfile,
  getBankProfile,
  listAssignments,
  listBankProfiles,
  PROGRAMMES,
  reauthenticate,
  requireFreshReauth,
  setAssignment,
  updateBankProfile,
} from './banking.service';

export const ZBankProfile = z
  .object({
    id: z.uuid(),
    name: z.string(),
    bankCountry: z.string(),
    paymentMethod: z.enum(['sepa', 'wire']),
    accountHolderName: z.string(),
    bankName: z.string().nullable(),
    /** Masked: `FR76 •••• •••• 0189` for an IBAN, `•••• 6789` for an account number. Never the full number. */
    account: z.string(),
    bic: z.string().nullable(),
    status: z.enum(['pending_validation', 'approved', 'action_required']),
    reason: z.string().nullable(),
    version: z.number().int(),
    submittedAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'BankProfile' });

const accountField = (max: number) => z.string().trim().max(max);
const ZBankFields = {
  name: z.string().trim().min(1).max(100),
  bankCountry: ZCountry,
  paymentMethod: z.enum(['sepa', 'wire']),
  accountHolderName: z.string().trim().min(1).max(140),
  bankName: z.string().trim().max(140).optional(),
  iban: accountField(50).optional(),
  bic: accountField(20).optional(),
  accountNumber: accountField(40).optional(),
  routingNumber: accountField(20).optional(),
  sortCode: accountField(20).optional(),
};
const ZBankCreate = z.object(ZBankFields).strict().meta({ id: 'BankProfileCreate' });
const ZBankPatch = z.object(ZBankFields).partial().strict().meta({ id: 'BankProfilePatch' });

const ZAssignment = z
  .object({
    scopeType: z.enum(['programme', 'location']),
    scopeId: z.string(),
    label: z.string().nullable(),
    bankProfileId: z.uuid().nullable(),
    taxProfileId: z.uuid().nullable(),
  })
  .meta({ id: 'PayoutAssignment' });

export const bankingRoutes: FastifyPluginAsyncZod = async (app) => {

  app.post('/v1/sessions/current/reauth', {
    config: { permission: 'account.read' },
    schema: {
      tags: ['sessions'],
      summary: 'Confirm your password: sensitive changes (bank profiles) are allowed for 10 minutes',
      description: 'A wrong password counts as a failed sign-in and can lock the account.',
      body: z.object({ password: z.string().min(1).max(1024) }).strict(),
      response: { 200: z.object({ reauthenticatedAt: z.string(), validUntil: z.string() }), ...errors(400, 401, 403) },
    },
  }, async (req) => reauthenticate(req.ctx, req.body.password));

  app.get('/v1/bankprofiles', {
    config: { permission: 'payout.read' },
    schema: { tags: ['payout'], summary: 'The bank profiles of the company, account numbers masked', response: { 200: z.object({ items: z.array(ZBankProfile) }), ...errors(401, 403) } },
  }, async (req) => ({ items: (await listBankProfiles(req.ctx, requirePartnerActor(req.ctx).partnerId)).map((r) => bankView(req.ctx.deps.config.secrets.fieldKey, r)) }));

  app.post('/v1/bankprofiles', {
    config: { permission: 'payout.manage' },
    schema: {
      tags: ['payout'],
      summary: 'Add a bank profile (needs a re-authentication within the last 10 minutes)',
      description:
        'SEPA countries: `{name, bankCountry, paymentMethod: "sepa", iban, bic, accountHolderName}` (IBAN length and mod-97 checksum, BIC of the same country). ' +
        'Elsewhere `paymentMethod: "wire"` with the country’s fields: US `routingNumber` and `accountNumber`, GB `sortCode` and `accountNumber`, others `accountNumber` and `bic`. ' +
        'The profile waits for the operator’s validation. 401 REAUTH_REQUIRED without a fresh re-authentication.',
      body: ZBankCreate,
      response: { 201: ZBankProfile, ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    const row = await createBankProfile(req.ctx, requireUser(req.ctx).partnerId, req.body);
    setEtag(reply, row.version);
    return reply.code(201).send(bankView(req.ctx.deps.config.secrets.fieldKey, row));
  });

  app.get('/v1/bankprofiles/:id', {
    config: { permission: 'payout.read' },
    schema: { tags: ['payout'], summary: 'One bank profile (masked), with its ETag', params: ZIdParams, response: { 200: ZBankProfile, ...errors(401, 403, 404) } },
  }, async (req, reply) => {
    const row = await getBankProfile(req.ctx, requirePartnerActor(req.ctx).partnerId, req.params.id);
    setEtag(reply, row.version);
    return bankView(req.ctx.deps.config.secrets.fieldKey, row);
  });

  app.patch('/v1/bankprofiles/:id', {
    config: { permission: 'payout.manage' },
    schema: {
      tags: ['payout'],
      summary: 'Change a bank profile (If-Match and a fresh re-authentication required)',
      description: 'Any account field replaces the whole account, validated again; a changed account or beneficiary goes back to the operator for validation.',
      params: ZIdParams,
      body: ZBankPatch,
      response: { 200: ZBankProfile, ...errors(400, 401, 403, 404, 412, 428) },
    },
  }, async (req, reply) => {
    const partnerId = requireUser(req.ctx).partnerId;
    await getBankProfile(req.ctx, partnerId, req.params.id);
    await requireFreshReauth(req.ctx);
    const row = await updateBankProfile(req.ctx, partnerId, req.params.id, ifMatchVersion(req), req.body);
    setEtag(reply, row.version);
    return bankView(req.ctx.deps.config.secrets.fieldKey, row);
  });

  app.delete('/v1/bankprofiles/:id', {
    config: { permission: 'payout.manage' },
    schema: {
      tags: ['payout'],
      summary: 'Delete a bank profile (If-Match and a fresh re-authentication required); its assignments are cleared',
      params: ZIdParams,
      response: { 204: z.null(), ...errors(401, 403, 404, 412, 428) },
    },
  }, async (req, reply) => {
    const partnerId = requireUser(req.ctx).partnerId;
    await getBankProfile(req.ctx, partnerId, req.params.id);
    await requireFreshReauth(req.ctx);
    await deleteBankProfile(req.ctx, partnerId, req.params.id, ifMatchVersion(req));
    return reply.code(204).send(null);
  });

  app.get('/v1/payoutassignments', {
    config: { permission: 'payout.read' },
    schema: {
      tags: ['payout'],
      summary: 'The bank profile and tax profile of each programme and location',
      response: { 200: z.object({ programmes: z.array(z.string()), items: z.array(ZAssignment) }), ...errors(401, 403) },
    },
  }, async (req) => ({ programmes: [...PROGRAMMES], items: await listAssignments(req.ctx, requirePartnerActor(req.ctx).partnerId) }));

  app.put('/v1/payoutassignments', {
    config: { permission: 'payout.manage' },
    schema: {
      tags: ['payout'],
      summary: 'Assign a bank profile and a tax profile to a programme or a location',
      body: z
        .object({ scopeType: z.enum(['programme', 'location']), scopeId: z.string().trim().min(1).max(60), bankProfileId: z.uuid().nullable(), taxProfileId: z.uuid().nullable() })
        .strict(),
      response: { 200: ZAssignment.omit({ label: true }), ...errors(400, 401, 403) },
    },
  }, async (req) => setAssignment(req.ctx, requirePartnerActor(req.ctx).partnerId, req.body));
};

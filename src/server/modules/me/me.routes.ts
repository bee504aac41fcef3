import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../core/audit';
import { inTransaction, requireUser, type RequestContext } from '../../core/context';
import { errors } from '../../core/schemas';
import type { SessionResolver } from '../auth/session-resolver';
import { setUserLocale } from '../users/users.repo';
import { findPartner } from '../partners/partners.repo';
import { roleNames } from '../roles/roles.service';

const ZMe = z
  .object({
    user: z.object({ id: z.uuid(), email: z.string(), firstName: z.string(), lastName: z.string(), locale: z.enum(['fr', 'en']).nullable() }),
    partner: z.object({ id: z.uuid(), companyName: z.string(), country: z.string(), currency: z.string(), status: z.string() }),
    roles: z.array(z.object({ id: z.string(), name: z.string() })),
    permissions: z.array(z.string()),
    session: z.object({ csrfToken: z.string(), expiresAt: z.string(), mfaPassed: z.boolean(), passwordChangeRequired: z.boolean() }),
  })
  .meta({ id: 'Me' });

/** Partner facts rarely change; /v1/me reads them through a small cache keyed by partner. */
const partnerCache = new Map<string, { at: number; value: { id: string; companyName: string; country: string; currency: string; status: string } }>();

async function partnerSummary(ctx: RequestContext, partnerId: string, cacheMs: number) {
  const hit = partnerCache.get(partnerId);
  if (hit && Date.now() - hit.at < cacheMs) return hit.value;
  const p = await findPartner(ctx.db, partnerId);
  if (!p) throw new Error('session partner vanished');
  const value = { id: p.id, companyName: p.company_name, country: p.country.trim(), currency: p.currency.trim(), status: p.status };
  if (partnerCache.size > 10_000) partnerCache.clear();
  partnerCache.set(partnerId, { at: Date.now(), value });
  return value;
}

type Me = Awaited<ReturnType<typeof buildMe>>;
/** A resolved principal lives for SESSION_CACHE_MS; its /v1/me answer is built once per language. */
const meByPrincipal = new WeakMap<object, Map<string, Me>>();

export async function getMe(ctx: RequestContext): Promise<Me> {
  const p = requireUser(ctx);
  let byLocale = meByPrincipal.get(p);
  const hit = byLocale?.get(ctx.locale);
  if (hit) return hit;
  const me = await buildMe(ctx);
  if (!byLocale) meByPrincipal.set(p, (byLocale = new Map()));
  byLocale.set(ctx.locale, me);
  return me;
}

async function buildMe(ctx: RequestContext) {
  const p = requireUser(ctx);
  const partner = await partnerSummary(ctx, p.partnerId, ctx.deps.config.sessionCacheMs);
  return {
    user: { id: p.userId, email: p.email, firstName: p.firstName, lastName: p.lastName, locale: p.locale },
    partner,
    roles: await roleNames(ctx, p.partnerId, p.roles),
    permissions: [...p.permissions].sort(),
    session: { csrfToken: p.session.csrfToken, expiresAt: p.session.expiresAt.toISOString(), mfaPassed: p.session.mfaPassed, passwordChangeRequired: p.mustChangePassword },
  };
}

export const meRoutes: FastifyPluginAsyncZod<{ sessions: SessionResolver }> = async (app, opts) => {
  app.get('/v1/me', {
    config: { permission: 'account.read' },
    schema: { tags: ['me'], summary: 'The signed-in user, their partner, roles and effective permissions', response: { 200: ZMe, ...errors(401, 403) } },
  }, async (req) => getMe(req.ctx));

  app.patch('/v1/me', {
    config: { permission: 'me.update' },
    schema: { tags: ['me'], summary: 'Change my preferences (language)', body: z.object({ locale: z.enum(['fr', 'en']) }).strict(), response: { 200: ZMe, ...errors(400, 401, 403) } },
  }, async (req) => {
    const p = requireUser(req.ctx);
    const before = p.locale;
    await inTransaction(req.ctx, async (tx) => {
      await setUserLocale(tx.db, p.partnerId, p.userId, req.body.locale, tx.now);
      await audit(tx, { partnerId: p.partnerId, action: 'user.updated', targetType: 'user', targetId: p.userId, changes: { locale: { before, after: req.body.locale } } });
    });
    opts.sessions.evictUser(p.userId);
    const principal = { ...p, locale: req.body.locale };
    return getMe({ ...req.ctx, principal, locale: req.body.locale });
  });
};

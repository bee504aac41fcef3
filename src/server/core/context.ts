import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database';
import type { Config } from './config';
import { AppError } from './errors';
import type { Locale } from './i18n';
import type { Mailer } from './mailer';

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  partnerId: string;
  email: string;
  firstName: string;
  lastName: string;
  locale: Locale | null;
  roles: string[];
  permissions: ReadonlySet<string>;
  mustChangePassword: boolean;
  session: SessionInfo;
}

export interface OperatorPrincipal {
  kind: 'operator';
  operatorId: string;
  email: string;
  displayName: string;
  locale: Locale | null;
  permissions: ReadonlySet<string>;
  session: SessionInfo;
}

export interface SessionInfo {
  tokenHash: string;
  csrfToken: string;
  mfaPassed: boolean;
  /** Set while a second factor is still due (after the password, before anything else). */
  mfaPending?: 'challenge' | 'register' | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** An API app acting with its bearer token (modules/apps): its roles' permissions, no "me". */
export interface AppPrincipal {
  kind: 'app';
  appId: string;
  partnerId: string;
  name: string;
  locale: null;
  roles: string[];
  permissions: ReadonlySet<string>;
  session: SessionInfo;
}

export type Principal = UserPrincipal | OperatorPrincipal | AppPrincipal;

/** Everything a service needs about the request: who, which tenant, which language. */
export interface RequestContext {
  requestId: string;
  locale: Locale;
  ip: string;
  userAgent: string | null;
  now: Date;
  principal: Principal | null;
  db: Db;
  deps: AppDeps;
  log: FastifyBaseLogger;
}

export interface AppDeps {
  config: Config;
  db: Db;
  dbKind: 'pglite' | 'postgres';
  mailer: Mailer;
  clock: () => Date;
}

export function requireUser(ctx: RequestContext): UserPrincipal {
  // An API app on a route about a signed-in person (me, sessions, settings only people change): refused, not a 500.
  if (ctx.principal?.kind === 'app') throw new AppError('FORBIDDEN');
  if (ctx.principal?.kind !== 'user') throw new Error('requireUser called on a route that is not a partner-user route');
  return ctx.principal;
}

/** A partner user or an API app of that partner: routes an app may call too (users, roles, activity log). */
export function requirePartnerActor(ctx: RequestContext): UserPrincipal | AppPrincipal {
  const p = ctx.principal;
  if (p?.kind !== 'user' && p?.kind !== 'app') throw new Error('requirePartnerActor called on a route that is not a partner route');
  return p;
}

export function requireOperator(ctx: RequestContext): OperatorPrincipal {
  if (ctx.principal?.kind !== 'operator') throw new Error('requireOperator called on a route that is not an operator route');
  return ctx.principal;
}

/** Run `fn` in one transaction; the context it receives writes through that transaction. */
export function inTransaction<T>(ctx: RequestContext, fn: (tx: RequestContext) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}

import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database';
import type { Config } from './config';
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
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export type Principal = UserPrincipal | OperatorPrincipal;

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
  if (ctx.principal?.kind !== 'user') throw new Error('requireUser called on a route that is not a partner-user route');
  return ctx.principal;
}

export function requireOperator(ctx: RequestContext): OperatorPrincipal {
  if (ctx.principal?.kind !== 'operator') throw new Error('requireOperator called on a route that is not an operator route');
  return ctx.principal;
}

/** Run `fn` in one transaction; the context it receives writes through that transaction. */
export function inTransaction<T>(ctx: RequestContext, fn: (tx: RequestContext) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}

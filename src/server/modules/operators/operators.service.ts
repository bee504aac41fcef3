import { randomBytes, randomUUID } from 'node:crypto';
import { appendAudit, audit } from '../../core/audit';
import { inTransaction, type RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { hashPassword, passwordProblems, verifyPassword } from '../../core/passwords';
import type { Db } from '../../db/database';
import { dummyPasswordHash, openSession } from '../auth/sessions.service';
import { emailKey } from '../users/users.repo';

/** A generated password: 24 base64url characters (144 bits), within the password policy. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Create an operator account (CLI). Returns the password, which is shown once. Run it inside a transaction. */
export async function createOperator(db: Db, pepper: Buffer, input: { email: string; displayName: string; password?: string }) {
  const password = input.password ?? generatePassword();
  const problems = passwordProblems(password, [input.email.split('@')[0] ?? '']);
  if (problems.length) throw new AppError('PASSWORD_POLICY', {}, problems);
  const id = randomUUID();
  // The caller owns the transaction (the CLI and the demo seed each open one).
  {
    const tx = db;
    await tx.insertInto('operators').values({ id, email: input.email.trim(), email_key: emailKey(input.email), display_name: input.displayName, password_hash: await hashPassword(pepper, password), locale: null }).execute();
    await appendAudit(tx, { partner_id: null, at: new Date(), actor_type: 'system', actor_id: null, action: 'operator.created', target_type: 'operator', target_id: id, outcome: 'success', changes: { email: { after: input.email } }, ip: null, user_agent: 'cli', request_id: null });
  }
  return { id, email: input.email, password };
}

export async function operatorSignIn(ctx: RequestContext, input: { email: string; password: string }) {
  const { pepper } = ctx.deps.config.secrets;
  const op = await ctx.db.selectFrom('operators').select(['id', 'password_hash']).where('email_key', '=', emailKey(input.email)).executeTakeFirst();
  const ok = await verifyPassword(pepper, op?.password_hash ?? (await dummyPasswordHash(pepper)), input.password);
  if (!op || !ok) throw new AppError('INVALID_CREDENTIALS');
  return inTransaction(ctx, async (tx) => {
    const s = await openSession(tx, { kind: 'operator', operatorId: op.id });
    await audit(tx, { partnerId: null, action: 'session.sign_in', targetType: 'operator', targetId: op.id, actor: { type: 'operator', id: op.id } });
    return s;
  });
}

import type { Db } from '../../db/database';

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export interface NewUser {
  id: string;
  partnerId: string;
  email: string;
  firstName: string;
  lastName: string;
  passwordHash: string;
  emailVerified: boolean;
  locale: 'fr' | 'en' | null;
  now: Date;
}

export async function insertUser(db: Db, u: NewUser): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      partner_id: u.partnerId,
      email: u.email.trim(),
      email_key: emailKey(u.email),
      first_name: u.firstName,
      last_name: u.lastName,
      password_hash: u.passwordHash,
      email_verified_at: u.emailVerified ? u.now : null,
      locale: u.locale,
      created_at: u.now,
      updated_at: u.now,
    })
    .execute();
}

export async function emailTaken(db: Db, email: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('email_key', '=', emailKey(email)).executeTakeFirst();
  return row !== undefined;
}

/** Sign-in looks a user up by email across tenants: the email is globally unique. */
export function findUserForSignIn(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'partner_id', 'email', 'password_hash', 'status', 'email_verified_at', 'must_change_password'])
    .where('email_key', '=', emailKey(email))
    .executeTakeFirst();
}

export async function assignRole(db: Db, a: { partnerId: string; userId: string; roleId: string; category: string }): Promise<void> {
  await db.insertInto('user_roles').values({ partner_id: a.partnerId, user_id: a.userId, role_id: a.roleId, category: a.category, location_id: null }).execute();
}

export async function setUserLocale(db: Db, partnerId: string, userId: string, locale: 'fr' | 'en', now: Date): Promise<void> {
  await db.updateTable('users').set({ locale, updated_at: now }).where('partner_id', '=', partnerId).where('id', '=', userId).execute();
}

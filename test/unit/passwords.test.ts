import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblems, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from '../../src/server/core/passwords';

const pepper = randomBytes(32);
const reasons = (pw: string, ctx: string[] = []) => passwordProblems(pw, ctx).map((p) => p.reason);

describe('password hashing', () => {
  it('stores argon2id with m=19456 KiB, t=2, p=1 and a fresh salt each time', async () => {
    const a = await hashPassword(pepper, 'violet tramway sur la colline');
    const b = await hashPassword(pepper, 'violet tramway sur la colline');
    expect(a.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain('violet');
  });

  it('verifies the right password', async () => {
    const h = await hashPassword(pepper, 'violet tramway sur la colline');
    expect(await verifyPassword(pepper, h, 'violet tramway sur la colline')).toBe(true);
  });

  it('NFKC-equivalent passwords verify: full-width letters and a decomposed accent', async () => {
    const h = await hashPassword(pepper, 'Café violet tramway 1987');
    // Full-width Latin letters and digits normalise to ASCII under NFKC.
    const fullWidth = 'Ｃａｆé ｖｉｏｌｅｔ ｔｒａｍｗａｙ １９８７';
    expect(fullWidth).not.toBe('Café violet tramway 1987');
    expect(await verifyPassword(pepper, h, fullWidth)).toBe(true);
    // "e" + combining acute accent is the same password as "é".
    expect(await verifyPassword(pepper, h, 'Cafe\u0301 violet tramway 1987')).toBe(true);
  });

  it('does not truncate: the password with one more character does not verify', async () => {
    const long = 'x'.repeat(PASSWORD_MAX - 1);
    const h = await hashPassword(pepper, long);
    expect(await verifyPassword(pepper, h, `${long}x`)).toBe(false);
    const h2 = await hashPassword(pepper, 'violet tramway sur la colline');
    expect(await verifyPassword(pepper, h2, 'violet tramway sur la collinex')).toBe(false);
    expect(await verifyPassword(pepper, h2, 'violet tramway sur la collin')).toBe(false);
  });

  it('is case-sensitive', async () => {
    const h = await hashPassword(pepper, 'violet tramway sur la colline');
    expect(await verifyPassword(pepper, h, 'Violet tramway sur la colline')).toBe(false);
  });

  it('a different pepper does not verify', async () => {
    const h = await hashPassword(pepper, 'violet tramway sur la colline');
    expect(await verifyPassword(randomBytes(32), h, 'violet tramway sur la colline')).toBe(false);
  });

  it('a corrupt stored hash is a failed verification, not a crash', async () => {
    expect(await verifyPassword(pepper, 'not-a-hash', 'violet tramway sur la colline')).toBe(false);
  });
});

describe('password policy', () => {
  it(`requires at least ${PASSWORD_MIN} code points`, () => {
    expect(reasons('a'.repeat(PASSWORD_MIN - 1) + 'z')).toEqual([]);
    const short = passwordProblems('vtsc-1987-qwzk');
    expect(short).toEqual([{ field: 'password', reason: 'too_short', message: '', params: { min: 15 } }]);
  });

  it('counts length in code points, not UTF-16 units: 15 emoji pass, 14 do not', () => {
    expect('😀'.repeat(14).length).toBe(28);
    expect(reasons('😀'.repeat(14))).toEqual(['too_short']);
    expect(reasons('😀'.repeat(15))).toEqual([]);
  });

  it(`accepts ${PASSWORD_MAX} code points and refuses ${PASSWORD_MAX + 1}`, () => {
    const base = 'violet tramway sur la colline ';
    const make = (n: number) => base.repeat(10).slice(0, n);
    expect(reasons(make(PASSWORD_MAX))).toEqual([]);
    expect(passwordProblems(make(PASSWORD_MAX + 1))).toEqual([{ field: 'password', reason: 'too_long', message: '', params: { max: 128 } }]);
  });

  it('allows spaces, any script and no composition rules', () => {
    expect(reasons('un mot de passe tout simple')).toEqual([]);
    expect(reasons('пароль из кириллицы тут')).toEqual([]);
    expect(reasons('ここはとてもしずかなやまのうえ')).toEqual([]);
  });

  it('refuses common passwords, whatever their case', () => {
    expect(reasons('passwordpassword')).toEqual(['common']);
    expect(reasons('PasswordPassword')).toEqual(['common']);
  });

  it('refuses a password containing a context word of 4+ letters (company, email local part)', () => {
    expect(reasons('my fabrikam password 2026', ['Fabrikam Conseil'])).toEqual(['contextual']);
    expect(reasons('conseil tramway violet 99', ['Fabrikam Conseil'])).toEqual(['contextual']);
    expect(reasons('hello jeanne tramway 1987', ['jeanne.dupont'])).toEqual(['contextual']);
    // Short words (under 4 letters) are not context: "SA" would refuse half of all passwords.
    expect(reasons('violet tramway sur la colline', ['Fab SA'])).toEqual([]);
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/database';
import { decryptField, encryptField } from '../../core/crypto';
import { taxNumberPurpose } from '../tax/tax.service';
import { bankPurpose, ENCRYPTED_BANK_FIELDS } from './banking.service';

/**
 * Re-encrypt every encrypted field — bank account fields, tax registration numbers, TOTP
 * secrets — from `oldKey` to `newKey`, in one transaction with the rows locked: either every
 * value moves to the new key or none does (a value the old key cannot decrypt aborts it).
 */
export async function rotateFieldKey(db: Db, oldKey: Buffer, newKey: Buffer) {
  const moved = (purpose: string, v: string | null) => (v ? encryptField(newKey, purpose, decryptField(oldKey, purpose, v)) : null);
  return db.transaction().execute(async (tx) => {
    let bankFields = 0;
    let taxNumbers = 0;
    let totpSecrets = 0;
    const banks = await tx.selectFrom('bank_profiles').select(['id', 'partner_id', 'iban_enc', 'bic_enc', 'account_number_enc', 'routing_number_enc', 'sort_code_enc']).forUpdate().execute();
    for (const b of banks) {
      const set: Record<string, string | null> = {};
      for (const f of ENCRYPTED_BANK_FIELDS) {
        const col = `${f}_enc` as const;
        if (b[col]) {
          set[col] = moved(bankPurpose(f, b.partner_id, b.id), b[col]);
          bankFields += 1;
        }
      }
      if (Object.keys(set).length) await tx.updateTable('bank_profiles').set(set).where('id', '=', b.id).execute();
    }
    const taxes = await tx.selectFrom('tax_profiles').select(['id', 'partner_id', 'registration_number_enc']).where('registration_number_enc', 'is not', null).forUpdate().execute();
    for (const r of taxes) {
      await tx.updateTable('tax_profiles').set({ registration_number_enc: moved(taxNumberPurpose(r.partner_id, r.id), r.registration_number_enc) }).where('id', '=', r.id).execute();
      taxNumbers += 1;
    }
    const users = await tx
      .selectFrom('users')
      .select(['id', 'totp_secret', 'totp_pending_secret'])
      .where((eb) => eb.or([eb('totp_secret', 'is not', null), eb('totp_pending_secret', 'is not', null)]))
      .forUpdate()
      .execute();
    for (const u of users) {
      await tx.updateTable('users').set({ totp_secret: moved('totp', u.totp_secret), totp_pending_secret: moved('totp', u.totp_pending_secret) }).where('id', '=', u.id).execute();
      totpSecrets += (u.totp_secret ? 1 : 0) + (u.totp_pending_secret ? 1 : 0);
    }
    return { bankFields, taxNumbers, totpSecrets };
  });
}

/**
 * The CLI's `rotate-field-key`. With the key in DATA_DIR/secrets.json: the new key is written
 * there first as `fieldKeyNext` (so a crash after the commit never loses it), the data is
 * re-encrypted, then it becomes `fieldKey`. With FIELD_KEY from the environment, the operator
 * supplies the new key (NEW_FIELD_KEY) so it exists before any data is encrypted under it.
 */
export async function rotateFieldKeyCommand(db: Db, opts: { dataDir: string; currentKey: Buffer; keyFromEnv: boolean; newKey?: Buffer; log: (s: string) => void }) {
  if (opts.keyFromEnv && !opts.newKey) {
    throw new Error('FIELD_KEY comes from the environment: generate the new key first (e.g. `openssl rand -hex 32`), keep it safe, and run the command again with NEW_FIELD_KEY=<new key>.');
  }
  const newKey = opts.newKey ?? randomBytes(32);
  const file = join(opts.dataDir, 'secrets.json');
  const writeJson = (v: Record<string, string>) => {
    writeFileSync(`${file}.tmp`, JSON.stringify(v, null, 2), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };
  const stored: Record<string, string> = !opts.keyFromEnv && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  if (!opts.keyFromEnv) writeJson({ ...stored, fieldKeyNext: newKey.toString('hex') });
  const r = await rotateFieldKey(db, opts.currentKey, newKey);
  if (!opts.keyFromEnv) {
    const { fieldKeyNext: _next, ...rest } = stored;
    writeJson({ ...rest, fieldKey: newKey.toString('hex') });
    opts.log(`Re-encrypted ${r.bankFields} bank fields, ${r.taxNumbers} tax numbers and ${r.totpSecrets} TOTP secrets. The new key is in ${file}; restart the server.`);
  } else {
    opts.log(`Re-encrypted ${r.bankFields} bank fields, ${r.taxNumbers} tax numbers and ${r.totpSecrets} TOTP secrets.`);
    opts.log('Set FIELD_KEY to the value of NEW_FIELD_KEY before restarting the server.');
  }
  return { ...r, newKey };
}

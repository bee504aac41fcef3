import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** A PostgreSQL server; when absent the embedded PGlite database under dataDir is used. */
  databaseUrl: string | undefined;
  /** An SMTP server; when absent mail is written as .eml files under dataDir/outbox. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** The public base URL, used to build links in mail (never taken from the Host header). */
  publicUrl: string;
  /** Keyed secrets: password pepper, token HMAC key, and the key that encrypts sensitive fields (TOTP secrets, banking, tax ids). */
  secrets: { pepper: Buffer; tokenKey: Buffer; fieldKey: Buffer };
  /** Domains refused at enrolment (personal mailboxes). */
  refusedEmailDomains: string[];
  cookieSecure: boolean;
  logLevel: string;
  /** How long a resolved session may be served from the in-process cache. */
  sessionCacheMs: number;
  /** Rate limit on sign-in and enrolment, per IP per minute. */
  authRateLimitPerMinute: number;
  /** Rate limit on the public directory's search, per IP per minute. */
  directoryRateLimitPerMinute: number;
  /** Failed sign-ins an IP may make (a bucket refilling over 24 hours), before 429. */
  loginFailuresPerIp: number;
  /** "Contact this partner" messages an IP may send per hour (CONTACT_RATE_LIMIT). */
  contactRateLimitPerHour: number;
  serveWeb: boolean;
}

/** Personal-mailbox domains refused at enrolment by default (reference §1.1). Override with REFUSED_EMAIL_DOMAINS. */
export const DEFAULT_REFUSED_DOMAINS = [
  'hotmail.com', 'hotmail.fr', 'live.com', 'live.fr', 'outlook.com', 'outlook.fr', 'msn.com',
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.fr', 'ymail.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com',
  'gmx.com', 'gmx.fr', 'gmx.de', 'web.de', 'mail.com', 'proton.me', 'protonmail.com', 'orange.fr', 'wanadoo.fr',
  'free.fr', 'sfr.fr', 'laposte.net', 'yandex.com', 'yandex.ru', 'mail.ru', 'qq.com', '163.com',
];

/**
 * Secrets come from the environment (PEPPER, TOKEN_KEY, FIELD_KEY as 64 hex chars) or, for a
 * self-hosted single box, from `<dataDir>/secrets.json`, generated on first start
 * with mode 0600. Nothing secret is in the repository.
 */
function loadSecrets(dataDir: string, env: NodeJS.ProcessEnv): Config['secrets'] {
  const fromEnv = (name: string) => {
    const v = env[name];
    if (!v) return undefined;
    if (!/^[0-9a-f]{64,}$/i.test(v)) throw new Error(`${name} must be at least 64 hex characters (32 bytes)`);
    return Buffer.from(v, 'hex');
  };
  const file = join(dataDir, 'secrets.json');
  let stored: Record<string, string> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  let changed = false;
  for (const key of ['pepper', 'tokenKey', 'fieldKey']) {
    if (!stored[key]) {
      stored[key] = randomBytes(32).toString('hex');
      changed = true;
    }
  }
  if (changed && (!env.PEPPER || !env.TOKEN_KEY || !env.FIELD_KEY)) writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  return {
    pepper: fromEnv('PEPPER') ?? Buffer.from(stored.pepper!, 'hex'),
    tokenKey: fromEnv('TOKEN_KEY') ?? Buffer.from(stored.tokenKey!, 'hex'),
    fieldKey: fromEnv('FIELD_KEY') ?? Buffer.from(stored.fieldKey!, 'hex'),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = resolve(overrides.dataDir ?? env.DATA_DIR ?? './data');
  mkdirSync(dataDir, { recursive: true });
  const port = overrides.port ?? Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'Partner Space <no-reply@partner-space.localhost>',
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    secrets: loadSecrets(dataDir, env),
    refusedEmailDomains: env.REFUSED_EMAIL_DOMAINS
      ? env.REFUSED_EMAIL_DOMAINS.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean)
      : DEFAULT_REFUSED_DOMAINS,
    cookieSecure: env.COOKIE_SECURE !== 'false',
    logLevel: env.LOG_LEVEL ?? 'info',
    sessionCacheMs: Number(env.SESSION_CACHE_MS ?? 2000),
    authRateLimitPerMinute: Number(env.AUTH_RATE_LIMIT ?? 20),
    directoryRateLimitPerMinute: Number(env.DIRECTORY_RATE_LIMIT ?? 300),
    loginFailuresPerIp: Number(env.LOGIN_FAILURES_PER_IP ?? 100),
    contactRateLimitPerHour: Number(env.CONTACT_RATE_LIMIT ?? 5),
    serveWeb: env.SERVE_WEB !== 'false',
    ...overrides,
  };
}

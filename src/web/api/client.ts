/**
 * The one way the web app talks to the API.
 *
 * - JSON in, JSON out; the browser's HttpOnly session cookie authenticates
 *   (`credentials: 'same-origin'`); the session token is never stored.
 * - Every call sends `Accept-Language` with the current UI locale, so server
 *   messages come back in the user's language.
 * - Every write (POST/PUT/PATCH/DELETE) sends the session's CSRF token, kept in
 *   memory only (one for the partner session, one for the operator session).
 * - A 401 UNAUTHENTICATED / SESSION_EXPIRED is reported to the registered
 *   handler, which sends the user to the matching sign-in page; a 403
 *   PASSWORD_CHANGE_REQUIRED too, which sends the user to /change-password, and a
 *   401 MFA_REQUIRED, which sends them to /mfa.
 */

export type Principal = 'partner' | 'operator';

export interface ErrorDetail {
  /** For an uploaded file (CSV import): the line the problem is on (header = 1). */
  line?: number;
  field?: string;
  reason: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The session is gone, or owes something first: the app is already on its way to the right page. */
  get isAuthFailure(): boolean {
    return (this.status === 401 && (this.code === 'UNAUTHENTICATED' || this.code === 'SESSION_EXPIRED')) || this.isPasswordChangeRequired || this.isMfaRequired;
  }

  /** The call needs multi-factor authentication first: the app is on its way to /mfa. */
  get isMfaRequired(): boolean {
    return this.status === 401 && this.code === MFA_REQUIRED;
  }

  /** The user signed in with a temporary password: the app is on its way to /change-password. */
  get isPasswordChangeRequired(): boolean {
    return this.status === 403 && this.code === PASSWORD_CHANGE_REQUIRED;
  }
}

/** 401 code of a call that needs a session that passed multi-factor authentication. */
export const MFA_REQUIRED = 'MFA_REQUIRED';

/** Code used when the server could not be reached or answered something that is not our JSON. */
export const NETWORK_ERROR = 'NETWORK_ERROR';

/** 403 code of every partner call (but sign-out and the password change) while a temporary password is in use. */
export const PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED';

const state: { locale: string; csrf: Record<Principal, string | null> } = {
  locale: 'en',
  csrf: { partner: null, operator: null },
};

export function setApiLocale(locale: string): void {
  state.locale = locale;
}

export function setCsrfToken(principal: Principal, token: string | null): void {
  state.csrf[principal] = token;
}

/** Whether this page holds the session's CSRF token (it is lost on reload until GET /v1/me answers). */
export function hasCsrfToken(principal: Principal): boolean {
  return state.csrf[principal] !== null;
}

type AuthFailureHandler = (principal: Principal, error: ApiError) => void;
let authFailureHandler: AuthFailureHandler | null = null;

export function onAuthFailure(handler: AuthFailureHandler | null): void {
  authFailureHandler = handler;
}

export function principalOf(path: string): Principal {
  return path.startsWith('/v1/operator') ? 'operator' : 'partner';
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** A body sent as is with its content type (e.g. a CSV file), instead of `body` as JSON. */
  rawBody?: { contentType: string; data: Blob | string };
  signal?: AbortSignal;
  /** Set false on sign-in forms: a 401 there is a wrong password, not a lost session. */
  redirectOnAuthFailure?: boolean;
  /** Extra request headers (e.g. If-Match). */
  headers?: Record<string, string>;
  /** Sees the raw response before its body is read (e.g. to keep its ETag). */
  onResponse?: (res: Response) => void;
}

function isErrorBody(v: unknown): v is { code: string; message: string; details?: ErrorDetail[]; requestId?: string } {
  return typeof v === 'object' && v !== null && typeof (v as { code?: unknown }).code === 'string' && typeof (v as { message?: unknown }).message === 'string';
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const principal = principalOf(path);
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': state.locale };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.rawBody) headers['Content-Type'] = opts.rawBody.contentType;
  const csrf = state.csrf[principal];
  if (UNSAFE.has(method) && csrf) headers['X-CSRF-Token'] = csrf;
  if (opts.headers) Object.assign(headers, opts.headers);

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.rawBody ? opts.rawBody.data : opts.body === undefined ? null : JSON.stringify(opts.body),
      signal: opts.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, NETWORK_ERROR, '');
  }

  opts.onResponse?.(res);
  if (res.status === 204) return undefined as T;
  let data: unknown = undefined;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (res.ok) return data as T;

  const err = isErrorBody(data)
    ? new ApiError(res.status, data.code, data.message, Array.isArray(data.details) ? data.details : [], data.requestId)
    : new ApiError(res.status, NETWORK_ERROR, '');
  if (err.isAuthFailure && opts.redirectOnAuthFailure !== false) {
    // A temporary password keeps the session (and its CSRF token) for the password change.
    if (!err.isPasswordChangeRequired && !err.isMfaRequired) state.csrf[principal] = null;
    authFailureHandler?.(principal, err);
  }
  throw err;
}

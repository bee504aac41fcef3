/**
 * One error type for the whole API. Each code has a stable HTTP status and a
 * translated message (`error.<CODE>` in src/server/i18n/{en,fr}.json).
 * The client always receives `{code, message, details}`; never a stack trace.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  INVALID_VERIFICATION_CODE: 400,
  VERIFICATION_CODE_EXPIRED: 400,
  PASSWORD_POLICY: 400,
  EMAIL_DOMAIN_REFUSED: 400,
  EMAIL_ROLE_ADDRESS_REFUSED: 400,
  INVALID_CONTINUATION_TOKEN: 400,
  ROLE_CATEGORY_CONFLICT: 400,
  UNKNOWN_ROLE: 400,
  UNKNOWN_PERMISSION: 400,
  PASSWORD_REUSED: 400,
  INVALID_DATE_RANGE: 400,
  INVALID_RESET_TOKEN: 400,
  IMPORT_INVALID: 400,
  IMPORT_TOO_MANY_ROWS: 400,
  INVITATION_INVALID: 400,
  MFA_CODE_INVALID: 400,
  FILE_EMPTY: 400,
  FILE_TYPE_REFUSED: 400,
  FIELD_LOCKED: 400,
  IMAGE_TOO_SMALL: 400,
  CONTACT_REFUSED: 400,
  ARCHIVE_CORRUPT: 400,
  UNKNOWN_MARKET: 400,
  UNKNOWN_MONTH: 404,
  PIN_LIMIT: 400,
  INVALID_CREDENTIALS: 401,
  INVALID_CLIENT: 401,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  MFA_REQUIRED: 401,
  REAUTH_REQUIRED: 401,
  EMAIL_NOT_VERIFIED: 403,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  ROLE_ESCALATION: 403,
  GLOBAL_ADMIN_RESET_FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  EMAIL_ALREADY_REGISTERED: 409,
  COMPANY_ALREADY_ENROLLED: 409,
  ALREADY_VERIFIED: 409,
  LAST_GLOBAL_ADMIN: 409,
  APP_SECRET_LIMIT: 409,
  USER_NOT_INVITED: 409,
  MFA_STATE_CONFLICT: 409,
  ROLE_NAME_TAKEN: 409,
  ROLE_BUILT_IN: 409,
  ROLE_IN_USE: 409,
  TAX_PROFILE_EXISTS: 409,
  REVIEW_CLOSED: 409,
  REVIEW_NOT_PENDING: 409,
  LOCATION_IN_USE: 409,
  BUSINESS_PROFILE_EXISTS: 409,
  LEAD_TRANSITION_INVALID: 409,
  IMPORT_IN_PROGRESS: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PRECONDITION_REQUIRED: 428,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  /** The field, as a JSON path such as `address.postalCode`. */
  field?: string;
  /** A stable reason code, e.g. `too_big`, `required`, `invalid_format`. */
  reason: string;
  message: string;
  /** Values for the reason's message, e.g. `{min: 15}`; not sent to clients. */
  params?: Record<string, string | number>;
  /** For a file upload (CSV import): the line of the file the detail is about (header = 1). */
  line?: number;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly details: ErrorDetail[] = [],
  ) {
    super(code);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

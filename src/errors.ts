// The error catalogue: every failure that reaches a caller has a stable code, an HTTP status and a
// message. A policy denial is NOT an error (it is a Finding); these are for what went wrong.

export const ERRORS = {
  TG_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "Content-Type must be application/json" },
  TG_INVALID_JSON: { status: 400, message: "request body is not valid JSON" },
  TG_NOT_ADMISSION_REVIEW: { status: 400, message: "request body is not an AdmissionReview" },
  TG_UNSUPPORTED_VERSION: { status: 400, message: "unsupported AdmissionReview apiVersion" },
  TG_MISSING_UID: { status: 400, message: "request.uid is missing or empty" },
  TG_INVALID_REQUEST: { status: 400, message: "AdmissionReview request is malformed" },
  TG_BODY_TOO_LARGE: { status: 413, message: "request body exceeds the size limit" },
  TG_EMPTY_BODY: { status: 400, message: "request body is empty" },
  TG_NOT_FOUND: { status: 404, message: "no such route" },
  TG_METHOD_NOT_ALLOWED: { status: 405, message: "method not allowed on this route" },
  TG_UNAUTHENTICATED: { status: 401, message: "caller is not authenticated" },
  TG_REQUEST_TIMEOUT: { status: 408, message: "request was not received in time" },
  TG_SHUTTING_DOWN: { status: 503, message: "server is shutting down" },
  TG_INTERNAL: { status: 500, message: "internal error" },
  TG_CONFIG_INVALID: { status: 0, message: "configuration is invalid" },
  TG_DIRECTORY_INVALID: { status: 0, message: "tenant directory input is invalid" },
  TG_USAGE: { status: 0, message: "bad command-line usage" },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class TenantGuardError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    const base = ERRORS[code].message;
    super(detail ? `${base}: ${detail}` : base, options);
    this.name = "TenantGuardError";
    this.code = code;
    this.status = ERRORS[code].status;
    this.detail = detail;
  }

  /** The JSON body an HTTP caller receives. */
  toJSON(): { error: { code: ErrorCode; status: number; message: string } } {
    return { error: { code: this.code, status: this.status, message: this.message } };
  }
}

export function isTenantGuardError(e: unknown): e is TenantGuardError {
  return e instanceof TenantGuardError;
}

/** A thrown value's message; rules may throw anything, including null or a string. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  try {
    return String(e);
  } catch {
    return Object.prototype.toString.call(e);
  }
}

// The error catalogues: every failure that reaches a caller has a stable code and a message; an HTTP
// caller's also has its status, a command's (CLI_ERRORS) ends the command instead. A policy denial
// is NOT an error (it is a Finding); these are for what went wrong.

/** What an HTTP caller receives: the status and the JSON body's code. */
const HTTP_ERRORS = {
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
} as const;

/** What ends a command (flags, configuration, directory input) before anything is served: no status. */
const CLI_ERRORS = {
  TG_CONFIG_INVALID: { message: "configuration is invalid" },
  TG_DIRECTORY_INVALID: { message: "tenant directory input is invalid" },
  TG_USAGE: { message: "bad command-line usage" },
} as const;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;
export type CliErrorCode = keyof typeof CLI_ERRORS;
export type ErrorCode = HttpErrorCode | CliErrorCode;

const isHttpCode = (code: ErrorCode): code is HttpErrorCode => Object.hasOwn(HTTP_ERRORS, code);

export class TenantGuardError extends Error {
  readonly code: ErrorCode;
  /** The HTTP status; a CLI error that still reaches an HTTP caller is answered as a 500. */
  readonly status: number;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    const base = isHttpCode(code) ? HTTP_ERRORS[code].message : CLI_ERRORS[code].message;
    super(detail ? `${base}: ${detail}` : base, options);
    this.name = "TenantGuardError";
    this.code = code;
    this.status = isHttpCode(code) ? HTTP_ERRORS[code].status : 500;
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

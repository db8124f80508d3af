// Who may call. mTLS: the TLS server REQUESTS a client certificate but does not reject connections
// without one (the kubelet's probes have none); each route decides here whether it needs an
// authorized one. JWT: `Authorization: Bearer` verified with jose against the configured JWKS,
// issuer, audience and clock tolerance. Failures are 401 TG_UNAUTHENTICATED, counted by reason;
// the token itself is never logged or echoed.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import type { Logger } from "pino";
import type { Config } from "../config/schema.ts";
import { TenantGuardError } from "../errors.ts";
import type { KeySource } from "./jwks.ts";
import type { Metrics } from "./metrics.ts";
import { sendJson } from "./respond.ts";
import { VerifiedTokens } from "./verified-tokens.ts";

export type AuthResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: AuthResult = { ok: true };
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

export interface Authenticator {
  /** False when neither mTLS nor JWT is configured: every route is open. */
  readonly enabled: boolean;
  authenticate(req: IncomingMessage): AuthResult | Promise<AuthResult>;
}

export function createAuthenticator(cfg: Config, keys: KeySource | undefined): Authenticator {
  const mtls = cfg.server.clientCa !== undefined;
  const names = new Set(cfg.auth.clientNames);
  const jwt = cfg.auth.jwt;
  const requireAll = cfg.auth.require === "all";

  const checkCert = (req: IncomingMessage): AuthResult => {
    const socket = req.socket as TLSSocket;
    if (socket.authorized !== true) {
      const peer = typeof socket.getPeerCertificate === "function" ? socket.getPeerCertificate() : undefined;
      const presented = peer !== undefined && Object.keys(peer).length > 0;
      return { ok: false, reason: presented ? "client_cert_untrusted" : "client_cert_missing" };
    }
    if (names.size === 0) return OK;
    const peer = socket.getPeerCertificate();
    const cn = peer.subject?.CN;
    const cns = Array.isArray(cn) ? cn : cn === undefined ? [] : [cn];
    const sans = (peer.subjectaltname ?? "")
      .split(", ")
      .filter((s) => s.startsWith("DNS:"))
      .map((s) => s.slice(4));
    return [...cns, ...sans].some((n) => names.has(n)) ? OK : { ok: false, reason: "client_cert_name" };
  };

  const verified = new VerifiedTokens();
  const checkToken = async (req: IncomingMessage): Promise<AuthResult> => {
    const header = req.headers.authorization;
    if (header === undefined) return { ok: false, reason: "token_missing" };
    const m = BEARER.exec(header);
    if (m === null || keys === undefined) return { ok: false, reason: "token_malformed" };
    const token = m[1] as string;
    verified.sync(keys.generation);
    if (verified.has(token, Date.now())) return OK;
    try {
      const result = await keys.verify(token, {
        issuer: jwt.issuer,
        audience: jwt.audience,
        clockTolerance: jwt.clockToleranceSec,
        algorithms: jwt.algorithms,
        requiredClaims: ["exp"],
      });
      const exp = (result as { payload?: { exp?: unknown } } | undefined)?.payload?.exp;
      if (typeof exp === "number") verified.add(token, exp, jwt.clockToleranceSec, Date.now());
      return OK;
    } catch (e) {
      return { ok: false, reason: tokenReason((e as { code?: unknown }).code) };
    }
  };

  const useJwt = keys !== undefined;
  return {
    enabled: mtls || useJwt,
    authenticate(req) {
      const cert = mtls ? checkCert(req) : undefined;
      if (!useJwt) return cert ?? OK;
      if (cert !== undefined) {
        if (cert.ok && !requireAll) return OK;
        if (!cert.ok && requireAll) return cert;
      }
      return checkToken(req).then((tok) => {
        if (tok.ok || cert === undefined || requireAll) return tok;
        // Neither worked: name the credential the caller actually tried.
        return tok.reason === "token_missing" ? cert : tok;
      });
    },
  };
}

function tokenReason(code: unknown): string {
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return "token_expired";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      return "token_claims";
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return "token_signature";
    case "ERR_JWKS_TIMEOUT":
    case "ERR_JOSE_GENERIC":
      return "token_keys_unavailable";
    default:
      return "token_invalid";
  }
}

type Next = (err?: unknown) => void;

/** Express middleware: lets an authenticated caller through, answers 401 otherwise. */
export function requireCaller(
  route: string,
  auth: Authenticator,
  metrics: Metrics,
  log: Logger,
  bearer: boolean,
) {
  const refuse = (req: IncomingMessage, res: ServerResponse, reason: string): void => {
    metrics.authFailures.inc({ route, reason });
    metrics.errors.inc({ route, code: "TG_UNAUTHENTICATED" });
    log.warn({ route, reason, remote: req.socket.remoteAddress }, "caller refused: not authenticated");
    if (bearer) res.setHeader("www-authenticate", 'Bearer realm="tenant-guard"');
    const err = new TenantGuardError("TG_UNAUTHENTICATED", reason);
    // Close: an unauthenticated caller's body is not worth reading.
    sendJson(res, err.status, JSON.stringify(err.toJSON()), true);
  };
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const r = auth.authenticate(req);
    if (!(r instanceof Promise)) {
      if (r.ok) next();
      else refuse(req, res, r.reason);
      return;
    }
    r.then(
      (v) => (v.ok ? next() : refuse(req, res, v.reason)),
      (e: unknown) => next(e),
    );
  };
}

// Serving certificate: the given PEM files, or a self-signed ECDSA P-256 certificate generated at
// start (for `npm start`, tests and trying it out; a cluster uses certs-scripts or cert-manager).
import { readFile } from "node:fs/promises";
import { X509Certificate, createPrivateKey } from "node:crypto";
import type { SecureContextOptions } from "node:tls";
import { TenantGuardError } from "../errors.ts";

export interface ServingCert {
  readonly cert: string;
  readonly key: string;
  readonly selfSigned: boolean;
  readonly notAfter: Date;
  readonly dnsNames: readonly string[];
}

export function defaultDnsNames(namespace: string, extra: readonly string[]): string[] {
  const svc = "tenant-guard";
  return [
    "localhost",
    svc,
    `${svc}.${namespace}`,
    `${svc}.${namespace}.svc`,
    `${svc}.${namespace}.svc.cluster.local`,
    ...extra,
  ];
}

export async function selfSignedCert(dnsNames: readonly string[]): Promise<ServingCert> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  // Loaded only when needed: with --tls-cert/--tls-key the library's load time is saved.
  const { generate } = await import("selfsigned");
  const pems = await generate([{ name: "commonName", value: "tenant-guard" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          ...dnsNames.map((value) => ({ type: 2 as const, value })),
          { type: 7 as const, ip: "127.0.0.1" },
          { type: 7 as const, ip: "::1" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private, selfSigned: true, notAfter, dnsNames };
}

/** Reads and checks a PEM pair; a pair whose key does not match the certificate is refused. */
export async function loadCertFiles(certPath: string, keyPath: string): Promise<ServingCert> {
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(certPath, "utf8"), readFile(keyPath, "utf8")]);
  } catch (e) {
    throw new TenantGuardError("TG_CONFIG_INVALID", `cannot read TLS files: ${(e as Error).message}`);
  }
  return parseCertPair(cert, key, certPath, keyPath);
}

export function parseCertPair(cert: string, key: string, certPath: string, keyPath: string): ServingCert {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (e) {
    throw new TenantGuardError(
      "TG_CONFIG_INVALID",
      `${certPath}: not a PEM certificate (${(e as Error).message})`,
    );
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(key))) throw new Error("key does not match certificate");
  } catch (e) {
    throw new TenantGuardError("TG_CONFIG_INVALID", `${keyPath}: ${(e as Error).message}`);
  }
  const dnsNames = (x509.subjectAltName ?? "")
    .split(", ")
    .filter((s) => s.startsWith("DNS:"))
    .map((s) => s.slice(4));
  return { cert, key, selfSigned: false, notAfter: new Date(x509.validTo), dnsNames };
}

/** The CA bundle client certificates must chain to (mTLS). */
export interface ClientCa {
  readonly pem: string;
  /** The earliest notAfter in the bundle. */
  readonly notAfter: Date;
  readonly count: number;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads a PEM bundle; every certificate in it must parse, and there must be at least one. */
export async function loadClientCa(path: string): Promise<ClientCa> {
  let pem: string;
  try {
    pem = await readFile(path, "utf8");
  } catch (e) {
    throw new TenantGuardError("TG_CONFIG_INVALID", `cannot read client CA: ${(e as Error).message}`);
  }
  return parseClientCa(pem, path);
}

export function parseClientCa(pem: string, path: string): ClientCa {
  const blocks = pem.match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw new TenantGuardError("TG_CONFIG_INVALID", `${path}: no PEM certificate`);
  let notAfter = Infinity;
  for (const block of blocks) {
    try {
      notAfter = Math.min(notAfter, Date.parse(new X509Certificate(block).validTo));
    } catch (e) {
      throw new TenantGuardError("TG_CONFIG_INVALID", `${path}: ${(e as Error).message}`);
    }
  }
  return { pem, notAfter: new Date(notAfter), count: blocks.length };
}

/** What the TLS server (and every later setSecureContext) is given. */
export function secureContextOptions(cert: ServingCert, ca: ClientCa | undefined): SecureContextOptions {
  return ca === undefined
    ? { cert: cert.cert, key: cert.key, minVersion: "TLSv1.2" }
    : { cert: cert.cert, key: cert.key, ca: ca.pem, minVersion: "TLSv1.2" };
}

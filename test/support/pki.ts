// Test PKI: a CA and leaf certificates it signs (ECDSA P-256, fast to make), for mTLS and for
// certificate rotation tests. Real X.509 through selfsigned, no canned PEM files.
import { generate } from "selfsigned";

export interface Pem {
  readonly cert: string;
  readonly key: string;
}

export async function makeCa(cn = "test-ca"): Promise<Pem> {
  const p = await generate([{ name: "commonName", value: cn }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(Date.now() - 60_000),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: p.cert, key: p.private };
}

export interface LeafOptions {
  readonly cn: string;
  readonly usage: "server" | "client";
  readonly days?: number;
}

/** A leaf signed by `ca`; server leaves carry localhost/127.0.0.1 SANs. */
export async function makeLeaf(ca: Pem, o: LeafOptions): Promise<Pem> {
  const notBefore = new Date(Date.now() - 60_000);
  const p = await generate([{ name: "commonName", value: o.cn }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: notBefore,
    notAfterDate: new Date(notBefore.getTime() + (o.days ?? 30) * 86_400_000),
    ca,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      o.usage === "server"
        ? { name: "extKeyUsage", serverAuth: true }
        : { name: "extKeyUsage", clientAuth: true },
      {
        name: "subjectAltName",
        altNames:
          o.usage === "server"
            ? [
                { type: 2, value: "localhost" },
                { type: 7, ip: "127.0.0.1" },
              ]
            : [{ type: 2, value: o.cn }],
      },
    ],
  });
  return { cert: p.cert, key: p.private };
}

/** A CA and a localhost / 127.0.0.1 serving certificate it signed (an HTTPS fake API server's). */
export async function makeServerPki(cn: string): Promise<{ ca: Pem; serving: Pem }> {
  const ca = await makeCa(`${cn}-ca`);
  return { ca, serving: await makeLeaf(ca, { cn, usage: "server" }) };
}

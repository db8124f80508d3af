// What the in-process benchmarks decide against: the engine exactly as `serve` builds it (default
// config, the full rule and mutator catalogue) and AdmissionReview bodies as raw compact JSON bytes,
// the way the API server sends them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeReview } from "../src/admission/decode.ts";
import { encodeReview } from "../src/admission/encode.ts";
import { buildConfig } from "../src/policy/config.ts";
import { policySettings } from "../src/policy/settings.ts";
import { mutatorRegistry, ruleRegistry } from "../src/policy/catalogue.ts";
import { decide, type Decision, type Endpoint, type Engine } from "../src/policy/engine.ts";
import type { TenantView } from "../src/tenancy/view.ts";

export const ROOT = join(import.meta.dirname, "..");
export const FIXTURES = join(ROOT, "test", "fixtures", "admission");

export function defaultEngine(overrides: Record<string, unknown> = {}): Engine {
  const cfg = buildConfig(undefined, overrides);
  return { rules: ruleRegistry(), mutators: mutatorRegistry(), settings: policySettings(cfg) };
}

/** A fixture as the bytes on the wire: compact JSON, like the API server's encoder. */
export function fixtureBody(name: string): Buffer {
  const text = readFileSync(join(FIXTURES, `${name}.json`), "utf8");
  return Buffer.from(JSON.stringify(JSON.parse(text)));
}

/** One endpoint's whole in-process work: bytes -> Review -> Decision -> response body. */
export function review(endpoint: Endpoint, body: Buffer, view: TenantView, engine: Engine): string {
  const r = decodeReview(body);
  return encodeReview(r.apiVersion, decide(endpoint, r.request, view, engine).response);
}

export function decisionOf(endpoint: Endpoint, body: Buffer, view: TenantView, engine: Engine): Decision {
  return decide(endpoint, decodeReview(body).request, view, engine);
}

/** "allowed", "denied [CODES]" or "patched (n ops)", so a table shows what was decided. */
export function summary(d: Decision): string {
  if (!d.allowed) return `denied ${[...new Set(d.findings.map((f) => f.code))].join(",")}`;
  const warn = d.findings.length > 0 ? ` +${d.findings.length} finding(s)` : "";
  return d.patch.length > 0 ? `patched (${d.patch.length} ops)${warn}` : `allowed${warn}`;
}

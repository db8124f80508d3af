// The one log line per review, formatted by hand in pino's own format. pino formats any object
// generically (a key walk, a type switch and an escape check per field): ~5 µs per line in process,
// the largest cost of a review after JSON.parse. This line has fixed fields, mostly strings, so it
// is built directly - `{"level":30,"time":…` + the logger's bindings + the fields + `"msg":"review"}`
// - and handed to the logger's own destination. Every other line still goes through pino, and a
// logger this cannot mirror exactly (hooks, mixins, a multistream) gets the plain pino call.
import pino, { type Logger } from "pino";
import type { FindingLogFields } from "../audit/log-fields.ts";

export interface ReviewFields extends FindingLogFields {
  readonly uid: string;
  readonly kind: string;
  readonly subResource: string;
  readonly namespace: string;
  readonly name: string;
  readonly operation: string;
  readonly user: string;
  readonly dryRun: boolean;
  readonly decision: "allowed" | "patched" | "denied";
  readonly rules: readonly string[] | undefined;
  readonly patchOps: number;
  readonly latencyMs: number;
}

const INFO = 30;
const q = JSON.stringify;

type Internals = Record<symbol, unknown>;

/** Writes the review line for `route` (at info) through `log`. */
export function reviewLogger(log: Logger, route: string): (f: ReviewFields) => void {
  const self = log as unknown as Internals;
  const s = pino.symbols;
  const stream = self[s.streamSym] as { write(line: string): unknown; [k: symbol]: unknown };
  const mirrored =
    self[s.mixinSym] === undefined &&
    (self[s.hooksSym] as { streamWrite?: unknown } | undefined)?.streamWrite === undefined &&
    stream[s.needsMetadataGsym] !== true &&
    self[s.messageKeySym] === "msg" &&
    typeof self[s.timeSym] === "function";
  if (!mirrored) return (f) => log.info(pinoFields(route, f), "review");

  const head = (self[s.lsCacheSym] as Record<number, string>)[INFO] ?? `{"level":${INFO}`;
  const time = self[s.timeSym] as () => string;
  const bindings = self[s.chindingsSym] as string;
  const routeField = `,"route":${q(route)}`;
  return (f) => {
    if (log.levelVal > INFO) return;
    let line = head + time() + bindings + routeField + ',"uid":' + q(f.uid) + ',"kind":' + q(f.kind);
    if (f.subResource !== "") line += ',"subResource":' + q(f.subResource);
    if (f.namespace !== "") line += ',"namespace":' + q(f.namespace);
    if (f.name !== "") line += ',"name":' + q(f.name);
    line += ',"operation":' + q(f.operation) + ',"user":' + q(f.user) + ',"dryRun":' + f.dryRun;
    line += ',"decision":"' + f.decision + '"';
    if (f.rules !== undefined) line += ',"rules":' + q(f.rules);
    if (f.audit === true) line += ',"audit":true';
    if (f.findings !== undefined) line += ',"findings":' + q(f.findings);
    if (f.patchOps > 0) line += ',"patchOps":' + f.patchOps;
    stream.write(line + ',"latencyMs":' + f.latencyMs + ',"msg":"review"}\n');
  };
}

/** The same fields as a pino merging object (undefined fields are left out by pino). */
export function pinoFields(route: string, f: ReviewFields): Record<string, unknown> {
  return {
    route,
    uid: f.uid,
    kind: f.kind,
    subResource: f.subResource || undefined,
    namespace: f.namespace || undefined,
    name: f.name || undefined,
    operation: f.operation,
    user: f.user,
    dryRun: f.dryRun,
    decision: f.decision,
    rules: f.rules,
    audit: f.audit,
    findings: f.findings,
    patchOps: f.patchOps || undefined,
    latencyMs: f.latencyMs,
  };
}

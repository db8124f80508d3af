// The review line of a review without findings (nearly all of them), put together by hand and
// handed to the logger's own stream: the same bytes pino writes for these fields (a test compares
// them), at a third of the cost. pino walks the field object key by key, checks each for a
// serializer and escapes each key; here the keys are constants. Reviews with findings, whose line
// carries arrays and messages, still go through pino.
import pino, { type Logger } from "pino";
import { findingLogFields } from "../audit/log-fields.ts";
import { isoTime } from "../log.ts";
import type { ResolvedFinding } from "../policy/engine.ts";

export interface ReviewLineFields {
  readonly route: string;
  readonly uid: string;
  readonly kind: string;
  readonly subResource: string;
  readonly namespace: string;
  readonly name: string;
  readonly operation: string;
  readonly user: string;
  readonly dryRun: boolean;
  readonly decision: string;
  /** Number of patch operations; 0 writes none, as pino drops an undefined field. */
  readonly patchOps: number;
  readonly latencyMs: number;
}

/**
 * The review line's fields as an object for pino, in the line's order: what a review with
 * findings logs (with its rule codes and findingLogFields), and, without findings, what
 * ReviewLines.write writes by hand. Empty strings and a zero patch count are left out.
 */
export function reviewLogFields(
  f: ReviewLineFields,
  findings: readonly ResolvedFinding[] = [],
): Record<string, unknown> {
  return {
    route: f.route,
    uid: f.uid,
    kind: f.kind,
    subResource: f.subResource || undefined,
    namespace: f.namespace || undefined,
    name: f.name || undefined,
    operation: f.operation,
    user: f.user,
    dryRun: f.dryRun,
    decision: f.decision,
    rules: findings.length > 0 ? findings.map((x) => `${x.code}:${x.mode}`) : undefined,
    ...findingLogFields(findings),
    patchOps: f.patchOps || undefined,
    latencyMs: f.latencyMs,
  };
}

type Internals = Record<symbol, unknown>;
interface LineStream {
  write(line: string): unknown;
}

// A quote, a backslash or a control character: pino escapes these (JSON.stringify does the same).
// Surrogates too, so that a lone one is escaped rather than written as invalid UTF-8.
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quoted(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** Writes review lines for `log` (a child without bindings of its own beyond its parent's). */
export class ReviewLines {
  private readonly log: Logger;
  private readonly stream: LineStream;
  private readonly head: string;
  private readonly bindings: string;

  constructor(log: Logger) {
    const internals = log as unknown as Internals;
    this.log = log;
    this.stream = internals[pino.symbols.streamSym] as LineStream;
    this.head = `{"level":${log.levels.values.info}`;
    this.bindings = internals[pino.symbols.chindingsSym] as string;
  }

  /** The line goes where `log.info(fields, "review")` would have put it; nothing below info. */
  write(f: ReviewLineFields): void {
    if (!this.log.isLevelEnabled("info")) return;
    let line = `${this.head}${isoTime()}${this.bindings},"route":${quoted(f.route)},"uid":${quoted(f.uid)},"kind":${quoted(f.kind)}`;
    if (f.subResource !== "") line += `,"subResource":${quoted(f.subResource)}`;
    if (f.namespace !== "") line += `,"namespace":${quoted(f.namespace)}`;
    if (f.name !== "") line += `,"name":${quoted(f.name)}`;
    line += `,"operation":${quoted(f.operation)},"user":${quoted(f.user)},"dryRun":${f.dryRun},"decision":${quoted(f.decision)}`;
    if (f.patchOps > 0) line += `,"patchOps":${f.patchOps}`;
    line += `,"latencyMs":${Number.isFinite(f.latencyMs) ? f.latencyMs : null},"msg":"review"}\n`;
    this.stream.write(line);
  }
}

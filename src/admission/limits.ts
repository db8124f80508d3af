// The API server's limits on what a webhook may return: warnings are truncated or dropped past
// their budget and must hold no control characters; auditAnnotation keys are qualified names
// without a prefix (the API server adds "<webhook name>/").

export const WARNING_MAX_CHARS = 256;
export const WARNINGS_TOTAL_MAX_CHARS = 4096;
const AUDIT_VALUE_MAX_CHARS = 4096;
/** A deny message goes back to kubectl and into audit logs: every finding, within reason. */
export const DENY_MESSAGE_MAX_CHARS = 8192;
const FINDING_MAX_CHARS = 1024;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function cleanText(s: string): string {
  return s.replace(CONTROL, " ");
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + "…";
}

/** Warnings within the per-message and total budgets; what does not fit is summarised in one line. */
export function boundWarnings(messages: readonly string[]): string[] {
  const out: string[] = [];
  let total = 0;
  for (let i = 0; i < messages.length; i++) {
    const w = truncate(cleanText(messages[i] as string), WARNING_MAX_CHARS);
    const rest = messages.length - i - 1;
    const reserve = rest > 0 ? 64 : 0;
    if (total + w.length + reserve > WARNINGS_TOTAL_MAX_CHARS) {
      out.push(`tenant-guard: ${messages.length - i} more warning(s) omitted`);
      break;
    }
    out.push(w);
    total += w.length;
  }
  return out;
}

/** prefix + findings joined by "; ", each finding and the whole bounded; what is cut is counted. */
export function boundDenyMessage(prefix: string, findings: readonly string[]): string {
  let out = cleanText(truncate(prefix, FINDING_MAX_CHARS));
  for (let i = 0; i < findings.length; i++) {
    const part = cleanText(truncate(findings[i] as string, FINDING_MAX_CHARS));
    const sep = i === 0 ? "" : "; ";
    if (out.length + sep.length + part.length > DENY_MESSAGE_MAX_CHARS - 48) {
      return `${out}; and ${findings.length - i} more finding(s)`;
    }
    out += sep + part;
  }
  return out;
}

export function isQualifiedName(key: string): boolean {
  return QUALIFIED_NAME.test(key);
}

/** auditAnnotations with legal keys (lower-cased, illegal characters replaced) and bounded values. */
export function boundAuditAnnotations(entries: Iterable<readonly [string, string]>): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [rawKey, value] of entries) {
    let key = rawKey
      .toLowerCase()
      .replace(/[^-a-z0-9_.]/g, "-")
      .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "")
      .slice(0, 63);
    if (!isQualifiedName(key)) key = "finding";
    const prev = out[key];
    if (prev !== undefined && prev.length >= AUDIT_VALUE_MAX_CHARS) continue; // full: stop copying
    // Bound before cleaning: the regex must never run over an unbounded string, once per finding.
    const part = cleanText(truncate(value, AUDIT_VALUE_MAX_CHARS));
    out[key] = truncate(prev === undefined ? part : `${prev}; ${part}`, AUDIT_VALUE_MAX_CHARS);
  }
  return out;
}

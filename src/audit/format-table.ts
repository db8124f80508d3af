// -o table: one row per finding, columns padded for a terminal, the long message last so the
// columns stay aligned; then one summary line. Every cell is stripped of control characters:
// names come from manifests and must not drive the terminal.
import { cleanText } from "../admission/limits.ts";
import { objectLabel, type AuditReport } from "./report.ts";

const HEADER = ["NAMESPACE", "OBJECT", "RULE", "MODE", "SOURCE", "MESSAGE"] as const;

function cell(s: string): string {
  return cleanText(s);
}

export function formatTable(report: AuditReport): string {
  const rows: string[][] = [];
  for (const r of report.results) {
    const src = r.file === undefined ? "cluster" : `${r.file}:${r.line ?? 1}`;
    const obj = objectLabel(r).replace(r.namespace ? ` ${r.namespace}/` : " ", "/");
    for (const f of r.findings) {
      const msg = f.path === undefined ? f.message : `${f.message} (${f.path})`;
      rows.push([r.namespace || "-", obj, f.code, f.mode, src, msg].map(cell));
    }
  }
  const lines: string[] = [];
  if (rows.length > 0) {
    const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
    const fmt = (row: readonly string[]): string =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd();
    lines.push(fmt(HEADER), ...rows.map(fmt));
    lines.push("");
  }
  lines.push(summaryLine(report), ...notCheckedLines(report));
  return lines.join("\n") + "\n";
}

/** Objects of kinds no rule checks, by kind; documents skipped and files unreadable, by count. */
function notCheckedLines(report: AuditReport): string[] {
  const byKind = new Map<string, number>();
  for (const r of report.results)
    if (r.skip === "unchecked") byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  const out: string[] = [];
  if (byKind.size > 0) {
    const kinds = [...byKind]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => `${n} ${k}`)
      .join(", ");
    out.push(
      cell(
        `Not checked: ${report.summary.unchecked} object(s) of kinds no tenant-guard rule checks (${kinds}).`,
      ),
    );
  }
  const docs = report.skippedDocuments?.length ?? 0;
  if (docs > 0) out.push(`Skipped ${docs} document(s) that are not objects to audit (listed on stderr).`);
  const bad = report.unreadable ?? [];
  if (bad.length > 0) {
    const files = bad.map((u) => (u.line === undefined ? u.file : `${u.file}:${u.line}`)).join(", ");
    out.push(cell(`Could not read ${bad.length} file(s), the rest was audited: ${files}.`));
  }
  return out;
}

function summaryLine(report: AuditReport): string {
  const s = report.summary;
  const total = s.findings.Enforce + s.findings.Warn + s.findings.Audit;
  const evaluated = s.objects - s.skipped - s.unchecked;
  const skipped = s.skipped > 0 ? `; ${s.skipped} skipped (exempt namespace)` : "";
  if (total === 0) return `No findings in ${evaluated} object(s)${skipped}.`;
  const modes = (["Enforce", "Warn", "Audit"] as const)
    .filter((m) => s.findings[m] > 0)
    .map((m) => `${s.findings[m]} ${m}`)
    .join(", ");
  const verdict =
    s.findings.Enforce > 0
      ? "objects with Enforce findings would be denied at admission"
      : "nothing would be denied at admission";
  return `${total} finding(s) in ${s.objectsWithFindings} of ${evaluated} object(s) (${modes})${skipped}; ${verdict}.`;
}

// `tenant-guard audit`: thin shell around src/audit. Exit 0 clean, 1 Enforce findings, 2 bad usage
// or unreadable input (the message names the file and line).
import { isTenantGuardError } from "../errors.ts";
import { AUDIT_USAGE, parseAuditArgs } from "../audit/args.ts";
import { runAuditCommand } from "../audit/run.ts";

export async function runAudit(
  args: readonly string[],
  stdin: NodeJS.ReadableStream,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  try {
    const parsed = parseAuditArgs(args);
    if (parsed.help) {
      stdout.write(`${AUDIT_USAGE}\n`);
      return 0;
    }
    return await runAuditCommand(parsed, { stdin, stdout, stderr });
  } catch (e) {
    if (!isTenantGuardError(e)) throw e;
    stderr.write(`tenant-guard audit: ${e.detail ?? e.message}\n`);
    if (e.code === "TG_USAGE" && /^(give|unknown flag|Unknown|Option)/.test(e.detail ?? ""))
      stderr.write(`${AUDIT_USAGE}\n`);
    return 2;
  }
}

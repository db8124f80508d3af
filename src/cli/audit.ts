// Placeholder until the audit CLI lands (issue: audit mode and dry runs).
export async function runAudit(
  _args: readonly string[],
  _stdin: NodeJS.ReadableStream,
  _stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  stderr.write("tenant-guard audit: not available in this build yet\n");
  return 2;
}

// The oldest Node that runs tenant-guard: type stripping of the .ts sources without a flag, as
// package.json `engines` says (a test keeps the two equal). Plain JavaScript that any Node parses,
// so an older one gets this sentence instead of ERR_UNKNOWN_FILE_EXTENSION.
export const MIN_NODE = "22.19.0";

/** A message when `version` ("v20.20.2") is older than MIN_NODE, else undefined. */
export function nodeTooOld(version) {
  const have = version.replace(/^v/, "").split(".").map(Number);
  const need = MIN_NODE.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if ((have[i] || 0) > need[i]) return undefined;
    if ((have[i] || 0) < need[i]) {
      return (
        `tenant-guard needs Node.js >= ${MIN_NODE} (it runs its TypeScript sources directly); this is ${version}.\n` +
        "Install a newer Node, or run it through npm (npm run tenant-guard -- ...), which uses the project's own Node 24."
      );
    }
  }
  return undefined;
}

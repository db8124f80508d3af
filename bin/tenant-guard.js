#!/usr/bin/env node
// Runs the JavaScript that `npm run build` emits when there is some (a built package, the image),
// so no type stripper is loaded; else the TypeScript sources (Node >= 22.19 strips types natively).
// After a build, rebuild or delete dist/ for source edits to show here.
import { existsSync } from "node:fs";
import { nodeTooOld } from "./node-version.js";

// Checked before any .ts loads: an older Node would fail with ERR_UNKNOWN_FILE_EXTENSION.
const tooOld = nodeTooOld(process.version);
if (tooOld !== undefined) {
  console.error(tooOld);
  process.exit(1);
}
const built = new URL("../dist/main.js", import.meta.url);
await import(existsSync(built) ? built.href : "../src/main.ts");

// Rule codes named in the config must exist: a typo in `enforcement.forced` silently removed the
// pin, one in `enforcement.rules` silently kept the old mode. The known set is derived from the
// rule catalogue (plus TG-INTERNAL), never copied, so new rules are known the day they are added.
// Policy owns the codes, so the check lives here and config/load.ts is handed it (policy/config.ts).
import { didYouMean } from "../config/did-you-mean.ts";
import { isRecord } from "../k8s/access.ts";
import type { PathIssue } from "../config/load.ts";
import { RULES } from "./catalogue.ts";
import { RULE_FAILED_CODE } from "./engine.ts";

export function knownRuleCodes(): ReadonlySet<string> {
  return new Set([RULE_FAILED_CODE, ...RULES.map((r) => r.code)]);
}

function unknown(code: string, known: ReadonlySet<string>): string {
  return `unknown rule code ${JSON.stringify(code)}${didYouMean(code, known)}`;
}

/** Problems with the rule codes under `enforcement` in raw (merged, not yet validated) config. */
export function ruleCodeIssues(raw: unknown, known: ReadonlySet<string> = knownRuleCodes()): PathIssue[] {
  const enforcement = isRecord(raw) ? raw.enforcement : undefined;
  if (!isRecord(enforcement)) return [];
  const out: PathIssue[] = [];
  if (isRecord(enforcement.rules)) {
    for (const code of Object.keys(enforcement.rules))
      if (!known.has(code)) out.push({ path: ["enforcement", "rules", code], message: unknown(code, known) });
  }
  if (Array.isArray(enforcement.forced)) {
    enforcement.forced.forEach((code: unknown, i: number) => {
      if (typeof code === "string" && !known.has(code))
        out.push({ path: ["enforcement", "forced", i], message: unknown(code, known) });
    });
  }
  return out;
}

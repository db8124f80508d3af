// The config as the policy accepts it: schema-valid (config/), and naming only rule codes the
// catalogue knows. Config sits below policy, so it is handed the code check rather than importing it.
import { buildConfigWith, type ConfigFile } from "../config/load.ts";
import type { Config } from "../config/schema.ts";
import type { JsonRecord } from "../k8s/access.ts";
import { ruleCodeIssues } from "./rule-codes.ts";

export function buildConfig(file: ConfigFile | undefined, overrides: JsonRecord = {}): Config {
  return buildConfigWith(file, overrides, (raw) => ruleCodeIssues(raw));
}

// `tenant-guard audit` flags -> options. Usage errors are TG_USAGE (exit 2).
import { parseArgs } from "node:util";
import { usageMessage } from "../config/did-you-mean.ts";
import { TenantGuardError } from "../errors.ts";
import { MODES, type Mode } from "../config/modes.ts";

const OUTPUTS = ["table", "json", "policyreport"] as const;
export type Output = (typeof OUTPUTS)[number];

export interface AuditArgs {
  readonly paths: readonly string[];
  readonly output: Output;
  readonly cluster: boolean;
  readonly configPath?: string;
  readonly directory?: string;
  readonly kubeconfig?: string;
  readonly as?: string;
  readonly groups: readonly string[];
  readonly namespace: string;
  readonly enforcement?: Mode;
  readonly includeOwned: boolean;
  readonly publish: boolean;
  readonly help: boolean;
}

export const AUDIT_USAGE = `usage: tenant-guard audit [FILE|DIR|-]... [flags]
       tenant-guard audit --cluster [flags]
Evaluates every rule as if each object were being created, and reports what admission would do.
  --directory file:PATH|cluster  tenant directory to judge against (default: as serve,
                                 file:examples/cluster.yaml; with --cluster: the scanned cluster)
  --kubeconfig PATH              kubeconfig for --cluster and --directory cluster
  --config FILE                  tenant-guard config (exempt namespaces, enforcement, ...)
  --as USER, --group G           create as this identity (default: a cluster component, so
                                 only object rules apply; requester rules need --as)
  -n, --namespace NS             namespace for objects that name none (default: default)
  --enforcement Enforce|Warn|Audit  global mode (e.g. Enforce to preview enforcement)
  -o, --output table|json|policyreport   (default: table)
  --cluster                      scan the objects that exist in the live cluster
  --include-owned                with --cluster, also report pods/replica sets/jobs whose
                                 controller (Deployment, Job, ...) is audited already
  --publish                      with --cluster, server-side apply the PolicyReports into the
                                 cluster (tenant-guard-<namespace>, tenant-guard-cluster)
Exit status: 0 nothing would be denied, 1 findings in Enforce mode, 2 bad usage or input that
could not be read (named on stderr, skipped; the rest is audited), 3 both 1 and 2.`;

function usage(msg: string): TenantGuardError {
  return new TenantGuardError("TG_USAGE", msg);
}

export function parseAuditArgs(argv: readonly string[]): AuditArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    throw usage(usageMessage(e as Error, AUDIT_FLAGS));
  }
  const v = parsed.values;
  const output = v.output ?? "table";
  if (!(OUTPUTS as readonly string[]).includes(output)) {
    throw usage(`-o must be one of ${OUTPUTS.join(", ")}, got ${JSON.stringify(output)}`);
  }
  const enforcement = v.enforcement;
  if (enforcement !== undefined && !(MODES as readonly string[]).includes(enforcement)) {
    throw usage(`--enforcement must be one of ${MODES.join(", ")}, got ${JSON.stringify(enforcement)}`);
  }
  const cluster = v.cluster ?? false;
  const help = v.help ?? false;
  if (!help && cluster && parsed.positionals.length > 0) {
    throw usage("--cluster scans the live cluster; give no files with it");
  }
  if (!help && !cluster && parsed.positionals.length === 0) {
    throw usage('give manifests to audit (files, directories, or "-" for stdin), or --cluster');
  }
  if (v.directory !== undefined && !/^(cluster|file:.+)$/.test(v.directory)) {
    throw usage(`--directory must be "cluster" or "file:PATH", got ${JSON.stringify(v.directory)}`);
  }
  if (v.publish === true && !cluster) throw usage("--publish needs --cluster");
  if ((v.group?.length ?? 0) > 0 && v.as === undefined) throw usage("--group needs --as");
  return {
    paths: parsed.positionals,
    output: output as Output,
    cluster,
    configPath: v.config,
    directory: v.directory,
    kubeconfig: v.kubeconfig,
    as: v.as,
    groups: v.group ?? [],
    namespace: v.namespace ?? "default",
    enforcement: enforcement as Mode | undefined,
    includeOwned: v["include-owned"] ?? false,
    publish: v.publish ?? false,
    help,
  };
}

const OPTIONS = {
  output: { type: "string", short: "o" },
  cluster: { type: "boolean" },
  config: { type: "string" },
  directory: { type: "string" },
  kubeconfig: { type: "string" },
  as: { type: "string" },
  group: { type: "string", multiple: true },
  namespace: { type: "string", short: "n" },
  enforcement: { type: "string" },
  "include-owned": { type: "boolean" },
  publish: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;
const AUDIT_FLAGS = Object.keys(OPTIONS);

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: OPTIONS,
  });
}

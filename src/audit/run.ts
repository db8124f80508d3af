// `tenant-guard audit`: manifests or a live cluster -> findings -> table, JSON or PolicyReports.
import type { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { checkDefaultDirectory } from "../config/default-directory.ts";
import { readConfigFile } from "../config/load.ts";
import { buildConfig } from "../policy/config.ts";
import type { Config } from "../config/schema.ts";
import { policySettings } from "../policy/settings.ts";
import type { JsonRecord } from "../k8s/access.ts";
import { createLogger } from "../log.ts";
import { mutatorRegistry, ruleRegistry } from "../policy/catalogue.ts";
import type { Engine } from "../policy/engine.ts";
import type { Directory } from "../tenancy/directory.ts";
import type { TenantView } from "../tenancy/view.ts";
import type { AuditArgs } from "./args.ts";
import { scanCluster } from "./cluster-scan.ts";
import { evaluate, type AuditTarget } from "./evaluate.ts";
import { formatTable } from "./format-table.ts";
import { auditUser } from "./identity.ts";
import type { SkippedDocument } from "../tenancy/yaml-objects.ts";
import { readManifests, type UnreadableInput } from "./inputs.ts";
import { manifestIndex } from "./manifest-overlay.ts";
import { openDirectory } from "./open-directory.ts";
import { OverlayView } from "./overlay-view.ts";
import { toPolicyReports } from "./policy-report.ts";
import { tenantSettingWarnings } from "./rule-codes.ts";
import { exitCodeOf, summarize, type AuditReport, type ObjectResult } from "./report.ts";

export interface AuditIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

function auditConfig(args: AuditArgs): Config {
  const overrides: JsonRecord = { directory: { watchFile: false }, log: { level: "warn" } };
  const dir = overrides.directory as JsonRecord;
  if (args.directory !== undefined) dir.source = args.directory;
  if (args.kubeconfig !== undefined) dir.kubeconfig = args.kubeconfig;
  if (args.enforcement !== undefined) overrides.enforcement = { mode: args.enforcement };
  const cfg = buildConfig(
    args.configPath === undefined ? undefined : readConfigFile(args.configPath),
    overrides,
  );
  if (!args.cluster || args.directory !== undefined) checkDefaultDirectory(cfg);
  return cfg;
}

interface Prepared {
  readonly targets: readonly AuditTarget[];
  readonly skippedDocuments?: readonly SkippedDocument[];
  readonly unreadable?: readonly UnreadableInput[];
  readonly view: TenantView;
  readonly directory: string;
  readonly incomplete?: readonly string[];
  readonly overBudget?: readonly string[];
  /** Set for --publish: where the reports go. */
  readonly kubeconfig?: KubeConfig;
}

/** Results per published report: findings always, pass results while under ~1 MiB. */
const PUBLISH_MAX_RESULTS = 1000;

export async function runAuditCommand(args: AuditArgs, io: AuditIo): Promise<number> {
  const cfg = auditConfig(args);
  const engine: Engine = {
    rules: ruleRegistry(),
    mutators: mutatorRegistry(),
    settings: policySettings(cfg),
  };
  const log = createLogger(cfg.log.level, io.stderr);
  const progress = (line: string): void => void io.stderr.write(`tenant-guard audit: ${line}\n`);
  const user = auditUser(args.as, args.groups);
  let opened: Directory | undefined;
  try {
    let prep: Prepared;
    if (args.cluster) {
      // client-node is heavy to load: only a cluster scan pays for it.
      const { kubeLister, loadKubeConfig } = await import("./kube-list.ts");
      const kc = loadKubeConfig(args.kubeconfig ?? cfg.directory.kubeconfig);
      const lister = kubeLister(kc);
      progress(`scanning ${lister.server}`);
      const snap = await scanCluster(lister, {
        tenantLabel: cfg.tenancy.tenantLabel,
        includeOwned: args.includeOwned,
        progress,
      });
      if (snap.owned > 0)
        progress(
          `${snap.owned} object(s) owned by an audited controller left out (--include-owned lists them)`,
        );
      for (const line of snap.overBudget) progress(line);
      if (args.directory !== undefined) opened = await openDirectory(cfg, log, progress);
      prep = {
        targets: snap.targets,
        view: opened?.view() ?? snap.index,
        directory: args.directory ?? `cluster ${lister.server}`,
        incomplete: snap.incomplete,
        overBudget: snap.overBudget,
        ...(args.publish ? { kubeconfig: kc } : {}),
      };
    } else {
      const manifests = await readManifests(args.paths, io.stdin);
      for (const u of manifests.unreadable)
        progress(`${u.file}${u.line === undefined ? "" : `:${u.line}`}: ${u.message}; file skipped`);
      for (const s of manifests.skipped) progress(`skipped ${s.file}:${s.line}: ${s.reason}`);
      opened = await openDirectory(cfg, log, progress);
      const top = manifestIndex(manifests.objects, cfg.tenancy.tenantLabel, args.namespace);
      prep = {
        targets: manifests.objects,
        skippedDocuments: manifests.skipped,
        unreadable: manifests.unreadable,
        view: new OverlayView(opened.view(), top),
        directory: cfg.directory.source,
      };
    }
    for (const w of tenantSettingWarnings(engine.rules, prep.view)) progress(`warning: ${w}`);
    progress(
      `${prep.targets.length} object(s) against directory ${prep.directory}, created as ${user.username}`,
    );
    const results: ObjectResult[] = [];
    for (const t of prep.targets) {
      results.push(
        evaluate(t, prep.view, engine, { user, defaultNamespace: args.namespace, live: args.cluster }),
      );
      if (results.length % 5000 === 0) progress(`evaluated ${results.length}/${prep.targets.length}`);
    }
    if (args.cluster) results.sort(byPlace);
    const report: AuditReport = {
      generatedAt: new Date().toISOString(),
      scope: args.cluster ? "cluster" : "manifests",
      directory: prep.directory,
      user: user.username,
      results,
      summary: summarize(results),
      ...(prep.incomplete?.length ? { incomplete: prep.incomplete } : {}),
      ...(prep.overBudget?.length ? { overBudget: prep.overBudget } : {}),
      ...(prep.skippedDocuments?.length ? { skippedDocuments: prep.skippedDocuments } : {}),
      ...(prep.unreadable?.length ? { unreadable: prep.unreadable } : {}),
    };
    io.stdout.write(render(report, args, engine));
    if (prep.kubeconfig !== undefined) {
      const { publishReports } = await import("./publish.ts");
      const reports = toPolicyReports(report, engine.rules.all.length, PUBLISH_MAX_RESULTS);
      const { failed } = await publishReports(prep.kubeconfig, reports, progress);
      for (const f of failed) progress(`cannot publish ${f}`);
      if (failed.length > 0) return 2;
    }
    return exitCodeOf(report);
  } finally {
    await opened?.close();
  }
}

function byPlace(a: ObjectResult, b: ObjectResult): number {
  return (
    a.namespace.localeCompare(b.namespace) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name)
  );
}

function render(report: AuditReport, args: AuditArgs, engine: Engine): string {
  if (args.output === "json") {
    return (
      JSON.stringify({ apiVersion: "tenant-guard.dev/v1alpha1", kind: "AuditReport", ...report }, null, 2) +
      "\n"
    );
  }
  if (args.output === "policyreport") {
    return toPolicyReports(report, engine.rules.all.length)
      .map((r) => `---\n${stringify(r, { lineWidth: 0, aliasDuplicateObjects: false })}`)
      .join("");
  }
  return formatTable(report);
}

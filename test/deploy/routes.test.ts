// A rule the API server never sends a request to is a promise the README makes and the cluster does
// not keep. This derives what each rule needs from its own `match` and `operations` (and, for the
// rules that match everything, from what they are for) and checks the webhook configurations of
// deploy/ send it; and it holds the README's routes table and requester row to the same builds.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MUTATORS, RULES } from "../../src/policy/catalogue.ts";
import { POD_CHECKS } from "../../src/policy/pod/check-pod-spec.ts";
import * as POD_CODES from "../../src/policy/pod/codes.ts";
import { PVC_DATA_SOURCE, PVC_VOLUME } from "../../src/policy/pod/claim-spec.ts";
import { REQUESTER_CROSS_TENANT_CODE } from "../../src/policy/rules/requester-cross-tenant.ts";
import { TENANT_CORDONED_CODE } from "../../src/policy/rules/tenant-cordoned.ts";
import { KUEUE_QUEUE_REQUIRED_CODE } from "../../src/policy/rules/kueue-queue-required.ts";
import { KUEUE_GROUP } from "../../src/k8s/kueue.ts";
import { GATEWAY_GROUP, GATEWAY_RESOURCES } from "../../src/policy/rules/gateway-api.ts";
import {
  LABELLED_RESOURCES,
  TENANT_LABEL_CHANGE_CODE,
  TENANT_LABEL_CODE,
} from "../../src/policy/rules/tenant-label.ts";
import type { ResourceMatch, Rule } from "../../src/policy/types.ts";
import { QUOTA_EXCEEDED, QUOTA_WARN } from "../../src/policy/rules/quota.ts";
import { CUSTOM_RESOURCES, KUBERNETES_WORKLOADS } from "../../src/policy/workloads/known-kinds.ts";
import { DEPLOY, REPO, build, findObject, type K8sObject } from "./support/kustomize.ts";
import {
  CLUSTER_SCOPED,
  SUBRESOURCES,
  expandRules,
  webhooksOf,
  webhooksSending,
  type Webhook,
  type Write,
} from "./support/webhook-rules.ts";

const VWC = "ValidatingWebhookConfiguration";
const MWC = "MutatingWebhookConfiguration";
const README = readFileSync(join(REPO, "README.md"), "utf8");

const hooks = (objs: K8sObject[], kind: string): Webhook[] =>
  webhooksOf(findObject(objs, kind, "tenant-guard"));
const base = build(join(DEPLOY, "base"));
const validating = hooks(base, VWC);
const mutating = hooks(base, MWC);
/** API groups of the custom resources the ml-platforms component routes. */
const CUSTOM_GROUPS: ReadonlySet<string> = new Set(CUSTOM_RESOURCES.map((r) => r.group));
const withComponent = (name: string): Webhook[] => hooks(build(join(DEPLOY, "overlays", name)), VWC);

const write = (group: string, resource: string, subresource: string, operation: string): Write => ({
  group,
  resource,
  subresource,
  operation,
  namespaced: !CLUSTER_SCOPED.has(resource),
});
const show = (w: Write): string =>
  `${w.group || "core"}/${w.resource}${w.subresource ? `/${w.subresource}` : ""}:${w.operation}`;

/** Every write a resource list matches, "*" subresources spelled out per Kubernetes. */
function writesOf(match: readonly ResourceMatch[], operations: readonly string[]): Write[] {
  const out: Write[] = [];
  for (const m of match) {
    const sub = m.subresource ?? "";
    if (sub !== "*") {
      for (const op of operations) out.push(write(m.group, m.resource, sub, op));
      continue;
    }
    for (const op of operations) out.push(write(m.group, m.resource, "", op));
    for (const [s, op] of Object.entries(SUBRESOURCES[m.resource] ?? {}))
      if (operations.includes(op)) out.push(write(m.group, m.resource, s, op));
  }
  return out;
}

function unsent(hs: readonly Webhook[], writes: readonly Write[]): string[] {
  return writes.filter((w) => webhooksSending(hs, w).length === 0).map(show);
}

// Rules that match every request, by what they need routed. The pod checks read pods and pod
// templates (the claim rules PVCs too); the requester rule is about who asks, whatever the kind.
const POD_TEMPLATE_CODES: ReadonlySet<string> = new Set([
  ...Object.values(POD_CODES),
  // kueue.requireQueueFor judges pods and the workload kinds' pod templates
  KUEUE_QUEUE_REQUIRED_CODE,
  ...POD_CHECKS.map((c) => c.code),
]);
const everythingRules = RULES.filter((r) => r.match === "*");
const podTemplateRules = everythingRules.filter((r) => POD_TEMPLATE_CODES.has(r.code));
const requester = RULES.find((r) => r.code === REQUESTER_CROSS_TENANT_CODE) as Rule;
/** Rules whose kinds are all Gateway API ones: routed by a component, for clusters with the CRDs. */
const gatewayOnly = (r: Rule): boolean => r.match !== "*" && r.match.every((m) => m.group === GATEWAY_GROUP);
const CUSTOM_KEYS = new Set(CUSTOM_RESOURCES.map((k) => `${k.group}/${k.resource}`));
const isCustom = (m: ResourceMatch): boolean => CUSTOM_KEYS.has(`${m.group}/${m.resource}`);
/** Rules whose kinds are all Kueue's: routed by deploy/components/kueue, for clusters with its CRDs. */
const kueueOnly = (r: Rule): boolean => r.match !== "*" && r.match.every((m) => m.group === KUEUE_GROUP);
// The label rules judge every labelled kind: the cached ones, pods, and every workload kind.
const LABEL_CODES: ReadonlySet<string> = new Set([TENANT_LABEL_CODE, TENANT_LABEL_CHANGE_CODE]);
const labelRules = everythingRules.filter((r) => LABEL_CODES.has(r.code));
// The cordon judges a tenant's creates and updates of whatever kind tenant-guard is sent.
const cordon = RULES.find((r) => r.code === TENANT_CORDONED_CODE) as Rule;
// Team budgets judge creates of pods and of whatever a count/<resource>.<group> key counts.
const quotaRules = everythingRules.filter((r) => r.code === QUOTA_EXCEEDED || r.code === QUOTA_WARN);

describe("the API server sends every write a rule judges", () => {
  it("every rule with a resource list: deploy/base sends each resource and subresource for each of its operations", () => {
    const listed = RULES.filter((r) => r.match !== "*" && !gatewayOnly(r) && !kueueOnly(r));
    expect(listed.length).toBeGreaterThan(5);
    for (const r of listed) {
      // ML custom resources a rule lists are routed by ml-platforms (the next-but-one test), and
      // the Gateway API kinds of a rule over core kinds too (TG-HOSTNAME-COLLISION) by gateway-api.
      const base = (r.match as readonly ResourceMatch[]).filter(
        (m) => !isCustom(m) && m.group !== GATEWAY_GROUP,
      );
      expect(unsent(validating, writesOf(base, r.operations)), r.code).toEqual([]);
    }
  });

  it("rules listing ML custom resources (gang budgets): deploy/components/ml-platforms sends them", () => {
    const ml = withComponent("ml-platforms");
    const rules = RULES.filter((r) => r.match !== "*" && r.match.some(isCustom));
    expect(rules.length).toBeGreaterThanOrEqual(2);
    for (const r of rules)
      expect(
        unsent(ml, writesOf((r.match as readonly ResourceMatch[]).filter(isCustom), r.operations)),
        r.code,
      ).toEqual([]);
  });

  it("the Gateway API kinds of mixed rules are sent by the gateway-api component", () => {
    const gateway = withComponent("gateway-api");
    const mixed = RULES.filter((r) => r.match !== "*" && !gatewayOnly(r));
    const kinds = mixed.flatMap((r) =>
      (r.match as readonly ResourceMatch[]).filter((m) => m.group === GATEWAY_GROUP).map((m) => ({ r, m })),
    );
    expect(kinds.length).toBeGreaterThanOrEqual(3);
    for (const { r, m } of kinds) expect(unsent(gateway, writesOf([m], r.operations)), r.code).toEqual([]);
  });

  it("Gateway API rules: deploy/components/gateway-api sends their kinds, and the base alone does not", () => {
    const gateway = withComponent("gateway-api");
    const rules = RULES.filter(gatewayOnly);
    expect(rules.length).toBeGreaterThanOrEqual(3);
    for (const r of rules) {
      const writes = writesOf(r.match as readonly ResourceMatch[], r.operations);
      expect(unsent(gateway, writes), r.code).toEqual([]);
      expect(unsent(validating, writes), r.code).toHaveLength(writes.length);
    }
    expect(unsent(gateway, writesOf(GATEWAY_RESOURCES, ["CREATE", "UPDATE", "DELETE"]))).toEqual([]);
  });

  it("Kueue rules: deploy/components/kueue sends their kinds, and the base alone does not", () => {
    const kueue = withComponent("kueue");
    const rules = RULES.filter(kueueOnly);
    expect(rules.map((r) => r.code).sort()).toEqual(["TG-KUEUE-CLUSTERQUEUE", "TG-KUEUE-LOCALQUEUE"]);
    for (const r of rules) {
      const writes = writesOf(r.match as readonly ResourceMatch[], r.operations);
      expect(unsent(kueue, writes), r.code).toEqual([]);
      expect(unsent(validating, writes), r.code).toHaveLength(writes.length);
    }
  });

  it("every mutator: the mutating webhook sends what it patches (custom resources: the ml-platforms component)", () => {
    const mlMutating = hooks(build(join(DEPLOY, "overlays", "ml-platforms")), MWC);
    const isCustom = (m: ResourceMatch): boolean => CUSTOM_GROUPS.has(m.group);
    for (const m of MUTATORS) {
      const base = m.match.filter((r) => !isCustom(r));
      const custom = m.match.filter(isCustom);
      expect(unsent(mutating, writesOf(base, m.operations)), m.name).toEqual([]);
      expect(unsent(mlMutating, writesOf(custom, m.operations)), m.name).toEqual([]);
      // The base alone is not sent custom resources: a cluster without the CRDs keeps it small.
      expect(unsent(mutating, writesOf(custom, m.operations)), m.name).toHaveLength(custom.length);
    }
    expect(MUTATORS.some((m) => m.match.some(isCustom))).toBe(true);
  });

  it("every rule that matches everything is one whose routes this test knows (pod templates, labels, or the requester)", () => {
    const known = new Set([...podTemplateRules, ...labelRules, ...quotaRules, requester, cordon]);
    expect(podTemplateRules.length).toBeGreaterThan(5);
    for (const r of everythingRules)
      expect(known.has(r), `${r.code}: which writes does it need sent?`).toBe(true);
  });

  it("pod-template rules: deploy/base sends pods and every Kubernetes workload kind for their operations", () => {
    const kinds = [{ group: "", resource: "pods" }, ...KUBERNETES_WORKLOADS];
    for (const r of podTemplateRules) {
      const writes = writesOf(kinds, r.operations);
      expect(unsent(validating, writes), r.code).toEqual([]);
    }
    // Ephemeral containers are pod specs too: the pod rules read them on that subresource.
    for (const r of podTemplateRules)
      if (r.operations.includes("UPDATE"))
        expect(unsent(validating, [write("", "pods", "ephemeralcontainers", "UPDATE")]), r.code).toEqual([]);
  });

  it("the cordon rule: deploy/base sends its operations on tenant objects, namespaces, network kinds and volumes", () => {
    expect(cordon.operations).toEqual(["CREATE", "UPDATE"]);
    const kinds = [
      ...LABELLED_RESOURCES,
      ...KUBERNETES_WORKLOADS,
      { group: "", resource: "namespaces" },
      { group: "", resource: "services" },
      { group: "networking.k8s.io", resource: "ingresses" },
      { group: "rbac.authorization.k8s.io", resource: "rolebindings" },
      { group: "", resource: "persistentvolumes" },
    ];
    expect(unsent(validating, writesOf(kinds, cordon.operations))).toEqual([]);
  });

  it("team budgets: the base sends creates of pods, the core counted kinds and workloads with a side effect declared; ml-platforms its custom resources", () => {
    expect(quotaRules).toHaveLength(2);
    const core = [
      "pods",
      "secrets",
      "configmaps",
      "persistentvolumeclaims",
      "replicationcontrollers",
      "services",
      "resourcequotas",
    ];
    const kinds = [...core.map((resource) => ({ group: "", resource })), ...KUBERNETES_WORKLOADS];
    const ml = withComponent("ml-platforms");
    for (const r of quotaRules) {
      expect(r.operations).toEqual(["CREATE"]);
      expect(unsent(validating, writesOf(kinds, r.operations)), r.code).toEqual([]);
      expect(unsent(ml, writesOf(CUSTOM_RESOURCES, r.operations)), r.code).toEqual([]);
    }
    // A charge is a side effect: every webhook sending a counted create says so (none on dry runs).
    for (const w of writesOf([...kinds, ...CUSTOM_RESOURCES], ["CREATE"]))
      for (const name of webhooksSending(ml, w))
        expect(ml.find((h) => h.name === name)?.sideEffects, `${name} ${show(w)}`).toBe("NoneOnDryRun");
  });

  it("claim rules: deploy/base sends PersistentVolumeClaims too", () => {
    const claimRules = everythingRules.filter((r) => r.code === PVC_DATA_SOURCE || r.code === PVC_VOLUME);
    expect(claimRules).toHaveLength(2);
    for (const r of claimRules)
      expect(
        unsent(validating, writesOf([{ group: "", resource: "persistentvolumeclaims" }], r.operations)),
        r.code,
      ).toEqual([]);
  });

  it("label rules: deploy/base sends every labelled kind and workload kind, ml-platforms every custom resource", () => {
    expect(labelRules).toHaveLength(2);
    const ml = withComponent("ml-platforms");
    for (const r of labelRules) {
      expect(
        unsent(validating, writesOf([...LABELLED_RESOURCES, ...KUBERNETES_WORKLOADS], r.operations)),
        r.code,
      ).toEqual([]);
      expect(unsent(ml, writesOf(CUSTOM_RESOURCES, r.operations)), r.code).toEqual([]);
    }
  });

  it("pod-template rules: deploy/components/ml-platforms sends every custom resource known-kinds.ts knows", () => {
    const ml = withComponent("ml-platforms");
    for (const r of podTemplateRules)
      expect(unsent(ml, writesOf(CUSTOM_RESOURCES, r.operations)), r.code).toEqual([]);
    // And the base alone does not: a cluster without those CRDs gets no rules for them.
    expect(unsent(validating, writesOf(CUSTOM_RESOURCES, ["CREATE"]))).toHaveLength(CUSTOM_RESOURCES.length);
  });

  it("the requester rule: deploy/base sends its operations on every kind the base routes, CONNECT included", () => {
    const connects = writesOf([{ group: "", resource: "pods", subresource: "*" }], ["CONNECT"]).filter(
      (w) => w.subresource !== "",
    );
    expect(connects.length).toBeGreaterThanOrEqual(4);
    expect(unsent(validating, connects)).toEqual([]);
    for (const op of requester.operations)
      expect(
        [...expandRules(validating[0]!.rules)].some((k) => k.endsWith(`:${op}`)),
        op,
      ).toBe(true);
  });

  it("the requester rule: deploy/components/all-resources sends every namespaced kind and subresource, and nothing cluster-scoped more", () => {
    const all = withComponent("all-resources");
    const anyKind = [
      write("", "events", "", "CREATE"),
      write("events.k8s.io", "events", "", "UPDATE"),
      write("coordination.k8s.io", "leases", "", "UPDATE"),
      write("policy", "poddisruptionbudgets", "", "DELETE"),
      write("autoscaling", "horizontalpodautoscalers", "", "CREATE"),
      write("", "services", "status", "UPDATE"),
      write("example.com", "widgets", "", "CREATE"),
      write("example.com", "widgets", "scale", "UPDATE"),
      write("", "pods", "log", "CONNECT"),
    ];
    for (const op of requester.operations)
      expect(
        unsent(
          all,
          anyKind.map((w) => ({ ...w, operation: op })),
        ),
      ).toEqual([]);
    // Everything the base sends is still sent, and by exactly one webhook (never twice).
    for (const key of validating.flatMap((h) => [...expandRules(h.rules)])) {
      const [path, op] = key.split(":") as [string, string];
      const [g, res, sub] = splitKey(path);
      const w = write(g, res, sub ?? "", op);
      expect(webhooksSending(validating, w), key).toHaveLength(1);
      expect(webhooksSending(all, w), key).toHaveLength(1);
    }
    for (const w of anyKind) expect(webhooksSending(all, w), show(w)).toHaveLength(1);
    // Cluster-scoped kinds stay out: a node is nobody's tenant object. PersistentVolumes are sent
    // by the base's own rule (TG-PV-TENANT), once, never by the namespaced wildcard.
    expect(webhooksSending(all, write("", "nodes", "", "UPDATE"))).toEqual([]);
    expect(webhooksSending(all, write("", "persistentvolumes", "", "CREATE"))).toEqual([
      "validate.tenant-guard.dev",
    ]);
    // A PV's status (labels kept there): by the base's requester webhook, here by the objects one.
    expect(webhooksSending(validating, write("", "persistentvolumes", "status", "UPDATE"))).toEqual([
      "requester.validate.tenant-guard.dev",
    ]);
    expect(webhooksSending(all, write("", "persistentvolumes", "status", "UPDATE"))).toEqual([
      "validate.tenant-guard.dev",
    ]);
    // The base itself does not route arbitrary kinds: that is what the component is for.
    expect(unsent(validating, anyKind)).toHaveLength(anyKind.length);
  });
});

/** "core/pods/exec" -> ["", "pods", "exec"]; "apps/deployments" -> ["apps", "deployments"]. */
function splitKey(path: string): [string, string, string?] {
  const [g, res, sub] = path.split("/") as [string, string, string?];
  return [g === "core" ? "" : g, res, sub];
}

function section(name: string): string {
  const start = README.indexOf(`<!-- ${name} -->`);
  const end = README.indexOf(`<!-- /${name} -->`, start);
  expect(start, `README has no "<!-- ${name} -->" marker`).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return README.slice(start, end);
}

describe("the README says what is sent, exactly", () => {
  it("its default routes table lists exactly what deploy/base's validating webhooks send", () => {
    const promised = new Set<string>();
    for (const line of section("routes: deploy/base").split("\n")) {
      const cells = line.split("|").map((c) => c.trim());
      if (cells.length < 5 || !cells[2]?.includes("`")) continue;
      const group = cells[1]!.replaceAll("`", "");
      const resources = [...cells[2].matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      const ops = cells[3]!.split(",").map((o) => o.trim());
      for (const r of resources) for (const o of ops) promised.add(`${group}/${r}:${o}`);
    }
    const sent = new Set(validating.flatMap((h) => [...expandRules(h.rules)]));
    expect([...promised].sort()).toEqual([...sent].sort());
  });

  it("the requester row names the component that sends every kind, and deploy/base sends each subresource it names", () => {
    const row = README.split("\n").find((l) => l.startsWith(`| \`${REQUESTER_CROSS_TENANT_CODE}\``));
    expect(row).toBeDefined();
    expect(row).toContain("`deploy/components/all-resources`");
    const subs = [...row!.matchAll(/`([a-z]+)\/([a-z]+)`/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(subs.length).toBeGreaterThanOrEqual(4);
    for (const [res, sub] of subs) {
      const op = SUBRESOURCES[res]?.[sub];
      expect(op, `${res}/${sub}: unknown subresource`).toBeDefined();
      expect(unsent(validating, [write("", res, sub, op!)])).toEqual([]);
    }
  });
});

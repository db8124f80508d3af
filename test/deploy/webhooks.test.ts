// The webhook configurations decide which writes tenant-guard ever sees: a kind missing here is a
// rule that silently never runs; a system namespace included is a cluster that cannot be repaired
// while the webhook is down. These checks run on the kustomize builds of every overlay.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MUTATORS, RULES } from "../../src/policy/catalogue.ts";
import { GATEWAY_GROUP } from "../../src/policy/rules/gateway-api.ts";
import { KUEUE_GROUP } from "../../src/k8s/kueue.ts";
import type { ResourceMatch } from "../../src/policy/types.ts";
import { CUSTOM_RESOURCES } from "../../src/policy/workloads/known-kinds.ts";
import { resolveRequester } from "../../src/policy/requester.ts";
import { buildConfig } from "../../src/policy/config.ts";
import { policySettings } from "../../src/policy/settings.ts";
import { loadDirectoryPath } from "../../src/tenancy/file.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { DEPLOY, REPO, build, findObject, type K8sObject } from "./support/kustomize.ts";
import {
  EXPECTED_ML,
  EXPECTED_MUTATING,
  EXPECTED_NAMESPACES_MUTATING,
  EXPECTED_REQUESTER_ONLY,
  EXPECTED_VALIDATING,
  SYSTEM_NAMESPACES,
  expandRules,
  webhooksOf,
  type Webhook,
} from "./support/webhook-rules.ts";

const VWC = "ValidatingWebhookConfiguration";
const CUSTOM_KEYS = new Set(CUSTOM_RESOURCES.map((k) => `${k.group}/${k.resource}`));
const NAMESPACES_HOOK = "namespaces.tenant-guard.dev";
const REQUESTER_HOOK = "requester.validate.tenant-guard.dev";
const MWC = "MutatingWebhookConfiguration";
const NAMESPACES_MUTATE_HOOK = "namespaces.mutate.tenant-guard.dev";
const base = build(join(DEPLOY, "base"));
const SETTINGS = policySettings(buildConfig(undefined, {}));
const VIEW = await loadDirectoryPath(join(REPO, "examples", "cluster.yaml"), SETTINGS.tenantLabel);
const overlay = (name: string): K8sObject[] => build(join(DEPLOY, "overlays", name));
const sorted = (s: Iterable<string>): string[] => [...s].sort();
const allWebhooks = (objs: K8sObject[]): Webhook[] =>
  objs.filter((o) => o.kind === VWC || o.kind === MWC).flatMap(webhooksOf);

describe("deploy/base webhook configurations", () => {
  const validating = webhooksOf(findObject(base, VWC, "tenant-guard"));
  const mutating = webhooksOf(findObject(base, MWC, "tenant-guard"));
  const namespaced = validating.filter((w) => w.name !== NAMESPACES_HOOK);
  const nsHook = validating.find((w) => w.name === NAMESPACES_HOOK);
  const requesterHook = validating.find((w) => w.name === REQUESTER_HOOK);
  const allSent = (): string[] => validating.flatMap((w) => [...expandRules(w.rules)]);

  it("the validating webhooks send exactly the kinds and subresources the rules judge", () => {
    expect(validating.map((w) => w.name)).toEqual([
      "validate.tenant-guard.dev",
      NAMESPACES_HOOK,
      REQUESTER_HOOK,
    ]);
    expect(sorted(allSent())).toEqual(sorted(EXPECTED_VALIDATING));
    // No write is sent twice: each (resource, operation) is in one webhook only.
    expect(allSent().length).toBe(new Set(allSent()).size);
    expect(sorted(expandRules(requesterHook!.rules))).toEqual(sorted(EXPECTED_REQUESTER_ONLY));
    expect(sorted(expandRules(nsHook!.rules))).toEqual(
      sorted(EXPECTED_VALIDATING.filter((r) => r.startsWith("core/namespaces"))),
    );
  });

  it("namespaces have a webhook without a namespaceSelector, so a system namespace's label change is sent (CVE-2025-55205)", () => {
    expect(nsHook).toBeDefined();
    expect(nsHook!.namespaceSelector).toBeUndefined();
    const conditions = nsHook!.matchConditions?.map((c) => c.expression).join(" ") ?? "";
    expect(conditions).toContain("system:masters");
    expect(conditions).toContain("system:serviceaccount:kube-system:namespace-controller");
    expect(conditions).toContain("system:serviceaccount:tenant-guard-system:tenant-guard");
  });

  it("the requester webhook skips only identities the server treats as exempt (never a tenant)", () => {
    const exprs = requesterHook!.matchConditions?.map((c) => c.expression) ?? [];
    const text = exprs.join(" && ");
    const groups = [...text.matchAll(/'([^']+)' in request\.userInfo\.groups/g)].map((m) => m[1]!);
    const userList = /request\.userInfo\.username in \[([^\]]*)\]/.exec(text)?.[1] ?? "";
    const users = [...userList.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    const patterns = [...text.matchAll(/username\.matches\('([^']+)'\)/g)].map((m) => m[1]!);
    const self = "system:serviceaccount:tenant-guard-system:tenant-guard";
    // Every quoted literal is one of these, so a new kind of clause needs a look here first.
    expect([...text.matchAll(/'[^']*'/g)]).toHaveLength(groups.length + users.length + patterns.length + 1);
    expect(text).toContain(`!= '${self}'`);
    expect(groups.sort()).toEqual(["system:masters", "system:nodes"]);
    expect(users.length).toBeGreaterThanOrEqual(5);
    const exempt = (username: string, groups: string[] = []): boolean =>
      resolveRequester({ username, groups }, VIEW, SETTINGS).exempt;
    for (const g of groups) expect(exempt("someone", [g]), g).toBe(true);
    for (const u of users) expect(exempt(u), u).toBe(true);
    expect(patterns).toEqual(["^system:serviceaccount:kube-system:[^:]+$"]);
    const kubeSystemSa = new RegExp(patterns[0]!);
    for (const u of [
      "system:serviceaccount:kube-system:endpointslice-controller",
      "system:serviceaccount:kube-system:x",
    ]) {
      expect(kubeSystemSa.test(u), u).toBe(true);
      expect(exempt(u), u).toBe(true);
    }
    // Tenants' identities are sent.
    for (const u of [
      "system:serviceaccount:team-alpha:default",
      "system:serviceaccount:kube-system:a:b",
      "alice@example.com",
    ])
      expect(kubeSystemSa.test(u) || users.includes(u), u).toBe(false);
  });

  it("the mutating webhook sends pod, claim, Ingress and Kueue job creation only, and is reinvoked if another webhook changes them", () => {
    expect(mutating.map((w) => w.name)).toEqual(["mutate.tenant-guard.dev", NAMESPACES_MUTATE_HOOK]);
    expect(sorted(expandRules(mutating[0]!.rules))).toEqual([...EXPECTED_MUTATING]);
    expect(mutating[0]!.reinvocationPolicy).toBe("IfNeeded");
  });

  it("namespace creation has a mutating webhook without a namespaceSelector (a new namespace has no tenant label to select on yet)", () => {
    const ns = mutating[1]!;
    expect(sorted(expandRules(ns.rules))).toEqual([...EXPECTED_NAMESPACES_MUTATING]);
    expect(ns.namespaceSelector).toBeUndefined();
    expect(ns.clientConfig.service?.path).toBe("/mutate");
    const conditions = ns.matchConditions?.map((c) => c.expression).join(" ") ?? "";
    expect(conditions).toContain("system:masters");
    expect(conditions).toContain("system:serviceaccount:tenant-guard-system:tenant-guard");
  });

  it("every webhook speaks v1, has no side effects, a short timeout and matchPolicy Equivalent", () => {
    for (const w of [...validating, ...mutating]) {
      expect(w.admissionReviewVersions, w.name).toEqual(["v1"]);
      expect(["None", "NoneOnDryRun"], w.name).toContain(w.sideEffects);
      expect(w.timeoutSeconds, w.name).toBe(5);
      expect(w.matchPolicy, w.name).toBe("Equivalent");
      expect(w.failurePolicy, `${w.name}: failurePolicy belongs to the overlays`).toBeUndefined();
      expect(w.clientConfig.caBundle, `${w.name}: caBundle comes from certs-scripts/cert-manager`).toBe(
        undefined,
      );
      for (const r of w.rules) {
        expect(r.apiGroups.concat(r.resources), `${w.name}: no wildcards`).not.toContain("*");
        // DRA is GA (v1) since 1.34; its beta versions are listed too, so a 1.32/1.33 cluster is covered.
        // So is VolumeAttributesClass (v1beta1 on 1.31-1.33).
        const versions = r.apiGroups.includes("resource.k8s.io")
          ? ["v1", "v1beta2", "v1beta1"]
          : r.resources.includes("volumeattributesclasses")
            ? ["v1", "v1beta1"]
            : ["v1"];
        expect(r.apiVersions, w.name).toEqual(versions);
        expect(["Namespaced", "Cluster"], w.name).toContain(r.scope);
      }
    }
  });

  it("calls /validate and /mutate on the tenant-guard Service's port", () => {
    const svc = findObject(base, "Service", "tenant-guard") as K8sObject & {
      spec: { ports: { port: number }[] };
    };
    const expectService = (w: Webhook, path: string): void =>
      expect(w.clientConfig.service).toEqual({
        name: svc.metadata.name,
        namespace: svc.metadata.namespace,
        path,
        port: svc.spec.ports[0]!.port,
      });
    expectService(validating[0]!, "/validate");
    expectService(mutating[0]!, "/mutate");
  });

  it("never sends objects in kube-system, kube-public, kube-node-lease or tenant-guard-system", () => {
    for (const w of [...namespaced, ...mutating.filter((h) => h.name !== NAMESPACES_MUTATE_HOOK)]) {
      const exprs = w.namespaceSelector?.matchExpressions ?? [];
      expect(exprs, w.name).toContainEqual({
        key: "kubernetes.io/metadata.name",
        operator: "NotIn",
        values: expect.arrayContaining(SYSTEM_NAMESPACES) as unknown as string[],
      });
      expect(w.matchConditions?.map((c) => c.expression).join(), w.name).toContain(
        "system:serviceaccount:tenant-guard-system:tenant-guard",
      );
    }
  });

  it("covers every resource a registered rule or mutator matches", () => {
    const key = (m: ResourceMatch, op: string): string =>
      `${m.group === "" ? "core" : m.group}/${m.resource}${m.subresource && m.subresource !== "*" ? `/${m.subresource}` : ""}:${op}`;
    const sent = allSent();
    for (const r of RULES) {
      if (r.match === "*") continue;
      // Gateway API kinds are routed by deploy/components/gateway-api, ML custom resources by
      // deploy/components/ml-platforms (routes.test.ts checks both).
      for (const m of r.match)
        for (const op of r.operations)
          if (
            m.group !== GATEWAY_GROUP &&
            m.group !== KUEUE_GROUP &&
            !CUSTOM_KEYS.has(`${m.group}/${m.resource}`)
          )
            expect(sent, r.code).toContain(key(m, op));
    }
    const mutated = mutating.flatMap((w) => [...expandRules(w.rules)]);
    // Custom resources (Kueue's ML jobs) are mutated through deploy/components/ml-platforms (routes.test.ts).
    const custom = new Set(CUSTOM_RESOURCES.map((k) => k.group));
    for (const m of MUTATORS) {
      for (const rm of m.match)
        for (const op of m.operations)
          if (!custom.has(rm.group)) expect(mutated, m.name).toContain(key(rm, op));
    }
  });

  const KNOWN_KINDS = join(REPO, "src/policy/workloads/known-kinds.ts");
  it.skipIf(!existsSync(KNOWN_KINDS))("covers every workload kind the workload rules know", async () => {
    interface Kind {
      group: string;
      resource: string;
    }
    const mod = (await import(KNOWN_KINDS)) as Record<string, Kind[]>;
    const k8s = allSent();
    expect(mod.KUBERNETES_WORKLOADS?.length).toBeGreaterThan(0);
    expect(mod.CUSTOM_RESOURCES?.length).toBeGreaterThan(0);
    for (const k of mod.KUBERNETES_WORKLOADS ?? []) {
      expect(k8s).toContain(`${k.group === "" ? "core" : k.group}/${k.resource}:CREATE`);
    }
    const ml = new Set(EXPECTED_ML);
    for (const k of mod.CUSTOM_RESOURCES ?? []) expect(ml).toContain(`${k.group}/${k.resource}:CREATE`);
  });
});

describe("deploy/overlays", () => {
  it("enforce: every webhook fails closed", () => {
    const hooks = allWebhooks(overlay("enforce"));
    expect(hooks).toHaveLength(5);
    for (const w of hooks) expect(w.failurePolicy, w.name).toBe("Fail");
  });

  it("audit: every webhook fails open and the server runs with --enforcement Audit", () => {
    const objs = overlay("audit");
    for (const w of allWebhooks(objs)) expect(w.failurePolicy, w.name).toBe("Ignore");
    const dep = findObject(objs, "Deployment", "tenant-guard") as K8sObject & {
      spec: { template: { spec: { containers: { args: string[] }[] } } };
    };
    const args = dep.spec.template.spec.containers[0]!.args;
    expect(args.slice(-2)).toEqual(["--enforcement", "Audit"]);
    expect(args[0]).toBe("serve");
  });

  it("ml-platforms: adds one webhook for exactly the ML kinds and leaves the base rules alone", () => {
    const objs = overlay("ml-platforms");
    const hooks = webhooksOf(findObject(objs, VWC, "tenant-guard"));
    expect(hooks.map((w) => w.name)).toEqual([
      "validate.tenant-guard.dev",
      NAMESPACES_HOOK,
      REQUESTER_HOOK,
      "ml.validate.tenant-guard.dev",
    ]);
    expect(sorted(hooks.slice(0, 3).flatMap((w) => [...expandRules(w.rules)]))).toEqual(
      sorted(EXPECTED_VALIDATING),
    );
    const ml = hooks[3]!;
    expect(sorted(expandRules(ml.rules))).toEqual(sorted(EXPECTED_ML));
    expect(ml).toMatchObject({
      failurePolicy: "Fail",
      // count/<resource>.<group> budgets charge the ledger on creates of these kinds
      sideEffects: "NoneOnDryRun",
      matchPolicy: "Equivalent",
      admissionReviewVersions: ["v1"],
      clientConfig: { service: hooks[0]!.clientConfig.service },
      namespaceSelector: hooks[0]!.namespaceSelector,
    });
  });

  it("cert-manager: both configurations get their caBundle injected from the serving Certificate", () => {
    const objs = overlay("cert-manager");
    interface Cert {
      spec: { secretName: string; dnsNames: string[]; issuerRef: { kind: string; name: string } };
    }
    for (const kind of [VWC, MWC]) {
      const ref = findObject(objs, kind, "tenant-guard").metadata.annotations?.[
        "cert-manager.io/inject-ca-from"
      ];
      const [ns, name] = (ref ?? "/").split("/");
      const cert = objs.find(
        (o) => o.kind === "Certificate" && o.metadata.namespace === ns && o.metadata.name === name,
      ) as (K8sObject & Cert) | undefined;
      expect(cert, `${kind} inject-ca-from ${ref}`).toBeDefined();
      expect(cert!.spec.secretName).toBe("tenant-guard-tls");
      expect(cert!.spec.dnsNames).toEqual(
        expect.arrayContaining([
          "tenant-guard.tenant-guard-system.svc",
          "tenant-guard.tenant-guard-system.svc.cluster.local",
        ]),
      );
      expect(findObject(objs, cert!.spec.issuerRef.kind, cert!.spec.issuerRef.name)).toBeDefined();
    }
    for (const w of allWebhooks(objs)) expect(w.failurePolicy).toBe("Fail");
  });
});

describe("webhook and probe paths are routes the real server answers", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("POSTing an AdmissionReview to each configured webhook path gets a review back", async () => {
    const review = readFileSync(join(REPO, "test/fixtures/admission/pod-create.json"), "utf8");
    const paths = new Set(allWebhooks(overlay("ml-platforms")).map((w) => w.clientConfig.service!.path));
    expect(sorted(paths)).toEqual(["/mutate", "/validate"]);
    for (const path of [...paths, "/validate-typo"]) {
      const res = await server.request(path, {
        method: "POST",
        body: review,
        headers: { "content-type": "application/json" },
      });
      const ok = path !== "/validate-typo";
      expect([path, res.status]).toEqual([path, ok ? 200 : 404]);
      if (ok)
        expect(res.json<{ response: { uid: string } }>().response.uid).toBe(JSON.parse(review).request.uid);
    }
  });

  it("the Deployment's probes hit /healthz and /readyz, and both answer 200 without a client cert", async () => {
    const dep = findObject(base, "Deployment", "tenant-guard") as K8sObject & {
      spec: { template: { spec: { containers: Record<string, { httpGet: { path: string } }>[] } } };
    };
    const c = dep.spec.template.spec.containers[0]!;
    expect(c.livenessProbe!.httpGet.path).toBe("/healthz");
    expect(c.readinessProbe!.httpGet.path).toBe("/readyz");
    for (const p of [c.livenessProbe!.httpGet.path, c.readinessProbe!.httpGet.path]) {
      expect([p, (await server.request(p)).status]).toEqual([p, 200]);
    }
  });
});

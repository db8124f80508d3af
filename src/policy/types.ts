// Rules are pure functions: (request, read-only view, settings) -> findings. A denial is a value;
// a rule never logs, awaits, or throws for a policy outcome.
import type { AdmissionRequest, Operation } from "../admission/types.ts";
import type { Cidr } from "../k8s/cidr.ts";
import type { PatchOp } from "../admission/patch.ts";
import type { Mode } from "../config/modes.ts";
import type { TenantView } from "../tenancy/view.ts";
import type { RequestMemo } from "./per-request.ts";
import type { WorkloadSettings } from "./workloads/settings.ts";

export type { Mode };

export interface PodSecuritySettings {
  readonly allowHostNamespaces: boolean;
  readonly allowHostPath: boolean;
  readonly allowPrivileged: boolean;
}

/** Policy-relevant configuration, validated and frozen at start. */
export interface PolicySettings {
  readonly tenantLabel: string;
  readonly exemptNamespaces: ReadonlySet<string>;
  /** What happens to tenant-scoped rules in a namespace no tenant owns. */
  readonly unownedNamespaces: "allow" | "deny";
  readonly exemptUsers: ReadonlySet<string>;
  readonly exemptGroups: ReadonlySet<string>;
  readonly enforcement: {
    readonly mode: Mode;
    readonly rules: ReadonlyMap<string, Mode>;
    /** Rule codes pinned to Enforce: no Tenant can downgrade them. */
    readonly forced: ReadonlySet<string>;
  };
  readonly pods: PodSecuritySettings;
  /** Priority classes every tenant may use, system-* included (config pods.globalPriorityClasses). */
  readonly globalPriorityClasses?: ReadonlySet<string>;
  readonly clusterRoleBindings: "deny" | "warn" | "allow";
  /** Where pod templates and model URIs live per kind; absent: the built-in defaults. */
  readonly workloads?: WorkloadSettings;
  /** Config network.clusterCIDRs: pod and service ranges hand-written endpoints may not reach. */
  readonly clusterCIDRs?: readonly Cidr[];
  /** Config kueue.requireQueueFor.resources: what a pod or job may not request without a queue. */
  readonly queueRequiredFor?: ReadonlySet<string>;
}

export interface Requester {
  readonly username: string;
  /** Tenants the caller acts for (service account of a tenant namespace, Tenant owner, group). */
  readonly tenants: ReadonlySet<string>;
  /** A cluster component or configured exempt identity: never treated as a tenant. */
  readonly exempt: boolean;
}

export interface RuleContext {
  readonly request: AdmissionRequest;
  readonly view: TenantView;
  readonly settings: PolicySettings;
  /** The tenant owning request.namespace, if any. */
  readonly namespaceTenant: string | undefined;
  readonly requester: Requester;
  /** What several rules derive from this request (pod targets, pod scope), built once: per-request.ts. */
  readonly memo: RequestMemo;
}

export interface Finding {
  readonly code: string;
  /** Names the object, the tenant(s) and what is wrong; the field is in `path`. */
  readonly message: string;
  /** Field path in the object, e.g. spec.containers[0].image. */
  readonly path?: string;
  /** The tenant whose enforcement settings govern this finding (default: the namespace's). */
  readonly tenant?: string;
  /**
   * The other tenant this finding protects (whose pool, object or label is crossed). Its mode is
   * resolved too and the stricter one applies, so a tenant in Audit cannot weaken another's guard.
   */
  readonly victim?: string;
  /**
   * The rule's default mode for this finding (e.g. Warn when config asks ClusterRoleBindings to warn).
   * Beats the blanket Tenant/global modes; loses to forced and to any per-rule setting.
   */
  readonly mode?: Mode;
}

export interface ResourceMatch {
  /** "" for the core group. */
  readonly group: string;
  readonly resource: string;
  /** "" for the main resource; "*" for the resource and all its subresources. */
  readonly subresource?: string;
}

export interface RuleDoc {
  readonly code: string;
  readonly summary: string;
}

export interface Rule extends RuleDoc {
  /** "*" matches every request (the requester rule). */
  readonly match: readonly ResourceMatch[] | "*";
  readonly operations: readonly Operation[];
  /**
   * True when the rule judges who is asking, not what the object says (the requester rule). Its
   * findings stand on every update; a content rule's findings do not on an update that changes
   * nothing but finalizers and bookkeeping (engine.ts).
   */
  readonly judgesRequester?: boolean;
  check(ctx: RuleContext, out: Finding[]): void;
}

export interface Mutator {
  readonly name: string;
  readonly match: readonly ResourceMatch[];
  readonly operations: readonly Operation[];
  mutate(ctx: RuleContext, out: PatchOp[]): void;
}

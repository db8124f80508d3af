// Cross-field checks on a Tenant that zod's per-field schema cannot express. Mutation copies these
// values into every pod of the tenant, so a value the API server would reject (a default request
// above its limit, a fractional GPU, a toleration with a value under `Exists`) must fail when the
// directory loads the Tenant, not on every pod create.
import { parseQuantity } from "../k8s/quantity.ts";
import {
  isContainerResourceName,
  isExtendedResource,
  isOvercommitAllowed,
  isQualifiedName,
} from "../k8s/resource-names.ts";

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const NOT_A_RESOURCE =
  "not a container resource name (cpu, memory, ephemeral-storage, hugepages-<size>, or a domain-prefixed extended resource such as nvidia.com/gpu)";

type Quantities = Readonly<Record<string, string | number>>;

interface PodDefaultsInput {
  readonly resources?: { readonly requests?: Quantities; readonly limits?: Quantities } | undefined;
  readonly maxPerPod?: Quantities | undefined;
}

interface TolerationInput {
  readonly key?: string | undefined;
  readonly operator?: string | undefined;
  readonly value?: string | undefined;
  readonly effect?: string | undefined;
  readonly tolerationSeconds?: number | undefined;
}

/** The part of zod's refinement context these checks use. */
interface IssueSink {
  addIssue(issue: { code: "custom"; message: string; path: (string | number)[] }): void;
}

export function checkPodDefaults(pd: PodDefaultsInput, ctx: IssueSink): void {
  const requests = pd.resources?.requests ?? {};
  const limits = pd.resources?.limits ?? {};
  const max = pd.maxPerPod ?? {};
  const lists: [Quantities, string[]][] = [
    [requests, ["resources", "requests"]],
    [limits, ["resources", "limits"]],
    [max, ["maxPerPod"]],
  ];
  for (const [list, path] of lists) {
    for (const [name, q] of Object.entries(list)) {
      const at = [...path, name];
      if (!isContainerResourceName(name)) ctx.addIssue({ code: "custom", path: at, message: NOT_A_RESOURCE });
      const v = parseQuantity(q);
      if (v === undefined) continue; // reported by the field schema
      if (isExtendedResource(name) && !Number.isInteger(v))
        ctx.addIssue({
          code: "custom",
          path: at,
          message: `${name} is an extended resource: "${q}" must be an integer`,
        });
      const cap = Object.hasOwn(max, name) ? parseQuantity(max[name]) : undefined;
      if (list !== max && cap !== undefined && v > cap)
        ctx.addIssue({
          code: "custom",
          path: at,
          message: `default ${name} "${q}" is above maxPerPod ${name} "${String(max[name])}": every defaulted pod would be denied`,
        });
    }
  }
  for (const [name, q] of Object.entries(requests)) {
    if (!Object.hasOwn(limits, name)) continue;
    const req = parseQuantity(q);
    const lim = parseQuantity(limits[name]);
    if (req === undefined || lim === undefined) continue;
    const at = ["resources", "requests", name];
    const limit = String(limits[name]);
    if (!isOvercommitAllowed(name) && req !== lim)
      ctx.addIssue({
        code: "custom",
        path: at,
        message: `${name} cannot be overcommitted: the default request "${q}" must equal the default limit "${limit}"`,
      });
    else if (req > lim)
      ctx.addIssue({
        code: "custom",
        path: at,
        message: `the default ${name} request "${q}" is above the default limit "${limit}"`,
      });
  }
}

/** The API server's ValidateTolerations, so a pool toleration never makes a pod invalid. */
export function checkToleration(t: TolerationInput, ctx: IssueSink): void {
  const key = t.key ?? "";
  if (key !== "" && !isQualifiedName(key))
    ctx.addIssue({
      code: "custom",
      path: ["key"],
      message: `toleration key "${key}" is not a valid label key`,
    });
  if (key === "" && t.operator !== "Exists")
    ctx.addIssue({
      code: "custom",
      path: ["operator"],
      message: "operator must be Exists when key is empty",
    });
  if (t.operator === "Exists" && (t.value ?? "") !== "")
    ctx.addIssue({ code: "custom", path: ["value"], message: "value must be empty when operator is Exists" });
  if (t.operator !== "Exists" && !isLabelValue(t.value ?? ""))
    ctx.addIssue({
      code: "custom",
      path: ["value"],
      message: `toleration value "${t.value}" is not a valid label value`,
    });
  if (t.tolerationSeconds !== undefined && t.effect !== "NoExecute")
    ctx.addIssue({
      code: "custom",
      path: ["effect"],
      message: "effect must be NoExecute when tolerationSeconds is set",
    });
}

function isLabelValue(v: string): boolean {
  return v.length <= 63 && LABEL_VALUE.test(v);
}

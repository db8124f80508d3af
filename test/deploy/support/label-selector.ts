// metav1.LabelSelector evaluation (matchLabels AND every matchExpression), as the API server applies
// a webhook's namespaceSelector to a namespace's labels: In, NotIn, Exists, DoesNotExist.
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function selects(sel: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (sel === undefined) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    const ok =
      e.operator === "In"
        ? has && values.includes(labels[e.key]!)
        : e.operator === "NotIn"
          ? !has || !values.includes(labels[e.key]!)
          : e.operator === "Exists"
            ? has
            : e.operator === "DoesNotExist"
              ? !has
              : unknownOperator(e.operator);
    if (!ok) return false;
  }
  return true;
}

function unknownOperator(op: string): never {
  throw new Error(`unknown label selector operator ${op}`);
}

/** A namespace's labels as the API server sees them: kubernetes.io/metadata.name is always set. */
export function namespaceLabels(name: string, labels: Record<string, string> = {}): Record<string, string> {
  return { ...labels, "kubernetes.io/metadata.name": name };
}

// Field paths for messages (`spec.containers[0].env[3].valueFrom.secretKeyRef.name`). Built only
// when a finding is made, never on the allow path.

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function field(base: string, name: string): string {
  return base === "" ? name : `${base}.${name}`;
}

export function at(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** A map key: `.cpu` when plain, `["nvidia.com/gpu"]` otherwise. */
export function key(base: string, k: string): string {
  return PLAIN_KEY.test(k) ? field(base, k) : `${base}[${JSON.stringify(k)}]`;
}

/** The container lists of a PodSpec, in the order the kubelet starts them. */
export const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;
export type ContainerList = (typeof CONTAINER_LISTS)[number];

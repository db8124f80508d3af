// Host names against patterns with the Ingress spec's wildcard semantics: "*.alpha.example.com"
// stands for exactly one more label ("a.alpha.example.com"), never for two
// ("a.b.alpha.example.com"), nor the bare suffix ("alpha.example.com"), nor part of a label
// ("evil-alpha.example.com"). Compiled into two sets, so a lookup is O(1) per host, no regex.

export interface HostnamePatterns {
  /** Patterns as written, for messages. */
  readonly written: readonly string[];
  readonly exact: ReadonlySet<string>;
  /** Wildcard patterns without their "*": ".alpha.example.com". */
  readonly suffixes: ReadonlySet<string>;
}

export function compileHostnames(patterns: readonly string[]): HostnamePatterns {
  const exact = new Set<string>();
  const suffixes = new Set<string>();
  for (const p of patterns) {
    const lower = p.toLowerCase();
    if (lower.startsWith("*.")) suffixes.add(lower.slice(1));
    else exact.add(lower);
  }
  return { written: Object.freeze([...patterns]), exact, suffixes };
}

/**
 * Whether a host (itself possibly a wildcard, "*.alpha.example.com") is admitted: listed exactly,
 * or its first label is a whole label under a listed wildcard. A wildcard host is admitted only by
 * itself or an exact entry equal to it, since it claims every name one label under its suffix.
 */
export function hostAllowed(patterns: HostnamePatterns, host: string): boolean {
  const h = host.toLowerCase();
  if (patterns.exact.has(h)) return true;
  const dot = h.indexOf(".");
  if (dot <= 0) return false;
  return patterns.suffixes.has(h.slice(dot));
}

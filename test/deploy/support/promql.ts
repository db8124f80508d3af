// The metric names and label matchers a PromQL expression uses, for checking an alert or panel
// against what tenant-guard really exports. Not a parser: strings, ranges, grouping clauses and
// function calls are stripped, and every identifier left is a metric name.
export interface MetricUse {
  readonly metric: string;
  /** Label names in the selector's matchers ({route="/validate"} -> route). */
  readonly labels: readonly string[];
}

const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "inf", "nan"]);

export function metricsIn(expr: string): MetricUse[] {
  const uses: MetricUse[] = [];
  let rest = expr
    .replace(/\[[^\]]*\]/g, " ") // [5m], [$__rate_interval]
    .replace(/\boffset\s+\S+/g, " ");
  // Selectors with matchers: record them, then drop the braces.
  rest = rest.replace(/([A-Za-z_:][\w:]*)?\s*\{([^}]*)\}/g, (_m, name: string | undefined, inner: string) => {
    const labels = [...inner.matchAll(/([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)/g)].map((x) => x[1]!);
    if (name !== undefined) uses.push({ metric: name, labels });
    else if (!labels.includes("__name__")) throw new Error(`selector without a metric name in ${expr}`);
    return name === undefined ? " " : " __seen__ ";
  });
  rest = rest
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  for (const m of rest.matchAll(/[A-Za-z_:][\w:]*/g)) {
    const id = m[0];
    const after = rest.slice(m.index + id.length);
    if (id === "__seen__" || KEYWORDS.has(id.toLowerCase()) || /^\s*\(/.test(after)) continue;
    uses.push({ metric: id, labels: [] });
  }
  return uses;
}

// kubectl's YAML reader (go-yaml, a libyaml port) does not check the indentation of the
// continuation lines of a quoted scalar or a flow collection ([...], {...}); the `yaml` package
// does (YAML 1.2). A manifest kubectl applies must not abort an audit, so a stream that fails to
// parse is retried once with such lines indented past their parent. Only whitespace that line
// folding drops anyway is added, and no line is added or removed, so values and line numbers stay.

/** The text with under-indented continuation lines indented, or undefined when there were none. */
export function relaxFlowIndentation(text: string): string | undefined {
  const lines = text.split("\n");
  let changed = false;
  let inDouble = false;
  let inSingle = false;
  let flowDepth = 0;
  /** Continuation lines of the open construct must be indented more than this. */
  let parentColumn = 0;
  /** Inside a block scalar (| or >): lines indented more than this are its content. */
  let blockParent: number | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    const indent = leadingSpaces(line);
    const blank = indent === line.length || line[indent] === "\r";
    if (blockParent !== undefined) {
      if (blank || indent > blockParent) continue;
      blockParent = undefined;
    }
    const open = inDouble || inSingle || flowDepth > 0;
    if (open && !blank && indent <= parentColumn && !line.startsWith("---") && !line.startsWith("...")) {
      lines[n] = " ".repeat(parentColumn + 1 - indent) + line;
      changed = true;
    }
    if (!open) parentColumn = keyColumn(line, indent);
    const state = scanLine(lines[n] as string, { inDouble, inSingle, flowDepth });
    ({ inDouble, inSingle, flowDepth } = state);
    if (state.blockScalar) blockParent = indent;
  }
  return changed ? lines.join("\n") : undefined;
}

interface ScanState {
  inDouble: boolean;
  inSingle: boolean;
  flowDepth: number;
}

function leadingSpaces(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 32) i++;
  return i;
}

/** Column of the line's first node after any "- " sequence indicators. */
function keyColumn(line: string, indent: number): number {
  let i = indent;
  while (line[i] === "-" && (line[i + 1] === " " || line[i + 1] === undefined)) {
    i++;
    while (line[i] === " ") i++;
  }
  return i;
}

/** True where a node may begin: line start, or after ": ", "- ", "? ", "[", "{", ",". */
function atNodeStart(prev: string | undefined, flow: boolean): boolean {
  if (prev === undefined || prev === ":" || prev === "-" || prev === "?") return true;
  return flow && (prev === "[" || prev === "{" || prev === ",");
}

function endsToken(c: string | undefined): boolean {
  return c === undefined || c === " " || c === "\t" || c === "\r";
}

/** One pass over a line: quotes, flow brackets, comments, block scalar indicators. Linear. */
function scanLine(line: string, s: ScanState): ScanState & { blockScalar: boolean } {
  let { inDouble, inSingle, flowDepth } = s;
  const done = (blockScalar: boolean): ScanState & { blockScalar: boolean } => ({
    inDouble,
    inSingle,
    flowDepth,
    blockScalar,
  });
  let prev: string | undefined; // last indicator or character outside a scalar on this line
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (inDouble) {
      if (c === "\\") i++;
      else if (c === '"') inDouble = false;
      continue;
    }
    if (inSingle) {
      if (c === "'" && line[i + 1] === "'") i++;
      else if (c === "'") inSingle = false;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") continue;
    if (c === "#" && (i === 0 || line[i - 1] === " " || line[i - 1] === "\t")) break;
    const flow = flowDepth > 0;
    const nodeStart = atNodeStart(prev, flow);
    if ((c === '"' || c === "'") && nodeStart) {
      if (c === '"') inDouble = true;
      else inSingle = true;
    } else if ((c === "[" || c === "{") && (nodeStart || flow)) {
      flowDepth++;
    } else if ((c === "]" || c === "}") && flow) {
      flowDepth--;
    } else if ((c === "|" || c === ">") && nodeStart && !flow) {
      return done(true);
    } else if ((c === "&" || c === "!") && nodeStart) {
      // an anchor or a tag before a node: skip it, the node still starts after it
      while (i + 1 < line.length && !endsToken(line[i + 1])) i++;
      continue;
    } else if (!flow && !((c === "-" || c === "?" || c === ":") && endsToken(line[i + 1]))) {
      // a plain scalar in block context runs to ": " (then a value may follow) or a comment
      let j = i;
      while (j < line.length && !(line[j] === ":" && endsToken(line[j + 1]))) {
        if (line[j] === "#" && (line[j - 1] === " " || line[j - 1] === "\t")) return done(false);
        j++;
      }
      if (j >= line.length) return done(false);
      i = j;
      prev = ":";
      continue;
    }
    prev = c;
  }
  return done(false);
}

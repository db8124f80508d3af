// Lists value exports (functions, constants, classes) of src/ that no other file (src/, test/, bench/) imports: `npx node
// scripts/dead-exports.ts`. Uses the TypeScript compiler already in devDependencies: every import
// and re-export is resolved to the symbol it names, and what is left over is printed.
import { relative } from "node:path";
import ts from "typescript";

const root = new URL("..", import.meta.url).pathname;
const config = ts.getParsedCommandLineOfConfigFile(
  `${root}tsconfig.json`,
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => {},
  },
);
if (config === undefined) throw new Error("cannot read tsconfig.json");
const program = ts.createProgram(config.fileNames, config.options);
const checker = program.getTypeChecker();
const used = new Set<ts.Symbol>();

function real(s: ts.Symbol): ts.Symbol {
  return s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
}

function markModule(spec: ts.Expression): ts.Symbol | undefined {
  const mod = checker.getSymbolAtLocation(spec);
  return mod === undefined ? undefined : real(mod);
}

for (const sf of program.getSourceFiles()) {
  if (sf.isDeclarationFile) continue;
  sf.forEachChild(function visit(node: ts.Node): void {
    if (ts.isImportDeclaration(node) && node.importClause !== undefined) {
      const c = node.importClause;
      if (c.name !== undefined) {
        const s = checker.getSymbolAtLocation(c.name);
        if (s !== undefined) used.add(real(s));
      }
      const b = c.namedBindings;
      if (b !== undefined && ts.isNamespaceImport(b)) {
        const mod = markModule(node.moduleSpecifier);
        if (mod !== undefined) for (const e of checker.getExportsOfModule(mod)) used.add(real(e));
      } else if (b !== undefined) {
        for (const el of b.elements) {
          const s = checker.getSymbolAtLocation(el.name);
          if (s !== undefined) used.add(real(s));
        }
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      const mod = markModule(node.moduleSpecifier);
      if (node.exportClause === undefined && mod !== undefined)
        for (const e of checker.getExportsOfModule(mod)) used.add(real(e));
      else if (node.exportClause !== undefined && ts.isNamedExports(node.exportClause))
        for (const el of node.exportClause.elements) {
          const s = checker.getSymbolAtLocation(el.name);
          if (s !== undefined) used.add(real(s));
        }
    } else if (ts.isImportTypeNode(node) || ts.isCallExpression(node)) {
      // import("./x.ts") and import("./x.ts").T: count every export of the module as used.
      const arg = ts.isCallExpression(node) ? node.arguments[0] : undefined;
      if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        arg !== undefined
      ) {
        const mod = markModule(arg);
        if (mod !== undefined) for (const e of checker.getExportsOfModule(mod)) used.add(real(e));
      }
    }
    node.forEachChild(visit);
  });
}

const dead: string[] = [];
for (const sf of program.getSourceFiles()) {
  const path = relative(root, sf.fileName);
  if (!path.startsWith("src/") || path === "src/main.ts") continue;
  const mod = checker.getSymbolAtLocation(sf);
  if (mod === undefined) continue;
  for (const e of checker.getExportsOfModule(mod)) {
    // Types named in an exported signature are part of that signature: only values are reported.
    if (!(real(e).flags & ts.SymbolFlags.Value)) continue;
    if (!used.has(real(e))) dead.push(`${path}: ${e.getName()}`);
  }
}
for (const d of dead.sort()) console.log(d);
process.exitCode = dead.length === 0 ? 0 : 1;

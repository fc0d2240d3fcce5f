/**
 * One compiler: cells are type-checked by the same TypeScript that builds the project (the `typescript`
 * devDependency, 5.9), not the 5.0.4 fork tslab bundles (`@tslab/typescript-for-tslab`, yunabe's
 * TypeScriptForTslab).
 *
 * The fork is stock TypeScript plus four exported helpers that tslab's converter calls; stock 5.9 has every
 * internal they are built from, so we add them (ported from the fork's lib/typescript.js, 5.0.4) and make
 * `require("@tslab/typescript-for-tslab")` resolve to the result by seeding Node's module cache before
 * tslab's modules load. `useProjectTypeScript()` must run before the first `require("tslab/...")`; it is
 * idempotent and returns the TypeScript module cells use.
 *
 * Where the project's `typescript` cannot be found (an installed kernel without devDependencies), tslab's
 * own fork is used and `compilerVersion()` says so.
 */
import Module, { createRequire } from "node:module";

const require = createRequire(import.meta.url);

type Ts = any;

function withForkHelpers(ts: Ts): Ts {
  // Own enumerable properties: tslab reads the module through __importStar, which copies only those.
  const shim: Ts = { ...ts };
  shim.getNullTransformationContext = () => ts.nullTransformationContext;
  // src/compiler/moduleNameResolver.ts (fork): every node_modules/@types from the directory up.
  shim.getDefaultTypeRoots = (currentDirectory: string, host: { directoryExists?: (p: string) => boolean }) => {
    if (!host.directoryExists) return [ts.combinePaths(currentDirectory, "node_modules/@types")];
    let typeRoots: string[] | undefined;
    ts.forEachAncestorDirectory(ts.normalizePath(currentDirectory), (directory: string) => {
      const atTypes = ts.combinePaths(directory, "node_modules/@types");
      if (host.directoryExists!(atTypes)) (typeRoots ??= []).push(atTypes);
      return undefined;
    });
    return typeRoots;
  };
  // src/compiler/program.ts (fork): getPreEmitDiagnostics for several files.
  shim.getPreEmitDiagnosticsOfFiles = (program: any, sourceFiles: readonly any[], cancellationToken?: unknown) => {
    const diagnostics = [
      ...program.getConfigFileParsingDiagnostics(),
      ...program.getOptionsDiagnostics(cancellationToken),
      ...program.getGlobalDiagnostics(cancellationToken),
    ];
    for (const sf of sourceFiles) {
      diagnostics.push(...program.getSyntacticDiagnostics(sf, cancellationToken), ...program.getSemanticDiagnostics(sf, cancellationToken));
      if (ts.getEmitDeclarations(program.getCompilerOptions())) diagnostics.push(...program.getDeclarationDiagnostics(sf, cancellationToken));
    }
    return ts.sortAndDeduplicateDiagnostics(diagnostics);
  };
  // src/services/completions.ts (fork): getCompletionsAtPosition without a format context.
  shim.Completions = {
    ...ts.Completions,
    getCompletionsAtPositionForTslab: (...args: unknown[]) => ts.Completions.getCompletionsAtPosition(...args.slice(0, 9), undefined),
  };
  // src/services/services.ts getQuickInfoAtPosition, on a bare type checker (the fork's export).
  const K = ts.SyntaxKind;
  const nodeForQuickInfo = (node: any) => {
    if (ts.isNewExpression(node.parent) && node.pos === node.parent.pos) return node.parent.expression;
    if (ts.isNamedTupleMember(node.parent) && node.pos === node.parent.pos) return node.parent;
    if (ts.isImportMeta(node.parent) && node.parent.name === node) return node.parent;
    return node;
  };
  const shouldGetType = (sourceFile: any, node: any, position: number) => {
    switch (node.kind) {
      case K.Identifier:
        return !ts.isLabelName(node) && !ts.isTagName(node) && !ts.isConstTypeReference(node.parent);
      case K.PropertyAccessExpression:
      case K.QualifiedName:
        return !ts.isInComment(sourceFile, position);
      case K.ThisKeyword:
      case K.ThisType:
      case K.SuperKeyword:
      case K.NamedTupleMember:
        return true;
      case K.MetaProperty:
        return ts.isImportMeta(node);
      default:
        return false;
    }
  };
  shim.getQuickInfoAtPosition = (sourceFile: any, checker: any, cancellationToken: unknown, position: number) => {
    const node = ts.getTouchingPropertyName(sourceFile, position);
    if (node === sourceFile) return undefined;
    const target = nodeForQuickInfo(node);
    const symbol = ts.getSymbolAtLocationForQuickInfo ? ts.getSymbolAtLocationForQuickInfo(target, checker) : checker.getSymbolAtLocation(target);
    if (!symbol || checker.isUnknownSymbol(symbol)) {
      const type = shouldGetType(sourceFile, target, position) ? checker.getTypeAtLocation(target) : undefined;
      return (
        type && {
          kind: "",
          kindModifiers: "",
          textSpan: ts.createTextSpanFromNode(target, sourceFile),
          displayParts: checker.runWithCancellationToken(cancellationToken, (c: any) => ts.typeToDisplayParts(c, type, ts.getContainerNode(target))),
          documentation: type.symbol ? type.symbol.getDocumentationComment(checker) : undefined,
          tags: type.symbol ? type.symbol.getJsDocTags(checker) : undefined,
        }
      );
    }
    const info = checker.runWithCancellationToken(cancellationToken, (c: any) =>
      ts.SymbolDisplay.getSymbolDisplayPartsDocumentationAndSymbolKind(c, symbol, sourceFile, ts.getContainerNode(target), target),
    );
    return {
      kind: info.symbolKind,
      kindModifiers: ts.SymbolDisplay.getSymbolModifiers(checker, symbol),
      textSpan: ts.createTextSpanFromNode(target, sourceFile),
      displayParts: info.displayParts,
      documentation: info.documentation,
      tags: info.tags,
    };
  };
  return shim;
}

let chosen: Ts | null = null;

/** Make tslab use the project's TypeScript (see the module comment); returns the module cells use. */
export function useProjectTypeScript(): Ts {
  if (chosen) return chosen;
  const tslabDir = require.resolve("tslab");
  const forkPath = require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDir] });
  let projectPath: string | null = null;
  try {
    projectPath = require.resolve("typescript");
  } catch {
    projectPath = null; // no devDependencies: keep tslab's fork
  }
  if (process.env.RLVR_KERNEL_TS === "tslab" || projectPath === null) {
    chosen = require(forkPath);
    return chosen;
  }
  const cache = (Module as unknown as { _cache: Record<string, NodeJS.Module> })._cache;
  const existing = cache[forkPath];
  if (existing && (existing.exports as Ts).getQuickInfoAtPosition && !(existing.exports as Ts).__rlvrShim) {
    chosen = existing.exports; // tslab already loaded its fork in this process: keep one compiler per process
    return chosen;
  }
  const shim = withForkHelpers(require(projectPath));
  Object.defineProperty(shim, "__rlvrShim", { value: true });
  const mod = new Module(forkPath) as NodeJS.Module;
  mod.filename = forkPath;
  mod.loaded = true;
  mod.exports = shim;
  cache[forkPath] = mod;
  chosen = shim;
  return shim;
}

/** The TypeScript version cells are checked with. */
export function compilerVersion(): string {
  return String(useProjectTypeScript().version);
}

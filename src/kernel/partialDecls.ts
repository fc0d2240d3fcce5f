/**
 * Declarations to keep after a cell failed part-way (ipykernel's behaviour: what ran stays bound).
 *
 * tslab carries declarations between cells as one `.d.ts`. After a cell succeeds, its `declOutput` (the old
 * declarations plus the cell's own, the cell's replacing same-named old ones) becomes the new set. After a
 * runtime failure we build it statement by statement:
 *   - type-level statements (interfaces, type aliases, imports) of the new set: kept;
 *   - a value statement naming only names the cell did not declare: kept (it is the old one);
 *   - a value statement of the cell's names, all of which got bound before the throw: kept (new type);
 *   - a value statement with a name the cell declared but never reached: dropped, and the old statement
 *     declaring that name (if any) is kept instead, matching the old value the executor restored.
 */
type Ts = any;

function statementNames(ts: Ts, s: any): string[] | null {
  if (ts.isVariableStatement(s)) {
    return s.declarationList.declarations.filter((d: any) => ts.isIdentifier(d.name)).map((d: any) => d.name.text);
  }
  if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s) || ts.isModuleDeclaration(s)) && s.name) {
    return [s.name.text];
  }
  return null; // type-level or other: not tied to a runtime binding
}

function statements(ts: Ts, decl: string): { text: string; names: string[] | null }[] {
  if (!decl) return [];
  const sf = ts.createSourceFile("decl.d.ts", decl, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return sf.statements.map((s: any) => ({ text: decl.slice(s.getFullStart(), s.end), names: statementNames(ts, s) }));
}

/**
 * @param oldDecl   declarations before the cell ran
 * @param newDecl   the converter's declarations had the cell succeeded
 * @param cellNames value names the cell declares
 * @param bound     those of them that hold a value after the failure
 */
export function mergePartialDecls(ts: Ts, oldDecl: string, newDecl: string, cellNames: ReadonlySet<string>, bound: ReadonlySet<string>): string {
  const unreached = (n: string) => cellNames.has(n) && !bound.has(n);
  const out: string[] = [];
  const restore = new Set<string>();
  for (const s of statements(ts, newDecl)) {
    if (s.names === null || !s.names.some(unreached)) out.push(s.text);
    else for (const n of s.names) if (unreached(n)) restore.add(n);
  }
  for (const s of statements(ts, oldDecl)) {
    if (s.names !== null && s.names.some((n) => restore.has(n))) out.push(s.text);
  }
  return out.join("");
}

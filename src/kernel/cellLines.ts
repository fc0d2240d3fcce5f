/**
 * Stack frames of a cell, mapped from the JavaScript that ran back to the lines the user wrote.
 *
 * tslab's converter re-prints the cell: it drops blank lines and type-only statements, adds a prologue
 * (`Object.defineProperty(exports, "__esModule", …)`, `exports.a = … = void 0;`), adds `exports.x = x;`
 * after each declaration and turns references to earlier cells' names into `exports.x`. No source map
 * survives its two emits, so we align instead:
 *   1. top-level statements: the JS statements left after removing the generated ones are paired, in order,
 *      with the cell's runtime statements (type-only ones removed); when the counts differ, the whole cell
 *      is the search range;
 *   2. inside the paired statement, the cell line whose identifiers and literals overlap most with the JS
 *      line wins (ties: the line at the same offset from the statement's start).
 * A frame reads `Cell In[3], line 6` (ipykernel's wording), and the traceback ends with the failing line
 * and two lines of context, marked `---->`.
 */
import type { RanCell } from "./cellExecutor.js";

type Ts = any;

interface Span {
  start: number; // 1-based first line
  end: number; // 1-based last line
}

function lineOf(sf: any, pos: number): number {
  return sf.getLineAndCharacterOfPosition(pos).line + 1;
}

function isGenerated(ts: Ts, s: any, sf: any): boolean {
  const text = s.getText(sf);
  if (/^"use strict";?$/.test(text)) return true;
  if (/^Object\.defineProperty\(exports, "__esModule"/.test(text)) return true;
  if (/^exports\.[\w$]+ = (exports\.[\w$]+ = )*void 0;$/.test(text)) return true;
  // `exports.x = x;` after a declaration (but not `exports.tsLastExpr = <expr>`, the last expression).
  return /^exports\.([\w$]+) = \1;$/.test(text);
}

function isTypeOnly(ts: Ts, s: any): boolean {
  if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) return true;
  if (ts.isEmptyStatement(s)) return true;
  const mods = ts.canHaveModifiers?.(s) ? ts.getModifiers(s) : s.modifiers;
  if (mods?.some((m: any) => m.kind === ts.SyntaxKind.DeclareKeyword)) return true;
  if (ts.isImportDeclaration(s) && s.importClause?.isTypeOnly) return true;
  if (ts.isExportDeclaration(s) && s.isTypeOnly) return true;
  if (ts.isModuleDeclaration(s) && s.body === undefined) return true;
  return false;
}

const TOKEN = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g;
const IGNORED = new Set(["exports", "require", "const", "let", "var", "function", "return", "void", "tsLastExpr", "_1", "default"]);

function tokens(line: string): Set<string> {
  const out = new Set<string>();
  for (const m of line.matchAll(TOKEN)) {
    let t = m[0];
    if (/^['"`]/.test(t)) t = JSON.stringify(t.slice(1, -1));
    t = t.replace(/_\d+$/, ""); // import aliases: x_1
    if (!IGNORED.has(t)) out.add(t);
  }
  return out;
}

/** The 1-based cell line that produced 1-based line `jsLine` of the cell's converted JS, or null. */
export function mapCellLine(ts: Ts, cell: Pick<RanCell, "source" | "output">, jsLine: number): number | null {
  const js = ts.createSourceFile("cell.js", cell.output, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const src = ts.createSourceFile("cell.ts", cell.source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const srcLines = cell.source.split("\n");
  const jsLines = cell.output.split("\n");
  if (jsLine < 1 || jsLine > jsLines.length) return null;
  const jsStmts: Span[] = js.statements
    .filter((s: any) => !isGenerated(ts, s, js))
    .map((s: any) => ({ start: lineOf(js, s.getStart(js)), end: lineOf(js, s.end) }));
  const srcStmts: Span[] = src.statements
    .filter((s: any) => !isTypeOnly(ts, s))
    .map((s: any) => ({ start: lineOf(src, s.getStart(src)), end: lineOf(src, s.end) }));
  let range: Span = { start: 1, end: srcLines.length };
  let expected = 1;
  const at = jsStmts.findIndex((s) => jsLine >= s.start && jsLine <= s.end);
  if (at >= 0 && jsStmts.length === srcStmts.length) {
    range = srcStmts[at];
    expected = Math.min(range.end, range.start + (jsLine - jsStmts[at].start));
  } else if (at >= 0 && at < srcStmts.length) {
    expected = srcStmts[at].start;
  }
  const want = tokens(jsLines[jsLine - 1]);
  let best: number | null = null;
  let bestScore = -1;
  for (let l = range.start; l <= range.end; l++) {
    const have = tokens(srcLines[l - 1] ?? "");
    let common = 0;
    for (const t of want) if (have.has(t)) common++;
    const score = want.size === 0 ? 0 : common / want.size;
    const closer = best !== null && score === bestScore && Math.abs(l - expected) < Math.abs(best - expected);
    if (score > bestScore || closer) {
      best = l;
      bestScore = score;
    }
  }
  if (bestScore <= 0) return at >= 0 && range !== undefined ? expected : null;
  return best;
}

const FRAME = /(Cell In\[[^\]]*\]):(\d+):(\d+)/;

/**
 * A traceback for Jupyter: the error line, the stack with cell frames rewritten to cell lines, and the
 * failing line of the innermost cell frame with context. `cells` are the cells that ran, by script name.
 */
export function cellTraceback(ts: Ts, stack: string[], cells: ReadonlyMap<string, RanCell>): string[] {
  const out: string[] = [];
  let first: { name: string; line: number } | null = null;
  // Node prefixes errors thrown from a vm script with "file:line", the JS line and a caret: it shows the
  // converted code, not the cell's, so drop it (the cell's line is printed at the end instead).
  if (stack.length > 0 && /^Cell In\[[^\]]*\]:\d+$/.test(stack[0])) {
    const blank = stack.indexOf("");
    stack = blank >= 0 ? stack.slice(blank + 1) : stack;
  }
  for (const raw0 of stack) {
    const raw = raw0.replace(/^(\s+at )Proxy\./, "$1");
    const m = FRAME.exec(raw);
    const cell = m ? cells.get(m[1]) : undefined;
    if (!m || !cell) {
      out.push(raw);
      continue;
    }
    const line = mapCellLine(ts, cell, Number(m[2]));
    if (line === null) continue; // the wrapper's own call line: not code the user wrote
    first ??= { name: m[1], line };
    out.push(raw.replace(FRAME, `${m[1]}, line ${line}`));
  }
  if (first) {
    const lines = cells.get(first.name)!.source.split("\n");
    out.push("", `${first.name}, line ${first.line}:`);
    const width = String(Math.min(lines.length, first.line + 2)).length;
    for (let l = Math.max(1, first.line - 2); l <= Math.min(lines.length, first.line + 2); l++) {
      out.push(`${l === first.line ? "---->" : "     "} ${String(l).padStart(width)} ${lines[l - 1]}`);
    }
  }
  return out;
}

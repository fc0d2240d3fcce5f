/**
 * Runs TypeScript cells with tslab's converter (its `dist/`) and the kernel's own executor
 * (./cellExecutor.ts), and turns each run into a structured outcome a kernel can send:
 *
 *   CellExecutor result               → Evaluator outcome
 *   ok, last value                    → { status: "ok", hasValue: true, value }
 *   thrown                            → { status: "error", ename, evalue, traceback in cell lines, kept }
 *   type-check diagnostics            → { status: "error", ename: "TSError", evalue: "1:5 - Type ... TS2322" }
 *
 * tslab's converter does the hard parts (cell → module conversion with declarations carried between cells,
 * last-expression capture); the executor runs the result (top-level await, `import "tslab"`, local .ts side
 * modules, interrupt). The TypeScript root dir is `process.cwd()` (the notebook's folder), which is why
 * notebooks import the library by package name.
 */
import { createRequire } from "node:module";
import type { Converter, IsCompleteResult } from "tslab/dist/converter.js";
import { CellExecutor } from "./cellExecutor.js";
import { cellTraceback } from "./cellLines.js";
import { useProjectTypeScript } from "./typescriptForTslab.js";

const require = createRequire(import.meta.url);

export interface EvalError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export type EvalOutcome =
  | { status: "ok"; hasValue: boolean; value?: unknown; warnings: string[] }
  | ({ status: "error"; kept?: string[] } & EvalError);

export interface Completion {
  cursor_start: number;
  cursor_end: number;
  matches: string[];
}

/** Messages Node/tslab use when a running cell is interrupted (sync via SIGINT, async via interrupt()). */
const INTERRUPT_MESSAGES = new Set([
  "Script execution interrupted.",
  "Script execution was interrupted by `SIGINT`",
  "Interrupted asynchronously",
]);

/** ename/evalue/traceback of a thrown value (Error or anything else). */
export function describeThrown(e: unknown): EvalError {
  if (e instanceof Error || (e && typeof e === "object" && "stack" in e && "message" in e)) {
    const err = e as Error;
    const message = String(err.message ?? "");
    const ename = INTERRUPT_MESSAGES.has(message) ? "Interrupted" : err.name || err.constructor?.name || "Error";
    const stack = typeof err.stack === "string" ? err.stack.split("\n") : [`${ename}: ${message}`];
    // Drop the kernel's own frames: everything from tslab's executor down is not the user's code.
    const cut = stack.findIndex((l) => /node_modules[\\/]tslab[\\/]|[\\/]dist[\\/]kernel[\\/]|node:vm|sigintHandlersWrap/.test(l));
    return { ename, evalue: message, traceback: cut > 0 ? stack.slice(0, cut) : stack };
  }
  const text = typeof e === "string" ? e : require("node:util").inspect(e);
  return { ename: "Thrown", evalue: text, traceback: [`Uncaught ${text}`] };
}

export class Evaluator {
  private readonly executor: CellExecutor;
  private readonly converter: Converter;
  private readonly isCompleteCode: (src: string) => IsCompleteResult;
  private readonly printQuickInfo: (info: unknown) => string;
  private readonly ts: any;
  private anonymous = 0;

  /** Creating the TypeScript language service takes ~1–2 s; do it once at kernel start. */
  constructor(private readonly rootDir: string = process.cwd()) {
    // Before any tslab module loads: cells are checked by the project's TypeScript (./typescriptForTslab.ts).
    this.ts = useProjectTypeScript();
    const conv = require("tslab/dist/converter.js");
    this.isCompleteCode = conv.isCompleteCode;
    this.printQuickInfo = require("tslab/dist/inspect.js").printQuickInfo;
    this.converter = conv.createConverter({ isJS: false, isBrowser: false }) as Converter;
    this.executor = new CellExecutor(rootDir, this.converter, this.ts);
  }

  /**
   * Pre-load what the first library cell needs: rlvr-lab's declarations into the type checker (a conversion
   * that is thrown away: no declaration, no value, no history) and its modules into Node's cache. Does nothing
   * where the package cannot be resolved from the notebook's folder.
   */
  warmUp(): void {
    let resolved: string;
    try {
      resolved = createRequire(`${this.rootDir}/src.js`).resolve("rlvr-lab");
    } catch {
      return;
    }
    this.converter.convert("", 'import * as __rlvrWarmUp from "rlvr-lab";\nvoid __rlvrWarmUp;\n');
    require(resolved);
  }

  /**
   * Run one cell. `name` is how its frames read in tracebacks (the kernel passes `Cell In[n]`, n the
   * execution count). Never throws: failures come back as `status: "error"`.
   */
  async execute(code: string, name = `Cell In[~${++this.anonymous}]`): Promise<EvalOutcome> {
    const r = await this.executor.execute(this.expandShorthandProperties(code), name);
    const diagLines = r.diagnostics.map((d) => `${d.file ? d.file + " " : ""}${d.line}:${d.character} - ${d.message}`);
    if (r.ok) return { status: "ok", hasValue: r.hasValue, value: r.value, warnings: diagLines };
    if (r.thrown) {
      const err = describeThrown(r.thrown.error);
      return { status: "error", ...err, traceback: cellTraceback(this.ts, err.traceback, this.executor.cells), kept: r.kept };
    }
    if (diagLines.length > 0) return { status: "error", ename: "TSError", evalue: diagLines.join("\n"), traceback: diagLines };
    return { status: "error", ename: "Error", evalue: "cell failed without a message", traceback: [] };
  }

  /**
   * Works around a tslab bug: it rewrites references to earlier cells' variables as `exports.x`, but
   * misses the shorthand property `{ x }` (the identifier there resolves to the property symbol), so
   * `const o = { steps }` throws "steps is not defined". Rewriting `{ x }` to `{ x: x }` (also valid in
   * destructuring assignments, `{ x = 1 }` → `{ x: x = 1 }`) is the same JavaScript and lets tslab wrap
   * the value. Line numbers are unchanged; columns after an expansion on the same line shift.
   */
  expandShorthandProperties(code: string): string {
    const ts = this.ts;
    const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const inserts: { at: number; text: string }[] = [];
    const visit = (node: any): void => {
      if (ts.isShorthandPropertyAssignment(node)) {
        inserts.push({ at: node.name.end, text: `: ${code.slice(node.name.getStart(sf), node.name.end)}` });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    let out = code;
    for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
    return out;
  }

  /** "complete" | "incomplete" (with indent) | "invalid" (a syntax error that more input cannot fix). */
  isComplete(code: string): { status: "complete" | "incomplete" | "invalid"; indent?: string } {
    const r = this.isCompleteCode(code);
    if (!r.completed) return { status: "incomplete", indent: r.indent ?? "" };
    const sf = this.ts.createSourceFile("cell.ts", code, this.ts.ScriptTarget.Latest, undefined, this.ts.ScriptKind.TS);
    const diags = (sf as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? [];
    return diags.length > 0 ? { status: "invalid" } : { status: "complete" };
  }

  complete(code: string, cursor: number): Completion {
    try {
      const info = this.executor.complete(code, cursor);
      return { cursor_start: info.start, cursor_end: info.end, matches: info.candidates };
    } catch {
      return { cursor_start: cursor, cursor_end: cursor, matches: [] };
    }
  }

  /**
   * Quick info (type signature + doc comment) of the symbol at `cursor`, or null. Inside a call's
   * parentheses (`verifyAnswer(|`, `f("1", |`), where no symbol sits under the cursor, it is the callee's,
   * as ipykernel answers.
   */
  inspect(code: string, cursor: number): string | null {
    const at = (pos: number): string | null => {
      try {
        const info = this.executor.inspect(code, pos);
        return info ? this.printQuickInfo(info) : null;
      } catch {
        return null;
      }
    };
    const direct = at(cursor);
    if (direct !== null) return direct;
    const callee = this.enclosingCallee(code, cursor);
    return callee === null ? null : at(callee);
  }

  /** Position of the callee name of the innermost call whose argument list holds `cursor`, or null. */
  enclosingCallee(code: string, cursor: number): number | null {
    const ts = this.ts;
    const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    let found: number | null = null;
    // An unclosed call ends before trailing blanks; the cursor may sit after them.
    const reach = (end: number) => end + (/^[ \t]*/.exec(code.slice(end))![0].length);
    const visit = (node: any): void => {
      if (cursor < node.getFullStart() || cursor > reach(node.end)) return;
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments) {
        const open = node.arguments.pos; // just after "("
        const closed = code[node.end - 1] === ")" ? node.end - 1 : reach(node.end);
        if (cursor >= open && cursor <= closed) {
          let callee = node.expression;
          if (ts.isPropertyAccessExpression(callee)) callee = callee.name;
          found = callee.end - 1;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    return found;
  }

  /** Reject the running async cell (a sync busy loop is stopped by SIGINT via `breakOnSigint`). */
  interrupt(): void {
    this.executor.interrupt();
  }

  close(): void {
    this.executor.close();
  }
}

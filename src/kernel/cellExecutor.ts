/**
 * Runs converted cells: the kernel's own replacement for tslab's `createExecutor` (tslab 1.0.22
 * `dist/executor.js`), built on the same converter. We own this loop for three things tslab's does not do:
 *
 *   tslab executor                                   CellExecutor
 *   every cell is "evalmachine.<anonymous>"          each cell runs as the script `Cell In[n]`, and its
 *                                                    converted JS is kept, so stack frames map back to cell
 *                                                    lines (./cellLines.ts), also for functions of old cells
 *   a failing cell discards all of its declarations  what the cell bound before it failed stays bound and
 *   (values are set, types forgotten, and the names  typed, as in ipykernel; names it had not reached keep
 *   it had not reached are reset to undefined)       their earlier value and type (./partialDecls.ts)
 *   last value printed with console.log              returned as a value for an execute_result
 *
 * Kept from tslab: declarations carried between cells as a `.d.ts` (`prevDecl`), `exports`/`require`
 * passed through `globalThis.__tslab__`, `import "tslab"` resolving to tslab's public API, local `.ts`
 * side modules, `//%module` cells, top-level await, asynchronous interrupt, SIGINT for busy loops.
 */
import vm from "node:vm";
import Module, { createRequire } from "node:module";
import path from "node:path";
import type { Converter } from "tslab/dist/converter.js";
import { mergePartialDecls } from "./partialDecls.js";

const require = createRequire(import.meta.url);

export interface Diagnostic {
  file: string;
  line: number;
  character: number;
  message: string;
}

export type CellResult =
  | { ok: true; hasValue: boolean; value?: unknown; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[]; thrown?: undefined }
  | { ok: false; diagnostics: Diagnostic[]; thrown: { error: unknown }; kept: string[] };

/** A cell that ran: its name in stack traces, its source and the JS that ran (for line mapping). */
export interface RanCell {
  name: string;
  source: string;
  output: string;
}

interface SideOutput {
  path: string;
  data: string;
}

const normalizeJoin = (...parts: string[]) => path.normalize(path.join(...parts)).split(path.sep).join("/");

/** `require` for cells: resolves from rootDir, hooks "tslab" and the converter's local side modules. */
function cellRequire(base: NodeJS.Require, dirname: string, sideOutputs: Map<string, string>, sideModules: Map<string, Module>): NodeJS.Require {
  const fromSide = (id: string): unknown => {
    let filename = normalizeJoin(dirname, id);
    if (path.extname(filename) === "") filename += ".js";
    const cached = sideModules.get(filename);
    if (cached) return cached.exports;
    const code = sideOutputs.get(filename);
    if (code === undefined) return null;
    const mod = new Module(filename) as Module & { _compile(code: string, filename: string): void; paths: string[] };
    mod.filename = filename;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(filename));
    (mod as { require: unknown }).require = cellRequire(mod.require as NodeJS.Require, path.dirname(filename), sideOutputs, sideModules);
    mod._compile(code, filename);
    sideModules.set(filename, mod);
    return mod.exports;
  };
  return new Proxy(base, {
    apply(_target, thisArg, args: unknown[]) {
      if (args.length !== 1 || typeof args[0] !== "string") return Reflect.apply(base, thisArg, args);
      if (args[0] === "tslab") return require("tslab");
      return fromSide(args[0]) ?? Reflect.apply(base, thisArg, args);
    },
  });
}

export class CellExecutor {
  /** Declarations of every name bound so far (a .d.ts the converter type-checks each cell against). */
  private prevDecl = "";
  private readonly exports: Record<string, unknown> = {};
  private readonly sideOutputs = new Map<string, string>();
  private readonly sideModules = new Map<string, Module>();
  private readonly getCodeMetadata: (src: string) => { module?: string; mode?: string };
  private interruptReject: (e: Error) => void = () => {};
  private interruptPromise!: Promise<never>;
  /** Cells by script name, for mapping stack frames (bounded: the last 500). */
  readonly cells = new Map<string, RanCell>();

  constructor(
    rootDir: string,
    private readonly conv: Converter,
    private readonly ts: any,
  ) {
    this.getCodeMetadata = require("tslab/dist/metadata.js").getCodeMetadata;
    const raw = this.exports;
    // TypeScript emits named imports as defineProperty getters; store values so cells can reassign them.
    const proxy = new Proxy(raw, {
      defineProperty(_t, prop, attrs) {
        if (prop === "__esModule") return true;
        (raw as Record<string | symbol, unknown>)[prop] = attrs.get ? attrs.get() : attrs.value;
        return true;
      },
    });
    const req = cellRequire(Module.createRequire(normalizeJoin(rootDir, "src.js")), rootDir, this.sideOutputs, this.sideModules);
    vm.runInThisContext("(x) => { globalThis.__tslab__ = x; }")({ exports: proxy, require: req });
    this.resetInterrupt();
  }

  private resetInterrupt(): void {
    this.interruptPromise = new Promise<never>((_, reject) => (this.interruptReject = reject));
    this.interruptPromise.catch(() => {});
  }

  interrupt(): void {
    this.interruptReject(new Error("Interrupted asynchronously"));
    this.resetInterrupt();
  }

  /** Run one cell as the script `name` (e.g. "Cell In[3]"). Never throws. */
  async execute(src: string, name: string): Promise<CellResult> {
    const meta = this.getCodeMetadata(src);
    if (meta.module) {
      const diags = (this.conv as any).addModule(meta.module, src, meta) as unknown[];
      return { ok: true, hasValue: false, diagnostics: diags.map(toDiag) };
    }
    if (meta.mode === "browser") return { ok: true, hasValue: false, diagnostics: [] };
    const converted = this.conv.convert(this.prevDecl, src) as {
      output?: string;
      declOutput?: string;
      diagnostics: unknown[];
      hasToplevelAwait?: boolean;
      sideOutputs?: SideOutput[];
      lastExpressionVar?: string;
    };
    for (const out of converted.sideOutputs ?? []) {
      this.sideModules.delete(out.path);
      this.sideOutputs.set(out.path, out.data);
    }
    const diagnostics = converted.diagnostics.map(toDiag);
    if (diagnostics.length > 0) return { ok: false, diagnostics };
    if (!converted.output) {
      this.prevDecl = converted.declOutput ?? "";
      return { ok: true, hasValue: false, diagnostics };
    }
    const output = converted.output;
    this.remember({ name, source: src, output });
    // The names this cell declares (its prologue resets them to undefined) and their values before it runs.
    const names = prologueNames(output);
    const before = new Map<string, unknown>();
    for (const n of names) if (Object.prototype.hasOwnProperty.call(this.exports, n)) before.set(n, this.exports[n]);
    // tslab learns of top-level await from TypeScript 5.0's error 1308; TypeScript 5.9 reports none for a
    // module cell, so look at the cell itself.
    const isAsync = Boolean(converted.hasToplevelAwait) || hasTopLevelAwait(this.ts, src);
    const prefix = isAsync ? "(async function(exports, require) { " : "(function(exports, require) { ";
    try {
      const ret = vm.runInThisContext(prefix + output + "\n})(__tslab__.exports, __tslab__.require)", {
        filename: name,
        breakOnSigint: true,
      });
      if (isAsync) await Promise.race([ret, this.interruptPromise]);
    } catch (error) {
      const kept = this.keepPartial(names, converted.declOutput ?? "", before);
      return { ok: false, diagnostics, thrown: { error }, kept };
    }
    this.prevDecl = converted.declOutput ?? "";
    const last = converted.lastExpressionVar;
    if (last && this.exports[last] != null) {
      const value = this.exports[last];
      delete this.exports[last];
      return { ok: true, hasValue: true, value, diagnostics };
    }
    if (last) delete this.exports[last];
    return { ok: true, hasValue: false, diagnostics };
  }

  /**
   * After a runtime failure: names the cell bound (their value is no longer undefined) take the cell's
   * declaration; names it had not reached get their earlier value and declaration back (or are dropped).
   */
  private keepPartial(names: string[], newDecl: string, before: Map<string, unknown>): string[] {
    const bound = new Set<string>();
    for (const n of names) {
      if (this.exports[n] !== undefined) bound.add(n);
      else if (before.has(n)) this.exports[n] = before.get(n);
      else delete this.exports[n];
    }
    this.prevDecl = mergePartialDecls(this.ts, this.prevDecl, newDecl, new Set(names), bound);
    return [...bound].filter((n) => n !== "tsLastExpr");
  }

  private remember(cell: RanCell): void {
    this.cells.set(cell.name, cell);
    if (this.cells.size > 500) this.cells.delete(this.cells.keys().next().value as string);
  }

  complete(src: string, position: number): { start: number; end: number; candidates: string[] } {
    return (this.conv as any).complete(this.prevDecl, src, position);
  }

  inspect(src: string, position: number): unknown {
    return (this.conv as any).inspect(this.prevDecl, src, position);
  }

  close(): void {
    this.conv.close();
  }
}

function toDiag(d: any): Diagnostic {
  return {
    file: d.fileName ?? "",
    line: (d.start?.line ?? 0) + 1,
    character: (d.start?.character ?? 0) + 1,
    message: typeof d.messageText === "string" ? d.messageText : String(d.messageText?.messageText ?? d.messageText),
  };
}

/** Does the cell use `await` (or `for await`) outside any function, class or namespace? */
export function hasTopLevelAwait(ts: any, src: string): boolean {
  const sf = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const K = ts.SyntaxKind;
  const scopes = new Set([K.FunctionDeclaration, K.FunctionExpression, K.ArrowFunction, K.MethodDeclaration, K.Constructor, K.GetAccessor, K.SetAccessor, K.ClassDeclaration, K.ClassExpression, K.ModuleDeclaration]);
  let found = false;
  const visit = (node: any): void => {
    if (found || scopes.has(node.kind)) return;
    if (node.kind === K.AwaitExpression || (node.kind === K.ForOfStatement && node.awaitModifier)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Names a converted cell declares: its prologue `exports.a = exports.b = void 0;` lists them. */
export function prologueNames(output: string): string[] {
  const m = /^exports\.[\w$]+ = (?:exports\.[\w$]+ = )*void 0;$/m.exec(output);
  return m ? [...m[0].matchAll(/exports\.([\w$]+) =/g)].map((x) => x[1]) : [];
}

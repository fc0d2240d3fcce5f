/**
 * papermill-style notebook parameters for TypeScript notebooks.
 *
 * `--param k=v` values are typed like a person would expect: `3` and `-1.5e3` are numbers, `true`/`false`
 * booleans, `null` null, `[...]`/`{...}`/`"..."` JSON, anything else a string. To force a string that
 * looks like a number, pass it as JSON: `--param id='"007"'`.
 * The values are injected as a new code cell tagged `injected-parameters` right after the cell tagged
 * `parameters` (or first, when there is none), declaring `let k = <JSON>;` so later cells see them and
 * TypeScript infers their types.
 */
import { randomBytes } from "node:crypto";

export type ParamValue = string | number | boolean | null | unknown[] | Record<string, unknown>;

const IDENT = /^[A-Za-z_$][\w$]*$/;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Type one raw value: number, boolean, null, JSON array/object, or string. */
export function parseParamValue(raw: string): ParamValue {
  const s = raw.trim();
  if (NUMBER.test(s)) return Number(s);
  if (s === "true") return true;
  if (s === "false") return false;
  if (s === "null") return null;
  if (/^[[{"]/.test(s)) {
    try {
      return JSON.parse(s) as ParamValue;
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return raw;
}

/** Parse `k=v` strings; throws with a message saying how to fix a bad one. */
export function parseParams(pairs: string[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`--param "${pair}" must look like name=value`);
    const name = pair.slice(0, eq).trim();
    if (!IDENT.test(name)) throw new Error(`--param name "${name}" is not a valid TypeScript identifier`);
    out[name] = parseParamValue(pair.slice(eq + 1));
  }
  return out;
}

export interface NotebookCell {
  id?: string;
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: Record<string, any>;
  outputs?: unknown[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, any>;
  cells: NotebookCell[];
}

export function cellId(): string {
  return randomBytes(4).toString("hex");
}

export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** Source lines as nbformat stores them (each line keeps its "\n" except the last). */
export function toSourceLines(text: string): string[] {
  const lines = text.split("\n");
  return lines.map((l, i) => (i < lines.length - 1 ? l + "\n" : l)).filter((l, i, a) => l !== "" || i < a.length - 1);
}

/** Returns a copy of the notebook with the injected parameters cell (the input is not modified). */
export function injectParameters(nb: Notebook, params: Record<string, ParamValue>): Notebook {
  const names = Object.keys(params);
  if (names.length === 0) return nb;
  const code = ["// Parameters injected by `rlvr notebook run --param`", ...names.map((k) => `let ${k} = ${JSON.stringify(params[k])};`)].join("\n");
  const injected: NotebookCell = {
    id: cellId(),
    cell_type: "code",
    source: toSourceLines(code),
    metadata: { tags: ["injected-parameters"] },
    outputs: [],
    execution_count: null,
  };
  const cells = nb.cells.filter((c) => !(c.metadata?.tags ?? []).includes("injected-parameters"));
  const at = cells.findIndex((c) => c.cell_type === "code" && (c.metadata?.tags ?? []).includes("parameters"));
  cells.splice(at + 1, 0, injected);
  return { ...nb, cells };
}

const DECLARATION = /(?:^|[;{}\n])\s*(?:export\s+)?(?:let|const|var)\s+([^;=\n]+?)\s*(?:=|;|$)/gm;

/**
 * Names declared by `let` / `const` / `var` in the cell tagged `parameters` (comma-separated declarations
 * included), or null when the notebook has no such cell.
 */
export function declaredParameters(nb: Notebook): string[] | null {
  const cell = nb.cells.find((c) => c.cell_type === "code" && (c.metadata?.tags ?? []).includes("parameters"));
  if (!cell) return null;
  // Drop comments and string contents so `// let x` or "let y" do not count.
  const code = cellSource(cell)
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/[^\n]*/g, "")
    .replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""');
  const names = new Set<string>();
  for (const m of code.matchAll(DECLARATION)) {
    const first = m[1]!.split(":")[0]!.trim();
    if (IDENT.test(first)) names.add(first);
  }
  // Further declarators of one statement: `let a = 1, b = 2;`
  for (const m of code.matchAll(/,\s*([A-Za-z_$][\w$]*)\s*(?::[^=,;]+)?=/g)) names.add(m[1]!);
  return [...names];
}

/**
 * A `--param` the parameters cell does not declare would be injected as a new variable no cell reads (a
 * typo like `--param nGenrated=400` silently changes nothing): refuse it, naming the parameters that exist.
 */
export function checkParameters(nb: Notebook, params: Record<string, ParamValue>, path = "the notebook"): void {
  const names = Object.keys(params);
  if (names.length === 0) return;
  const declared = declaredParameters(nb);
  if (declared === null)
    throw new Error(`--param ${names.join(", ")}: ${path} has no code cell tagged "parameters", so nothing reads them (tag the cell that declares its parameters, or drop --param)`);
  const unknown = names.filter((n) => !declared.includes(n));
  if (unknown.length > 0)
    throw new Error(
      `--param ${unknown.join(", ")}: not declared in the "parameters" cell of ${path}; its parameters are ${declared.length ? declared.join(", ") : "(none)"}`,
    );
}

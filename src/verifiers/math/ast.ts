/**
 * The AST produced by parseLatex (parse.ts) and consumed by evaluate.ts and compare.ts.
 *
 * Scalars: `num` (a decimal literal kept as text so it can be read exactly), `sym` (a free variable; the name `i`
 * is read as the imaginary unit by compare.ts, which then evaluates with complex.ts), `const`
 * (π, e, ∞), `neg`, `bin`, `fn` (sqrt, root, trig, log, abs, fact, binom, floor, ceil), `pm` (a ± b), `pct`.
 * Structures: `tuple` (brackets kept, so `[0,1)` is an interval and `(1,2)` an ordered pair), `set` (`\{..\}`),
 * `list` (bare commas: an unordered answer list), `matrix`, `rel` (a chain a op b op c), `union`, `text`.
 */
export type Node =
  | { k: "num"; text: string; sig?: number }
  | { k: "sym"; name: string }
  | { k: "const"; name: "pi" | "e" | "inf" }
  | { k: "neg"; a: Node }
  | { k: "bin"; op: "+" | "-" | "*" | "/" | "^"; a: Node; b: Node }
  | { k: "fn"; name: string; args: Node[] }
  | { k: "pm"; a: Node | null; b: Node }
  | { k: "pct"; a: Node }
  | { k: "tuple"; open: string; close: string; items: Node[] }
  | { k: "set"; items: Node[] }
  | { k: "list"; items: Node[] }
  | { k: "matrix"; rows: Node[][] }
  | { k: "rel"; ops: string[]; parts: Node[] }
  | { k: "union"; items: Node[] }
  | { k: "text"; text: string };

/** Kinds that denote one number (possibly with free variables). */
export function isScalar(n: Node): boolean {
  return n.k === "num" || n.k === "sym" || n.k === "const" || n.k === "neg" || n.k === "bin" || n.k === "fn" || n.k === "pct";
}

/** Free symbols of a node, in first-seen order. */
export function freeSymbols(n: Node, out: Set<string> = new Set()): Set<string> {
  switch (n.k) {
    case "sym":
      out.add(n.name);
      break;
    case "neg":
    case "pct":
      freeSymbols(n.a, out);
      break;
    case "bin":
      freeSymbols(n.a, out);
      freeSymbols(n.b, out);
      break;
    case "pm":
      if (n.a) freeSymbols(n.a, out);
      freeSymbols(n.b, out);
      break;
    case "fn":
    case "tuple":
    case "set":
    case "list":
    case "union":
      for (const c of n.k === "fn" ? n.args : n.items) freeSymbols(c, out);
      break;
    case "rel":
      for (const c of n.parts) freeSymbols(c, out);
      break;
    case "matrix":
      for (const row of n.rows) for (const c of row) freeSymbols(c, out);
      break;
  }
  return out;
}

/** True when a decimal point appears in a literal: the answer is approximate, so compare with tolerance. */
export function hasDecimal(n: Node): boolean {
  switch (n.k) {
    case "num":
      return n.text.includes(".") || n.sig !== undefined;
    case "neg":
    case "pct":
      return hasDecimal(n.a);
    case "bin":
      return hasDecimal(n.a) || hasDecimal(n.b);
    case "fn":
      return n.args.some(hasDecimal);
    default:
      return false;
  }
}

/** Significant digits the gold states: the most among its decimal/E-notation literals (0 when it has none). */
export function statedDigits(n: Node): number {
  switch (n.k) {
    case "num":
      if (n.sig !== undefined) return n.sig;
      return n.text.includes(".") ? Math.max(1, n.text.replace(".", "").replace(/^-?0+/, "").length) : 0;
    case "neg":
    case "pct":
      return statedDigits(n.a);
    case "bin":
      return Math.max(statedDigits(n.a), statedDigits(n.b));
    case "fn":
      return Math.max(0, ...n.args.map(statedDigits));
    default:
      return 0;
  }
}

/** Functions that are piecewise (a random-point test cannot see all their pieces). */
export const PIECEWISE = new Set(["floor", "ceil", "abs", "mod", "sign", "frac"]);

/** Canonical text of every piecewise sub-term (`floor(x)`, `abs(x-1)`), sorted: equal lists mean the same pieces. */
export function piecewiseTerms(n: Node, out: string[] = []): string[] {
  if (n.k === "fn" && PIECEWISE.has(n.name)) out.push(JSON.stringify(n));
  switch (n.k) {
    case "neg": case "pct": piecewiseTerms(n.a, out); break;
    case "bin": piecewiseTerms(n.a, out); piecewiseTerms(n.b, out); break;
    case "pm": if (n.a) piecewiseTerms(n.a, out); piecewiseTerms(n.b, out); break;
    case "fn": for (const a of n.args) piecewiseTerms(a, out); break;
    case "tuple": case "set": case "list": case "union": for (const a of n.items) piecewiseTerms(a, out); break;
    case "rel": for (const a of n.parts) piecewiseTerms(a, out); break;
    case "matrix": for (const r of n.rows) for (const a of r) piecewiseTerms(a, out); break;
  }
  return out.sort();
}

/** The node with every symbol `from` renamed `to` (the arbitrary constant `C` of a prediction read as the gold's `c`). */
export function renameSymbol(n: Node, from: string, to: string): Node {
  const r = (x: Node): Node => renameSymbol(x, from, to);
  switch (n.k) {
    case "sym": return n.name === from ? { k: "sym", name: to } : n;
    case "neg": return { k: "neg", a: r(n.a) };
    case "pct": return { k: "pct", a: r(n.a) };
    case "bin": return { ...n, a: r(n.a), b: r(n.b) };
    case "pm": return { k: "pm", a: n.a && r(n.a), b: r(n.b) };
    case "fn": return { ...n, args: n.args.map(r) };
    case "tuple": return { ...n, items: n.items.map(r) };
    case "set": return { k: "set", items: n.items.map(r) };
    case "list": return { k: "list", items: n.items.map(r) };
    case "union": return { k: "union", items: n.items.map(r) };
    case "rel": return { ...n, parts: n.parts.map(r) };
    case "matrix": return { k: "matrix", rows: n.rows.map((row) => row.map(r)) };
    default: return n;
  }
}

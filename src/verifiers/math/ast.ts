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
  | { k: "num"; text: string }
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
      return n.text.includes(".");
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

/**
 * parseLatex: a small recursive-descent parser from (cleaned) LaTeX answers to the AST in ast.ts.
 *
 * Grammar, lowest precedence first:
 *   top   := rel (',' rel)*                         — several items: `list` (bare commas)
 *   rel   := union (relop union)*                   — `=`, `<`, `>`, `\le`, `\ge`, `\ne`, `\in`, `\approx`
 *   union := add ('\cup' add)*
 *   add   := mul (('+' | '-' | '\pm' | '\mp') mul)*
 *   mul   := unary (('*' | '\cdot' | '\times' | '/' | '\div') unary | implicit-factor)*
 *   unary := ('-' | '+' | '\pm') unary | pow
 *   pow   := postfix ('^' script)?                  — `x^23` is x²·3 as in TeX: one character unbraced
 *   postfix := primary ('!' | '_' script)*          — and a trailing '%' applies to the whole product
 * Mixed numbers `2\frac{1}{2}` (an integer immediately followed by a numeric `\frac`) are 2 + 1/2.
 * Bounded: at most MAX_NODES nodes and MAX_DEPTH nesting, else ParseError (callers treat it as unparsed).
 */
import type { Node } from "./ast.js";
import { ParseError, tokenize, type Tok } from "./tokenize.js";

export { ParseError, tokenize };

const MAX_NODES = 4000;
const MAX_DEPTH = 120;
const GREEK = new Set(("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi " +
  "rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma Phi Psi Omega").split(" "));
const FUNCS = new Set("sin cos tan sec csc cot arcsin arccos arctan sinh cosh tanh ln log exp".split(" "));
const RELOPS: Record<string, string> = {
  "=": "=", "<": "<", ">": ">", le: "<=", leq: "<=", leqslant: "<=", ge: ">=", geq: ">=", geqslant: ">=",
  ne: "!=", neq: "!=", in: "in", approx: "=", equiv: "=",
};



class Parser {
  private i = 0;
  private nodes = 0;
  private depth = 0;
  private absDepth = 0;
  constructor(private toks: Tok[]) {}

  private peek(): Tok | undefined { return this.toks[this.i]; }
  private isCh(v: string): boolean { const t = this.toks[this.i]; return t !== undefined && t.t === "ch" && t.v === v; }
  private isCmd(...v: string[]): boolean { const t = this.toks[this.i]; return t !== undefined && t.t === "cmd" && v.includes(t.v); }
  private expectCh(v: string): void {
    if (!this.isCh(v)) throw new ParseError(`expected '${v}' at token ${this.i}`);
    this.i++;
  }
  private mk<T extends Node>(n: T): T {
    if (++this.nodes > MAX_NODES) throw new ParseError("expression too large");
    return n;
  }
  private enter(): void { if (++this.depth > MAX_DEPTH) throw new ParseError("expression nested too deeply"); }

  parseAll(): Node {
    const n = this.top();
    if (this.i < this.toks.length) throw new ParseError(`unexpected token '${this.toks[this.i].v}' at ${this.i}`);
    return n;
  }

  /** rel (',' rel)* ; `x = 1, 2` becomes `x = list(1, 2)`. */
  private top(): Node {
    const items = [this.rel()];
    while (this.isCh(",")) {
      this.i++;
      items.push(this.rel());
    }
    if (items.length === 1) return items[0];
    const first = items[0];
    if (first.k === "rel" && first.parts.length === 2 && first.ops[0] === "=" && items.slice(1).every((x) => x.k !== "rel")) {
      return this.mk({ k: "rel", ops: ["="], parts: [first.parts[0], this.mk({ k: "list", items: [first.parts[1], ...items.slice(1)] })] });
    }
    return this.mk({ k: "list", items });
  }

  private relop(): string | null {
    const t = this.peek();
    if (!t) return null;
    if (t.t === "ch" && (t.v === "=" || t.v === "<" || t.v === ">")) {
      const n = this.toks[this.i + 1];
      if (n?.t === "ch" && n.v === "=" && t.v !== "=") { this.i++; return t.v + "="; }
      return t.v;
    }
    if (t.t === "cmd" && RELOPS[t.v]) return RELOPS[t.v];
    return null;
  }

  private rel(): Node {
    const parts = [this.union()];
    const ops: string[] = [];
    for (let op = this.relop(); op !== null; op = this.relop()) {
      this.i++;
      ops.push(op);
      parts.push(this.union());
    }
    return ops.length ? this.mk({ k: "rel", ops, parts }) : parts[0];
  }

  private union(): Node {
    const items = [this.add()];
    while (this.isCmd("cup")) { this.i++; items.push(this.add()); }
    return items.length > 1 ? this.mk({ k: "union", items }) : items[0];
  }

  private add(): Node {
    let a = this.mul();
    for (;;) {
      if (this.isCh("+")) { this.i++; a = this.mk({ k: "bin", op: "+", a, b: this.mul() }); }
      else if (this.isCh("-")) { this.i++; a = this.mk({ k: "bin", op: "-", a, b: this.mul() }); }
      else if (this.isCmd("pm", "mp")) { this.i++; a = this.mk({ k: "pm", a, b: this.mul() }); }
      else return a;
    }
  }

  private startsFactor(): boolean {
    const t = this.peek();
    if (!t) return false;
    if (t.t === "num" || t.t === "id" || t.t === "text" || t.t === "begin") return true;
    if (t.t === "ch") return t.v === "(" || t.v === "{" || t.v === "\\{" || (t.v === "|" && this.absDepth === 0);
    if (t.t === "cmd") return !["cdot", "times", "div", "pm", "mp", "cup", "cap", "right", "rfloor", "rceil"].includes(t.v) && !RELOPS[t.v];
    return false;
  }

  private mul(): Node {
    let a = this.unary();
    for (;;) {
      if (this.isCh("*") || this.isCmd("cdot", "times", "ast")) { this.i++; a = this.mk({ k: "bin", op: "*", a, b: this.unary() }); }
      else if (this.isCh("/") || this.isCmd("div")) { this.i++; a = this.mk({ k: "bin", op: "/", a, b: this.unary() }); }
      else if (this.startsFactor()) {
        // `1 8` (digits split by hidden text or spacing) is not 1·8: refuse rather than multiply.
        if (a.k === "num" && this.peek()?.t === "num") throw new ParseError("two numbers side by side");
        const b = this.pow();
        const mixed = a.k === "num" && /^\d+$/.test(a.text) && b.k === "bin" && b.op === "/" && (b as { mixed?: boolean }).mixed;
        a = this.mk({ k: "bin", op: mixed ? "+" : "*", a, b });
      } else if (this.isCh("%")) {
        this.i++; // percent applies to the whole product: `33\frac{1}{3}\%` is (33 + 1/3)%
        a = this.mk({ k: "pct", a });
      } else return a;
    }
  }

  private unary(): Node {
    if (this.isCh("-")) { this.i++; return this.mk({ k: "neg", a: this.unary() }); }
    if (this.isCh("+")) { this.i++; return this.unary(); }
    if (this.isCmd("pm", "mp")) { this.i++; return this.mk({ k: "pm", a: null, b: this.unary() }); }
    return this.pow();
  }

  private pow(): Node {
    this.enter();
    let base = this.postfix(this.primary());
    if (this.isCh("^")) {
      this.i++;
      const e = this.unaryScript();
      base = this.postfix(this.mk({ k: "bin", op: "^", a: base, b: e }));
    }
    this.depth--;
    return base;
  }

  /** A superscript/subscript/\frac argument: `{...}`, or one character/command (`x^23` = x^2·3). */
  private script(): Node {
    const t = this.peek();
    if (!t) throw new ParseError("missing argument");
    if (t.t === "ch" && t.v === "{") {
      this.i++;
      const inner = this.top();
      this.expectCh("}");
      return inner;
    }
    if (t.t === "num" && t.v.length > 1) {
      this.toks[this.i] = { t: "num", v: t.v.slice(1) };
      return this.mk({ k: "num", text: t.v[0] });
    }
    return this.primary();
  }

  private unaryScript(): Node {
    if (this.isCh("-")) { this.i++; return this.mk({ k: "neg", a: this.script() }); }
    return this.script();
  }

  private postfix(a: Node): Node {
    for (;;) {
      if (this.isCh("!")) { this.i++; a = this.mk({ k: "fn", name: "fact", args: [a] }); }
      else if (this.isCh("'")) { this.i++; if (a.k === "sym") a = this.mk({ k: "sym", name: a.name + "'" }); }
      else if (this.isCh("_")) {
        this.i++;
        const sub = this.script();
        const label = sub.k === "num" ? sub.text : sub.k === "sym" ? sub.name : "?";
        if (a.k === "num") a = this.mk({ k: "sym", name: `${a.text}_${label}` }); // base-b numeral, e.g. 1011_2
        else if (a.k === "sym") a = this.mk({ k: "sym", name: `${a.name}_${label}` });
        else throw new ParseError("subscript on an expression");
      } else return a;
    }
  }

  private primary(): Node {
    const t = this.peek();
    if (!t) throw new ParseError("unexpected end of answer");
    this.i++;
    switch (t.t) {
      case "num":
        return this.mk(t.sig === undefined ? { k: "num", text: t.v } : { k: "num", text: t.v, sig: t.sig });
      case "id":
        if (t.v === "e") return this.mk({ k: "const", name: "e" });
        return this.mk({ k: "sym", name: t.v });
      case "text":
        return this.mk({ k: "text", text: t.v });
      case "begin":
        return this.matrix(t.v);
      case "end":
        throw new ParseError(`unexpected \\end{${t.v}}`);
      case "ch":
        return this.bracket(t.v);
      case "cmd":
        return this.command(t.v);
    }
  }

  private bracket(c: string): Node {
    if (c === "(" || c === "[") {
      const inner = this.top();
      const close = this.peek();
      if (!close || close.t !== "ch" || (close.v !== ")" && close.v !== "]")) throw new ParseError(`unclosed '${c}'`);
      this.i++;
      const items = inner.k === "list" ? inner.items : [inner];
      if (items.length === 1 && inner.k !== "list") return inner;
      return this.mk({ k: "tuple", open: c, close: close.v, items });
    }
    if (c === "{") {
      const inner = this.top();
      this.expectCh("}");
      return inner;
    }
    if (c === "\\{") {
      if (this.isCh("\\}")) { this.i++; return this.mk({ k: "set", items: [] }); }
      const inner = this.top();
      this.expectCh("\\}");
      return this.mk({ k: "set", items: inner.k === "list" ? inner.items : [inner] });
    }
    if (c === "|") {
      this.absDepth++;
      const inner = this.add();
      this.absDepth--;
      this.expectCh("|");
      return this.mk({ k: "fn", name: "abs", args: [inner] });
    }
    throw new ParseError(`unexpected '${c}'`);
  }

  private matrix(env: string): Node {
    if (!/^(?:[pbvBV]?matrix|array|smallmatrix)$/.test(env)) throw new ParseError(`unsupported environment ${env}`);
    if (env === "array" && this.isCh("{")) { while (this.i < this.toks.length && !this.isCh("}")) this.i++; this.i++; }
    const rows: Node[][] = [[]];
    for (;;) {
      const t = this.peek();
      if (!t) throw new ParseError(`unclosed ${env}`);
      if (t.t === "end") { this.i++; break; }
      if (t.t === "ch" && t.v === "\\\\") { this.i++; if (this.peek()?.t !== "end") rows.push([]); continue; }
      if (t.t === "ch" && t.v === "&") { this.i++; continue; }
      rows[rows.length - 1].push(this.add());
    }
    const m = this.mk({ k: "matrix" as const, rows });
    return env === "vmatrix" ? this.mk({ k: "fn", name: "det", args: [m] }) : m;
  }

  private command(name: string): Node {
    if (name === "frac" || name === "binom") {
      const a = this.script();
      const b = this.script();
      if (name === "binom") return this.mk({ k: "fn", name: "binom", args: [a, b] });
      const node = this.mk({ k: "bin", op: "/", a, b }) as Node & { mixed?: boolean };
      if (a.k === "num" && b.k === "num") node.mixed = true;
      return node;
    }
    if (name === "sqrt") {
      if (this.isCh("[")) {
        this.i++;
        const n = this.add();
        this.expectCh("]");
        return this.mk({ k: "fn", name: "root", args: [this.script(), n] });
      }
      return this.mk({ k: "fn", name: "sqrt", args: [this.script()] });
    }
    if (name === "pi") return this.mk({ k: "const", name: "pi" });
    if (name === "infty" || name === "infin") return this.mk({ k: "const", name: "inf" });
    if (name === "emptyset" || name === "varnothing") return this.mk({ k: "set", items: [] });
    if (name === "mathbb") {
      const arg = this.script();
      if (arg.k === "sym" && arg.name === "R") {
        const inf = this.mk({ k: "const" as const, name: "inf" as const });
        return this.mk({ k: "tuple", open: "(", close: ")", items: [this.mk({ k: "neg", a: inf }), inf] });
      }
      throw new ParseError("unsupported \\mathbb");
    }
    if (name === "overline" || name === "mathbf" || name === "boldsymbol" || name === "boxed" || name === "hat" || name === "vec") return this.script();
    if (name === "lfloor" || name === "lceil") {
      const inner = this.add();
      if (!this.isCmd(name === "lfloor" ? "rfloor" : "rceil")) throw new ParseError(`unclosed \\${name}`);
      this.i++;
      return this.mk({ k: "fn", name: name === "lfloor" ? "floor" : "ceil", args: [inner] });
    }
    if (GREEK.has(name)) return this.mk({ k: "sym", name: "\\" + name });
    if (FUNCS.has(name)) {
      let base: Node | null = null;
      let power: Node | null = null;
      if (name === "log" && this.isCh("_")) { this.i++; base = this.script(); }
      if (this.isCh("^")) { this.i++; power = this.unaryScript(); }
      const arg = this.isCh("(") ? this.pow() : this.implicitChain();
      let f: Node = this.mk({ k: "fn", name, args: base ? [arg, base] : [arg] });
      if (power) f = this.mk({ k: "bin", op: "^", a: f, b: power });
      return f;
    }
    throw new ParseError(`unsupported command \\${name}`);
  }

  /** Argument of `\sin 2x`: a run of implicitly multiplied factors. */
  private implicitChain(): Node {
    let a = this.pow();
    while (this.startsFactor() && !this.isCmd(...FUNCS)) a = this.mk({ k: "bin", op: "*", a, b: this.pow() });
    return a;
  }
}

/** Parses a cleaned LaTeX answer; throws ParseError on anything outside the grammar or over the size caps. */
export function parseLatex(src: string): Node {
  return new Parser(tokenize(src)).parseAll();
}

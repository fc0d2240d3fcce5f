/**
 * A tiny, safe arithmetic evaluator for the synthetic generator: finds an expression such as
 * `12 + 7 * (3 - 1)` inside a question and evaluates it with a recursive-descent parser (never `eval`),
 * recording each binary operation as a chain-of-thought step (`7 * 2 = 14`, `12 + 14 = 26`).
 *
 * Grammar: expr := term (("+" | "-") term)* ; term := factor (("*" | "/" | "×" | "÷") factor)* ;
 * factor := number | "(" expr ")" | "-" factor.
 */

export interface Evaluation {
  /** The expression as found in the question. */
  expression: string;
  value: number;
  /** One line per binary operation, innermost first. */
  steps: string[];
}

/** Format a number the way a GSM8K answer would be written (integers plain, others to ≤ 4 decimals). */
export function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toFixed(4)));
}

class Parser {
  private i = 0;
  readonly steps: string[] = [];
  constructor(private readonly s: string) {}

  parse(): number {
    const v = this.expr();
    this.ws();
    if (this.i !== this.s.length) throw new Error(`unexpected "${this.s[this.i]}" at ${this.i}`);
    return v;
  }
  private ws(): void {
    while (this.i < this.s.length && this.s[this.i] === " ") this.i++;
  }
  private peek(): string {
    this.ws();
    return this.s[this.i] ?? "";
  }
  private op(a: number, o: string, b: number): number {
    let r: number;
    if (o === "+") r = a + b;
    else if (o === "-") r = a - b;
    else if (o === "*" || o === "×") r = a * b;
    else {
      if (b === 0) throw new Error("division by zero");
      r = a / b;
    }
    const sym = o === "×" ? "*" : o === "÷" ? "/" : o;
    this.steps.push(`${formatNumber(a)} ${sym} ${formatNumber(b)} = ${formatNumber(r)}`);
    return r;
  }
  private expr(): number {
    let v = this.term();
    for (let c = this.peek(); c === "+" || c === "-"; c = this.peek()) {
      this.i++;
      v = this.op(v, c, this.term());
    }
    return v;
  }
  private term(): number {
    let v = this.factor();
    for (let c = this.peek(); c === "*" || c === "/" || c === "×" || c === "÷"; c = this.peek()) {
      this.i++;
      v = this.op(v, c, this.factor());
    }
    return v;
  }
  private factor(): number {
    const c = this.peek();
    if (c === "(") {
      this.i++;
      const v = this.expr();
      if (this.peek() !== ")") throw new Error("missing )");
      this.i++;
      return v;
    }
    if (c === "-") {
      this.i++;
      return -this.factor();
    }
    const m = /^\d+(?:\.\d+)?/.exec(this.s.slice(this.i));
    if (!m) throw new Error(`expected a number at ${this.i}`);
    this.i += m[0].length;
    return Number(m[0]);
  }
}

/** Evaluate an arithmetic expression string; throws on anything that is not one. */
export function evaluateExpression(expression: string): Evaluation {
  const p = new Parser(expression.trim());
  const value = p.parse();
  if (!Number.isFinite(value)) throw new Error("result is not finite");
  return { expression: expression.trim(), value, steps: p.steps };
}

/**
 * Find the longest arithmetic expression (digits, spaces, + - * / × ÷ and parentheses, at least one
 * operator) in free text and evaluate it; null when there is none or it does not parse.
 */
export function findExpression(text: string): Evaluation | null {
  const runs = text.match(/[-(\d][\d\s.+\-*/×÷()]*[\d)]/g) ?? [];
  const candidates = runs
    .map((r) => r.replace(/\s+/g, " ").trim())
    .filter((r) => /\d\s*[-+*/×÷]\s*[-(\d]/.test(r))
    .sort((a, b) => b.length - a.length);
  for (const c of candidates) {
    try {
      return evaluateExpression(c);
    } catch {
      // not an expression after all (e.g. a date "2024-05-01"); try the next candidate
    }
  }
  return null;
}

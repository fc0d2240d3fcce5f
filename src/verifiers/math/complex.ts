/**
 * evalComplex: floating-point value of a scalar node over the complex numbers, with `i` the imaginary unit.
 *
 * Used when an answer contains `i` (sympy and Math-Verify read `i` as √−1 too): `(1+i)^2` = `2i`,
 * `\frac{1}{i}` = `-i`. Principal branches: z^w = exp(w·log z), √z = z^(1/2). Functions other than
 * √, |·|, exp, ln and the arithmetic operators are evaluated only on real arguments (else NaN).
 */
import type { Node } from "./ast.js";
import { evalFloat } from "./evaluate.js";

export type C = [re: number, im: number];

const NAN: C = [NaN, NaN];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
function div(a: C, b: C): C {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
}
const log = (z: C): C => [Math.log(Math.hypot(z[0], z[1])), Math.atan2(z[1], z[0])];
const exp = (z: C): C => {
  const m = Math.exp(z[0]);
  return [m * Math.cos(z[1]), m * Math.sin(z[1])];
};

function pow(a: C, b: C): C {
  if (b[1] === 0 && Number.isInteger(b[0]) && Math.abs(b[0]) <= 64) {
    let r: C = [1, 0];
    for (let k = 0; k < Math.abs(b[0]); k++) r = mul(r, a);
    return b[0] < 0 ? div([1, 0], r) : r;
  }
  if (a[0] === 0 && a[1] === 0) return b[0] > 0 ? [0, 0] : NAN;
  if (a[1] === 0 && b[1] === 0 && a[0] > 0) return [Math.pow(a[0], b[0]), 0];
  return exp(mul(b, log(a)));
}

/** Complex value of a scalar node; `i` is √−1, other symbols come from `env` (real values). */
export function evalComplex(n: Node, env?: ReadonlyMap<string, number>): C {
  switch (n.k) {
    case "sym":
      if (n.name === "i") return [0, 1];
      return [env?.get(n.name) ?? NaN, 0];
    case "neg": {
      const a = evalComplex(n.a, env);
      return [-a[0], -a[1]];
    }
    case "pct": {
      const a = evalComplex(n.a, env);
      return [a[0] / 100, a[1] / 100];
    }
    case "bin": {
      const a = evalComplex(n.a, env);
      const b = evalComplex(n.b, env);
      switch (n.op) {
        case "+": return [a[0] + b[0], a[1] + b[1]];
        case "-": return [a[0] - b[0], a[1] - b[1]];
        case "*": return mul(a, b);
        case "/": return div(a, b);
        case "^": return pow(a, b);
      }
      return NAN;
    }
    case "fn": {
      const args = n.args.map((x) => evalComplex(x, env));
      const a = args[0];
      if (n.name === "sqrt" && a[1] !== 0) return pow(a, [0.5, 0]);
      if (n.name === "sqrt" && a[0] < 0) return [0, Math.sqrt(-a[0])];
      if (n.name === "abs") return [Math.hypot(a[0], a[1]), 0];
      if (n.name === "exp") return exp(a);
      if (n.name === "ln" && (a[1] !== 0 || a[0] < 0)) return log(a);
      if (args.some((z) => z[1] !== 0)) return NAN;
      return [evalFloat({ ...n, args: args.map((z) => ({ k: "num", text: String(z[0]) }) as Node) }), 0];
    }
    default:
      return [evalFloat(n, env), 0];
  }
}

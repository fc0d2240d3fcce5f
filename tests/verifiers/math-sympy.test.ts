/**
 * Cross-check against sympy (optional: skips cleanly without /usr/bin/python3 + sympy). A seeded Python script
 * builds random expression pairs — an expression and an equivalent rewrite (expand/factor/together/apart/
 * radsimp) or a perturbed one — renders both with `sympy.latex`, and labels each pair with
 * `sympy.simplify(a - b) == 0`. verifyMath must agree with sympy on every pair.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { verifyMath } from "../../src/verifiers/math/index.js";

const SCRIPT = String.raw`
import json, random, sympy as sp
random.seed(20240611)
x, y = sp.symbols("x y")
def poly(vars_, deg):
    terms = 0
    for _ in range(random.randint(2, 4)):
        m = random.randint(-6, 6) or 1
        for v in vars_:
            m *= v ** random.randint(0, deg)
        terms += m
    return terms
out = []
for k in range(120):
    kind = k % 8
    if kind == 0:
        a = sp.expand(poly([x], 3) * poly([x], 1)); b = sp.factor(a)
    elif kind == 1:
        a = sp.expand(poly([x, y], 2) * (x + random.randint(1, 5))); b = sp.factor(a)
    elif kind == 2:
        a = poly([x], 2) / (x + random.randint(1, 9)); b = sp.apart(a, x)
    elif kind == 3:
        n = random.randint(2, 400); a = sp.sqrt(n); b = sp.Pow(n, sp.Rational(1, 2), evaluate=False)
    elif kind == 4:
        p, q = random.randint(-50, 50), random.randint(1, 60); a = sp.Rational(p, q); b = sp.Float(p / q, 15) if q in (1, 2, 4, 5, 8, 10, 20, 25, 40, 50) else sp.Rational(2 * p, 2 * q)
    elif kind == 5:
        n = random.randint(2, 30); a = 1 / (sp.sqrt(n) + 1); b = sp.radsimp(a)
    elif kind == 6:
        a = sp.expand((x + random.randint(-4, 4)) ** random.randint(2, 4)); b = sp.factor(a)
    else:
        a = sp.sin(x) ** 2 + sp.cos(x) ** 2 + random.randint(0, 3); b = sp.Integer(1 + random.randint(0, 3))
    if k % 3 == 0:
        b = b + random.choice([1, -1, x, sp.Rational(1, 2)])
    label = sp.simplify(a - b) == 0
    out.append([sp.latex(a), sp.latex(b), bool(label)])
print(json.dumps(out))
`;

const py = spawnSync("/usr/bin/python3", ["-c", SCRIPT], { encoding: "utf8", timeout: 60_000 });
const pairs: [string, string, boolean][] = py.status === 0 ? JSON.parse(py.stdout) : [];
const skip = py.status === 0 ? false : "python3 with sympy not available";

test("verifyMath agrees with sympy.simplify on seeded random expression pairs", { skip }, (t) => {
  const disagreements = pairs
    .map(([a, b, label]) => ({ a, b, label, v: verifyMath(a, `Simplifying, we get $\\boxed{${b}}$.`) }))
    .filter((r) => (r.v.status === "correct") !== r.label)
    .map((r) => `${r.a} vs ${r.b}: sympy ${r.label}, ours ${r.v.status} (${r.v.rule})`);
  const equal = pairs.filter((p) => p[2]).length;
  t.diagnostic(`${pairs.length - disagreements.length}/${pairs.length} agree (${equal} equivalent, ${pairs.length - equal} not)`);
  assert.ok(pairs.length >= 100);
  assert.deepEqual(disagreements, []);
});

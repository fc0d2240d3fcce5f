import sys; sys.path.insert(0, "scripts")
from nbsrc import make
make("notebooks/02-passk-sweep.ipynb", [
("md", r"""# A pass@k sweep, end to end

pass@k — "at least one of k samples is correct" — is the metric that says how much a policy *could* solve if you
sampled it k times, and RLVR papers argue about it (does RL raise pass@1 at the cost of pass@k?). Getting the
number right takes three things this notebook shows on a real sweep:

1. **every (problem, sample) recorded exactly once**, truncated and failed requests included (never silently
   dropped or silently "wrong");
2. the **unbiased estimator** `1 − C(n−c, k)/C(n, k)` computed from all n samples — not "any correct in the first
   k", which is unbiased but noisier, and not the plug-in `1 − (1 − c/n)^k`, which is biased low;
3. a **95% CI** over problems (bootstrap), per stratum when problems differ in difficulty.

We start the project's own OpenAI-compatible server in this notebook, sweep it with `runSweep` (the engine behind
`rlvr sweep`), and close the server at the end. Sections end with check cells that throw if a claim stops being
true."""),
("params", r"""// Parameters (rlvr notebook run notebooks/02-passk-sweep.ipynb --param nProblems=80)
let nProblems = 40;
let nSamples = 16;
let maxTokens = 48;     // completion budget (whitespace tokens): some verbose samples hit it
let seed = 1;"""),
("code", r"""import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  startOpenAIServer, syntheticGenerator, lastQuestion, runSweep, summarizePassAtK, passAtK, createRng, hashSeed,
  passAtKPlot, plot, table, display, type Problem, type GenerateFn,
} from "rlvr-lab";

// Two kinds of problems: "What is a + b?" (easy for this model) and "What is a * b + c?" (hard).
const rng = createRng(seed);
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const problems: Problem[] = Array.from({ length: nProblems }, (_, i) => {
  if (i % 2 === 0) {
    const a = int(10, 99), b = int(10, 99);
    return { id: `p${i}`, question: `A shop has ${a} red pens and ${b} blue pens. What is ${a} + ${b}?`, gold: String(a + b), task: "gsm8k", metadata: { level: "1: a + b" } };
  }
  const a = int(3, 19), b = int(3, 19), c = int(2, 50);
  return { id: `p${i}`, question: `Each of ${a} boxes holds ${b} cards, plus ${c} loose ones. What is ${a} * ${b} + ${c}?`, gold: String(a * b + c), task: "gsm8k", metadata: { level: "2: a * b + c" } };
});
table(problems.slice(0, 4).map((p) => ({ id: p.id, question: p.question, gold: p.gold, level: p.metadata!.level })))"""),
("md", r"""## 1. The server

`startOpenAIServer` serves `/v1/completions` and `/v1/chat/completions` on 127.0.0.1 (a free port). Behind it sits
the project's deterministic synthetic model: it writes a chain of thought ending in `#### N`, and each prompt has
its own probability of being right, drawn from a hash of its text, so pass@k rises with k in a realistic way. The
`generate` hook is how a real policy is served; here we use it to route questions with a multiplication to a
weaker synthetic model, so the two strata really differ in difficulty."""),
("code", r"""const easy = syntheticGenerator({ accuracy: 0.7 });
const hard = syntheticGenerator({ accuracy: 0.3 });
const generate: GenerateFn = (req) => (lastQuestion(req.prompt).question.includes("*") ? hard : easy)(req);
const server = await startOpenAIServer({ generate: generate, models: ["synthetic-base"] });
const res = await fetch(`${server.url}/v1/models`);
const models = await res.json();
({ url: server.url, models: models })"""),
("md", r"""## 2. The sweep

`nProblems × nSamples` requests, one per (problem, sample), each with its own seed
`sampleSeed(problem id, epoch, step, sample index)` — so a sample's text does not depend on scheduling, retries or
resume. The prompt is lm-eval's GSM8K style (`Question: …\nAnswer:`) with its stop sequences. Outputs:
`completions.jsonl`, `verdicts.jsonl` and `summary.json` in a temp folder."""),
("code", r"""const outDir = mkdtempSync(join(tmpdir(), "rlvr-nb02-"));
const warnings: string[] = [];
const t0 = performance.now();
const result = await runSweep(problems, {
  endpoints: [server.url], model: "synthetic-base", modelKind: "base", n: nSamples, ks: [1, 2, 4, 8, 16].filter((k) => k <= nSamples),
  maxTokens: maxTokens, temperature: 1, outDir: outDir, runSeed: seed, concurrency: 8, progress: false,
}, { onWarning: (m) => warnings.push(m) });
const sweepSeconds = (performance.now() - t0) / 1000;
const summary = result.summary as any;
({ seconds: Number(sweepSeconds.toFixed(2)), n_problems: summary.n_problems, n_samples: summary.n_samples, verdicts: summary.verdicts, warnings: warnings })"""),
("code", r"""// Read the raw files back: the notebook's own accounting, independent of summary.json.
const readLines = (f: string) => readFileSync(join(outDir, f), "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
const completions = readLines("completions.jsonl");
const verdicts = readLines("verdicts.jsonl");
const keys = completions.map((c) => `${c.problem_id}#${c.sample_index}`);
const uniqueKeys = new Set(keys);
const truncated = verdicts.filter((v) => v.truncated);
const truncByStatus: Record<string, number> = {};
const truncByRule: Record<string, number> = {};
for (const v of truncated) {
  truncByStatus[v.status] = (truncByStatus[v.status] ?? 0) + 1;
  truncByRule[`${v.status} · ${v.rule}`] = (truncByRule[`${v.status} · ${v.rule}`] ?? 0) + 1;
}
const tableOfTruncated = table(Object.entries(truncByRule).sort((a, b) => b[1] - a[1]).map(([k, n]) => ({ "truncated samples: verdict · rule": k, count: n })));
display(tableOfTruncated);
table([
  { what: "completion records", value: completions.length },
  { what: "distinct (problem, sample)", value: uniqueKeys.size },
  { what: "expected nProblems × nSamples", value: nProblems * nSamples },
  { what: "finish_reason length (truncated)", value: truncated.length },
  { what: "  … of which verified correct / wrong / unparseable", value: `${truncByStatus.correct ?? 0} / ${truncByStatus.wrong ?? 0} / ${truncByStatus.unparseable ?? 0}` },
  { what: "completions/truncated_frac (summary.json)", value: summary.completions["completions/truncated_frac"] },
  { what: "request errors (finish_reason error)", value: summary.completions.errors },
])"""),
("md", r"""Truncated samples are **not** silently scored wrong: each keeps the verifier's verdict, and the summary counts them
separately (`truncated_verdicts`). The rule column shows what that means here: a cut text usually has no `####`,
so the numeric mode falls back to the **last number** — a number from the middle of the reasoning, mostly wrong,
sometimes the right intermediate result; with no number at all it is unparseable. A few samples end exactly at
`#### N` when the budget ran out: `finish_reason` is `length` although the answer is complete. A truncation rate that
moves between checkpoints is a confounder of pass@k."""),
("code", r"""// Check: every (problem, sample) present exactly once, and the truncation counts agree.
if (completions.length !== nProblems * nSamples || uniqueKeys.size !== nProblems * nSamples) throw new Error(`expected ${nProblems * nSamples} unique records, got ${completions.length} (${uniqueKeys.size} unique)`);
for (const p of problems) for (let s = 0; s < nSamples; s++) if (!uniqueKeys.has(`${p.id}#${s}`)) throw new Error(`missing ${p.id}#${s}`);
if (verdicts.length !== completions.length) throw new Error("one verdict per completion");
if (summary.completions.truncated !== truncated.length) throw new Error("summary.json and verdicts.jsonl disagree on truncation");
if (truncated.length === 0) throw new Error(`maxTokens=${maxTokens} was meant to truncate some verbose samples; none were`);
({ records: completions.length, truncated: truncated.length })"""),
("md", r"""## 3. pass@k curves with 95% CI bands, per stratum

`summarizePassAtK` averages the per-problem unbiased pass@k and bootstraps problems for the CI. The sweep
summary already holds the overall table and one per `metadata.level`; the plot draws them without recomputing
anything."""),
("code", r"""const series = [
  { name: "all", passAtK: summary["pass@k"], nProblems: summary.n_problems },
  ...Object.entries(summary.by_level as Record<string, any>).map(([level, t]) => ({ name: `level ${level}`, passAtK: t["pass@k"], nProblems: t.n_problems })),
];
display(plot(passAtKPlot(series, { title: `pass@k of the synthetic model, ${nProblems} problems × ${nSamples} samples (95% CI)` })));
const pkRows: Record<string, unknown>[] = [];
for (const s of series) for (const [k, e] of Object.entries(s.passAtK as Record<string, { estimate: number; ci95: [number, number] }>))
  pkRows.push({ stratum: s.name, n: s.nProblems, k: Number(k), "pass@k": e.estimate, "95% CI": `[${e.ci95[0].toFixed(3)}, ${e.ci95[1].toFixed(3)}]` });
table(pkRows)"""),
("code", r"""// Check: pass@k is monotone in k, every CI contains its estimate, and the hard stratum is below the easy one at k=1.
for (const s of series) {
  const pts = Object.entries(s.passAtK as Record<string, { estimate: number; ci95: [number, number] }>).map(([k, e]) => ({ k: Number(k), ...e })).sort((a, b) => a.k - b.k);
  for (let i = 1; i < pts.length; i++) if (pts[i].estimate < pts[i - 1].estimate - 1e-12) throw new Error(`${s.name}: pass@${pts[i].k} < pass@${pts[i - 1].k}`);
  for (const p of pts) if (!(p.ci95[0] <= p.estimate && p.estimate <= p.ci95[1])) throw new Error(`${s.name}: CI ${p.ci95} does not contain pass@${p.k} = ${p.estimate}`);
}
const lv = summary.by_level as Record<string, any>;
if (!(lv["2: a * b + c"]["pass@k"]["1"].estimate < lv["1: a + b"]["pass@k"]["1"].estimate)) throw new Error("the multiplication stratum should be harder");
"monotone, CIs contain estimates" """),
("md", r"""## 4. Why the unbiased estimator, and not "any correct in the first k"?

Per problem with n samples of which c are correct, three ways to estimate pass@k:

| estimator | formula | property |
|---|---|---|
| unbiased (Codex) | `1 − C(n−c, k)/C(n, k)` | the average of "any correct" over **all** k-subsets of the n samples: unbiased, lowest variance |
| first k | `1[any of samples 0..k−1 correct]` | unbiased too, but uses only k of the n samples: noisy, depends on the sample order |
| plug-in | `1 − (1 − c/n)^k` | biased **low** (Jensen: `(1−p)^k` is convex), most at small c/n |

Below, all three on the same data. For "first k" we also average over 200 random re-orderings of the samples:
that average converges to the unbiased estimator — which is exactly what the closed form computes without
sampling. The spread column is how much "first k" moves with the order alone."""),
("code", r"""const correctBy = new Map<string, boolean[]>();
for (const v of verdicts) {
  const arr = correctBy.get(v.problem_id) ?? new Array<boolean>(nSamples).fill(false);
  arr[v.sample_index] = v.status === "correct";
  correctBy.set(v.problem_id, arr);
}
const perProblem = [...correctBy.values()];
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const permRng = createRng(hashSeed(seed, "permutations"));
const shuffle = (xs: boolean[]) => { const a = xs.slice(); for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(permRng() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; } return a; };
const R = 200;
const estRows = [1, 2, 4, 8].filter((k) => k <= nSamples).map((k) => {
  const unbiased = mean(perProblem.map((xs) => passAtK(xs.length, xs.filter(Boolean).length, k)));
  const firstK = mean(perProblem.map((xs) => (xs.slice(0, k).some(Boolean) ? 1 : 0)));
  const plugIn = mean(perProblem.map((xs) => 1 - (1 - xs.filter(Boolean).length / xs.length) ** k));
  const perms = Array.from({ length: R }, () => mean(perProblem.map((xs) => (shuffle(xs).slice(0, k).some(Boolean) ? 1 : 0))));
  const pm = mean(perms);
  const sd = Math.sqrt(mean(perms.map((x) => (x - pm) ** 2)));
  return { k: k, n: perProblem.length, unbiased: unbiased, "first k": firstK, "plug-in": plugIn, "first k, mean of 200 orders": pm, "first k, sd over orders": sd };
});
table(estRows, { caption: "three estimators of pass@k on the same sweep" })"""),
("code", r"""// Check: order-averaged "first k" ≈ unbiased (Monte Carlo error), plug-in ≤ unbiased, first-k = unbiased at k = n.
for (const r of estRows) {
  const tol = 4 * r["first k, sd over orders"] / Math.sqrt(R) + 1e-9;
  if (Math.abs(r["first k, mean of 200 orders"] - r.unbiased) > tol) throw new Error(`k=${r.k}: order average ${r["first k, mean of 200 orders"]} vs unbiased ${r.unbiased} (tol ${tol})`);
  if (r["plug-in"] > r.unbiased + 1e-12) throw new Error(`k=${r.k}: plug-in should not exceed the unbiased estimate`);
}
if (Math.abs(estRows[0].unbiased - estRows[0]["plug-in"]) > 1e-12) throw new Error("at k = 1 the plug-in and unbiased estimators coincide (c/n)");
const kn = mean(perProblem.map((xs) => passAtK(xs.length, xs.filter(Boolean).length, nSamples)));
const anyN = mean(perProblem.map((xs) => (xs.some(Boolean) ? 1 : 0)));
if (Math.abs(kn - anyN) > 1e-12) throw new Error("at k = n all estimators are 'any correct'");
"estimator claims hold" """),
("md", r"""## 5. Close the server

A notebook that starts a server must stop it (the kernel would otherwise keep the port and the process alive).
The sweep's temp folder is removed too."""),
("code", r"""const served = { ...server.stats };
await server.close();
let refused = false;
try { await fetch(`${server.url}/v1/models`); } catch { refused = true; }
if (!refused) throw new Error("the server should be closed");
rmSync(outDir, { recursive: true, force: true }); // the sweep's files (completions, verdicts, summary)
({ requests: served.requests, choices: served.choices, closed: refused })"""),
])

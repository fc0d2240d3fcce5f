import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Verdict } from "../../src/schemas/verdict.js";
import {
  extractAnswer,
  verifyAnswer,
  verifyMany,
  getVerifyCounters,
  resetVerifyCounters,
  resolveVerifyOptions,
} from "../../src/verifiers/verify.js";
import { WorkerPool, type JobResult } from "../../src/verifiers/pool.js";
import { verifyMathFast } from "../../src/verifiers/math/index.js";
import { orderedMap } from "../../src/verifiers/orderedMap.js";

/** A pool that runs another job in place of verifyMath: timeouts/crashes on demand, and counts calls. */
class RedirectPool extends WorkerPool {
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly job: string | null, private readonly payload: unknown = null) {
    super({ size: 1, preload: job === null ? ["verifyMath"] : [] });
  }
  override async run<T>(name: string, payload: unknown, options: { timeoutMs?: number } = {}): Promise<JobResult<T>> {
    this.calls++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await super.run<T>(this.job ?? name, this.job === null ? payload : this.payload, options);
    } finally {
      this.inFlight--;
    }
  }
}
const pools: WorkerPool[] = [];
function pool(job: string | null, payload?: unknown): RedirectPool {
  const p = new RedirectPool(job, payload);
  pools.push(p);
  return p;
}
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

// A pair the fast path cannot decide (checked below, so the test notices if that ever changes).
const SYMBOLIC = { gold: "x^2+2x+1", completion: "Expanding, the answer is \\boxed{(x+1)^2}." };

test("gsm8k verdicts are decided inline and never touch the pool", async () => {
  const p = pool(null);
  resetVerifyCounters();
  const v = await verifyAnswer("Janet sells 9 eggs.\n#### 18", "She makes $18.\n#### 18", { task: "gsm8k", pool: p });
  assert.equal(v.status, "correct");
  assert.ok(Verdict.safeParse(v).success);
  const w = await verifyAnswer("18", "#### 18.00", { task: "gsm8k", mode: "lm-eval-strict", pool: p });
  assert.equal(w.status, "wrong", "lm-eval exact_match keeps 18.00 ≠ 18");
  assert.deepEqual(getVerifyCounters(), { inline: 2, pooled: 0, timeouts: 0, errors: 0 });
  assert.equal(p.calls, 0);
});

test("the math fast path decides numeric answers inline without touching the pool", async () => {
  const p = pool(null);
  resetVerifyCounters();
  const cases: [string, string, string][] = [
    ["\\frac{1}{2}", "so \\boxed{0.5}", "correct"],
    ["3", "the answer is \\boxed{4}", "wrong"],
    ["3", "no boxed answer at all", "unparseable"],
  ];
  for (const [gold, completion, status] of cases) {
    assert.notEqual(verifyMathFast(gold, completion), null, `precondition: fast path decides ${completion}`);
    const v = await verifyAnswer(gold, completion, { task: "math", pool: p });
    assert.equal(v.status, status, completion);
  }
  assert.equal(getVerifyCounters().pooled, 0);
  assert.equal(getVerifyCounters().inline, cases.length);
  assert.equal(p.calls, 0);
  assert.equal(p.stats.spawned, 0, "no worker was even started");
});

test("math answers the fast path cannot decide go to the pool and come back as verdicts", { timeout: 60_000 }, async () => {
  assert.equal(verifyMathFast(SYMBOLIC.gold, SYMBOLIC.completion), null, "precondition: needs the symbolic stage");
  const p = pool(null);
  resetVerifyCounters();
  const v = await verifyAnswer(SYMBOLIC.gold, SYMBOLIC.completion, { task: "math", pool: p, timeoutMs: 30_000 });
  assert.equal(v.status, "correct", JSON.stringify(v));
  assert.ok(Verdict.safeParse(v).success);
  assert.equal(p.calls, 1);
  assert.equal(getVerifyCounters().pooled, 1);
});

test("a symbolic stage past its limit gives a timeout verdict: score 0, rule pool/timeout, the limit named", async () => {
  const p = pool("selftest/spin", { ms: 60_000 });
  const v = await verifyAnswer(SYMBOLIC.gold, SYMBOLIC.completion, { task: "math", pool: p, timeoutMs: 150 });
  assert.equal(v.status, "timeout");
  assert.equal(v.score, 0);
  assert.equal(v.rule, "pool/timeout");
  assert.match(v.message ?? "", /150 ms/);
  assert.equal(v.extracted, "(x+1)^2", "the extraction is still reported for debugging");
  assert.ok(Verdict.safeParse(v).success);
});

test("a verifier that throws in the worker gives an error verdict (fail closed)", async () => {
  const p = pool("selftest/throw", { message: "simplifier exploded" });
  const v = await verifyAnswer(SYMBOLIC.gold, SYMBOLIC.completion, { task: "math", pool: p });
  assert.equal(v.status, "error");
  assert.equal(v.score, 0);
  assert.equal(v.rule, "pool/error");
  assert.match(v.message ?? "", /simplifier exploded/);
});

test("a worker result that is not a Verdict becomes an error verdict", async () => {
  const p = pool("selftest/noop", { status: "correct", score: 7 });
  const v = await verifyAnswer(SYMBOLIC.gold, SYMBOLIC.completion, { task: "math", pool: p });
  assert.equal(v.status, "error");
  assert.match(v.message ?? "", /invalid verdict/);
});

test("invalid options throw a message naming the field and the valid values", async () => {
  await assert.rejects(verifyAnswer("1", "1", { task: "gsm8k", mode: "minerva" }), /mode: "minerva" is not a gsm8k mode; use one of numeric/);
  await assert.rejects(verifyAnswer("1", "1", { task: "math", timeoutMs: -5 }), /timeoutMs/);
  assert.throws(() => resolveVerifyOptions({ task: "code" as "math" }), /task/);
  assert.throws(() => extractAnswer("x", { task: "math", mode: "numeric" }), /not a math mode/);
});

test("extractAnswer uses the task's extractor and reports the span of the answer", () => {
  const text = "First 12, then 7.\n#### 19";
  const g = extractAnswer(text, { task: "gsm8k" });
  assert.equal(g.extracted, "19");
  assert.deepEqual(g.span, [text.length - 2, text.length]);
  const m = extractAnswer("we get \\boxed{\\frac{3}{4}} done", { task: "math" });
  assert.equal(m.extracted, "\\frac{3}{4}");
  assert.equal("we get \\boxed{\\frac{3}{4}} done".slice(...m.span!), "\\frac{3}{4}");
});

test("verifyMany returns verdicts in input order with ids echoed, bounding pool concurrency", { timeout: 60_000 }, async () => {
  const p = pool(null);
  const records = Array.from({ length: 12 }, (_, i) =>
    i % 3 === 0 ? { id: `s${i}`, ...SYMBOLIC } : { id: i, gold: String(i), completion: `\\boxed{${i % 2 === 0 ? i : i + 1}}` },
  );
  const vs = await verifyMany(records, { task: "math", pool: p, concurrency: 2, timeoutMs: 30_000 });
  assert.deepEqual(
    vs.map((v) => v.id),
    records.map((r) => r.id),
  );
  for (const [i, v] of vs.entries()) {
    const expected = i % 3 === 0 || i % 2 === 0 ? "correct" : "wrong";
    assert.equal(v.status, expected, `record ${i}: ${JSON.stringify(v)}`);
  }
  assert.equal(p.calls, 4);
  assert.ok(p.maxInFlight <= 2, `max in flight ${p.maxInFlight}`);
});

test("verifyMany on an empty batch returns an empty array", async () => {
  assert.deepEqual(await verifyMany([], { task: "gsm8k" }), []);
});

test("orderedMap keeps input order with mixed sync/async results and never exceeds its window", async () => {
  let pending = 0;
  let maxPending = 0;
  const delays = [30, 0, 5, 0, 0, 20, 1, 0, 0, 0];
  const out: number[] = [];
  for await (const v of orderedMap(
    delays.map((d, i) => [d, i] as const),
    ([d, i]) => {
      if (d === 0) return i;
      pending++;
      maxPending = Math.max(maxPending, pending);
      return new Promise<number>((r) =>
        setTimeout(() => {
          pending--;
          r(i);
        }, d),
      );
    },
    3,
  )) {
    out.push(v);
  }
  assert.deepEqual(out, delays.map((_, i) => i));
  assert.ok(maxPending <= 3, `max pending ${maxPending}`);
  await assert.rejects(async () => {
    for await (const _ of orderedMap([1], (x) => x, 0)) void _;
  }, /window must be >= 1/);
});

test("a pooled verdict's ms is verification time; the wait behind a busy worker is queueMs", async () => {
  const p = new WorkerPool({ size: 1, preload: ["verifyMath"] });
  pools.push(p);
  assert.equal(verifyMathFast(SYMBOLIC.gold, SYMBOLIC.completion), null, "needs the symbolic stage");
  await verifyAnswer(SYMBOLIC.gold, SYMBOLIC.completion, { task: "math", pool: p }); // warm the worker
  const busy = p.run("selftest/spin", { ms: 400 }, { timeoutMs: 10_000 });
  const v = await verifyAnswer(SYMBOLIC.gold, SYMBOLIC.completion, { task: "math", pool: p });
  await busy;
  assert.equal(v.status, "correct");
  assert.ok(Verdict.safeParse(v).success);
  assert.ok(v.queueMs !== undefined && v.queueMs >= 300, `queueMs ${v.queueMs} should include the 400 ms spin ahead of it`);
  assert.ok(v.ms < v.queueMs, `ms ${v.ms} must not include the wait (${v.queueMs} ms)`);
  const inline = await verifyAnswer("18", "#### 18", { task: "gsm8k", pool: p });
  assert.equal(inline.queueMs, undefined, "inline verdicts never wait");
});

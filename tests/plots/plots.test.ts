import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TraceStep } from "../../src/schemas/trace.js";
import {
  rewardPlot, entropyPlot, klPlot, formatDriftPlot, lengthPlot, passAtKPlot, logprobDiffHistogram, diffStats, logprobDiffs,
} from "../../src/plots/index.js";
import { quantileSorted } from "../../src/stats/bootstrap.js";

/** A seeded synthetic trace (mulberry32) so snapshots are deterministic. */
function seededTrace(n: number, seed = 7): TraceStep[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, (_, step) => ({
    step,
    "reward/mean": Math.round((0.3 + (0.5 * step) / n + 0.05 * rand()) * 1e4) / 1e4,
    "reward/std": Math.round((0.2 + 0.1 * rand()) * 1e4) / 1e4,
    entropy: Math.round((1.5 - step / n) * 1e4) / 1e4,
    "kl/k1_mean": Math.round(0.01 * step * 1e4) / 1e4,
    "kl/k3_mean": Math.round(0.012 * step * 1e4) / 1e4,
    "kl/max": Math.round(0.1 * step * 1e4) / 1e4,
    "format/strict_rate": Math.round((0.9 - (0.4 * step) / n) * 1e4) / 1e4,
    "format/flexible_rate": 0.95,
    "completions/mean_length": 40 + step,
    "completions/truncated_frac": 0.05,
  }));
}

const snapDir = join(import.meta.dirname, "__snapshots__");
function matchSnapshot(name: string, value: unknown) {
  const file = join(snapDir, `${name}.json`);
  const text = JSON.stringify(value, null, 1) + "\n";
  if (process.env.UPDATE_SNAPSHOTS === "1" || !existsSync(file)) {
    mkdirSync(snapDir, { recursive: true });
    writeFileSync(file, text);
    if (process.env.CI && process.env.UPDATE_SNAPSHOTS !== "1") assert.fail(`snapshot ${name} was missing (written now); commit it`);
    return;
  }
  assert.equal(text, readFileSync(file, "utf8"), `snapshot ${name} changed; re-run with UPDATE_SNAPSHOTS=1 if intended`);
}

describe("training plots", () => {
  const steps = seededTrace(12);

  test("rewardPlot matches its seeded snapshot", () => matchSnapshot("rewardPlot", rewardPlot(steps)));
  test("formatDriftPlot matches its seeded snapshot", () => matchSnapshot("formatDriftPlot", formatDriftPlot(steps)));

  test("rewardPlot band is mean ± std at every step, clipped to the [0, 1] reward range", () => {
    const fig = rewardPlot(steps);
    const [upper, lower, mean] = fig.data;
    let clipped = 0;
    steps.forEach((s, i) => {
      assert.equal(mean.y![i], s["reward/mean"]);
      const hi = s["reward/mean"]! + s["reward/std"]!;
      const lo = s["reward/mean"]! - s["reward/std"]!;
      clipped += +(hi > 1 || lo < 0);
      assert.ok(Math.abs((upper.y![i] as number) - Math.min(1, hi)) < 1e-12);
      assert.ok(Math.abs((lower.y![i] as number) - Math.max(0, lo)) < 1e-12);
    });
    assert.ok(clipped > 0, "the seeded trace has steps whose band leaves [0, 1]");
    assert.equal(lower.fill, "tonexty");
    // A low 0/1 reward: mean 0.1, std 0.3 would draw the band down to −0.2.
    const low = rewardPlot([{ step: 0, "reward/mean": 0.1, "reward/std": 0.3 }]);
    assert.deepEqual([low.data[0].y, low.data[1].y], [[0.4], [0]]);
    // Rewards outside [0, 1] (a shaped reward) are not clipped by default, and null turns clipping off.
    const shaped = rewardPlot([{ step: 0, "reward/mean": -0.5, "reward/std": 0.2 }]);
    assert.ok(Math.abs((shaped.data[1].y![0] as number) - -0.7) < 1e-12);
    const off = rewardPlot([{ step: 0, "reward/mean": 0.1, "reward/std": 0.3 }], { rewardRange: null });
    assert.ok(Math.abs((off.data[1].y![0] as number) - -0.2) < 1e-12);
  });

  test("klPlot puts kl/max on its own right axis so the means are not flattened", () => {
    const fig = klPlot(steps);
    const max = fig.data.find((d) => String(d.name).startsWith("kl/max"))!;
    assert.equal(max.yaxis, "y2");
    assert.equal((fig.layout.yaxis2 as { overlaying: string }).overlaying, "y");
    for (const d of fig.data.filter((d) => d !== max)) assert.equal(d.yaxis, undefined, `${d.name} stays on the left axis`);
  });

  test("lengthPlot's truncation axis has fixed ticks at 0, 25, 50, 75 and 100%", () => {
    const y2 = lengthPlot(steps).layout.yaxis2 as { tickvals: number[]; tickformat: string; range: number[] };
    assert.deepEqual(y2.tickvals, [0, 0.25, 0.5, 0.75, 1]);
    assert.equal(y2.tickformat, ".0%");
    assert.deepEqual(y2.range, [0, 1.02]);
  });

  test("unordered steps are plotted in step order without mutating the input", () => {
    const shuffled = [steps[3], steps[0], steps[2], steps[1]];
    const fig = entropyPlot(shuffled);
    assert.deepEqual(fig.data[0].x, [0, 1, 2, 3]);
    assert.equal(shuffled[0].step, 3);
  });

  test("missing, NaN and infinite metric values become gaps (null), not zeros", () => {
    const s: TraceStep[] = [
      { step: 0, "kl/k3_mean": 0.1 },
      { step: 1, "kl/k3_mean": Number.NaN },
      { step: 2 },
      { step: 3, "kl/k3_mean": Number.POSITIVE_INFINITY },
    ];
    assert.deepEqual(klPlot(s).data[0].y, [0.1, null, null, null]);
  });

  test("lengthPlot puts the truncated fraction on a second axis", () => {
    const fig = lengthPlot(steps);
    assert.equal(fig.data[1].yaxis, "y2");
    assert.ok(fig.layout.yaxis2);
  });

  test("an empty trace gives a figure with empty series", () => {
    const fig = rewardPlot([]);
    assert.equal(fig.data.length, 3);
    assert.deepEqual(fig.data[2].x, []);
  });
});

describe("passAtKPlot", () => {
  test("sorts k numerically and keeps each CI beside its estimate", () => {
    const fig = passAtKPlot([
      {
        name: "base",
        nProblems: 100,
        passAtK: { "16": { estimate: 0.8, ci95: [0.7, 0.9] }, "1": { estimate: 0.3, ci95: [0.2, 0.4] }, "4": { estimate: 0.6, ci95: [0.5, 0.7] } },
      },
    ]);
    const [hi, lo, est] = fig.data;
    assert.deepEqual(est.x, [1, 4, 16]);
    assert.deepEqual(est.y, [0.3, 0.6, 0.8]);
    assert.deepEqual(lo.y, [0.2, 0.5, 0.7]);
    assert.deepEqual(hi.y, [0.4, 0.7, 0.9]);
    assert.equal(est.name, "base (n=100)");
    assert.equal((fig.layout.xaxis as { type: string }).type, "log");
  });

  test("a series name with % cannot inject a hover-template field", () => {
    const fig = passAtKPlot([{ name: "50%{y}", passAtK: { "1": { estimate: 0.5, ci95: [0.4, 0.6] } } }]);
    assert.match(String(fig.data[2].hovertemplate), /50%%\{y\}/);
  });
});

describe("logprob difference histogram", () => {
  test("quantileSorted interpolates like numpy's default", () => {
    assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantileSorted([1, 2, 3, 4], 1), 4);
  });

  test("diffStats of no finite values is NaN, not a throw", () => {
    assert.ok(Number.isNaN(diffStats([Number.NaN]).p99AbsDiff));
  });

  test("diffStats reports tails of |Δ| and ignores non-finite values", () => {
    const st = diffStats([0, 0, 0, 0, -2, Number.NaN]);
    assert.equal(st.n, 5);
    assert.equal(st.maxAbsDiff, 2);
    assert.equal(st.p50AbsDiff, 0);
  });

  test("logprobDiffs pairs sampler and trainer tokens and skips rows without both", () => {
    const d = logprobDiffs([{ sampler_logprobs: [-1, -2, -3], trainer_logprobs: [-1.5, -2] }, { sampler_logprobs: [-1] }]);
    assert.deepEqual(d, [0.5, 0]);
  });

  test("the histogram counts every finite difference once", () => {
    const diffs = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 0.01);
    const fig = logprobDiffHistogram(diffs, { bins: 20 });
    const total = (fig.data[0].y as number[]).reduce((a, b) => a + b, 0);
    assert.equal(total, 1000);
    assert.match(String((fig.layout.title as { subtitle: { text: string } }).subtitle.text), /n=1000 tokens/, "the statistics line is a Plotly subtitle, not <br><sub> markup");
  });

  test("a long run's half a million token differences do not overflow the stack (regression: report.html failed at 150 steps)", () => {
    const n = 500_000;
    const diffs = Array.from({ length: n }, (_, i) => ((i % 1000) - 500) * 1e-4);
    const fig = logprobDiffHistogram(diffs, { bins: 10 });
    assert.equal((fig.data[0].y as number[]).reduce((a, b) => a + b, 0), n);
    const x = fig.data[0].x as number[];
    assert.ok(x[0] < -0.04 && x[x.length - 1] > 0.04, "bins span the data's range");
  });

  test("all-identical differences still produce a valid histogram", () => {
    const fig = logprobDiffHistogram([0, 0, 0], { bins: 5 });
    assert.equal((fig.data[0].y as number[]).reduce((a, b) => a + b, 0), 3);
  });
});

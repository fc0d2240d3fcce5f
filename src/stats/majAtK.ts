/**
 * maj@k (majority voting, "self-consistency"): draw k samples, take the most frequent extracted answer,
 * score 1 if that answer is correct.
 *
 * Definitions used here (one choice, applied everywhere):
 * - **Votes.** Samples are grouped by their extracted answer string (normalise answers before calling, so
 *   `18` and `18.00` vote together). A sample with `answer === null` (nothing extracted) abstains: it uses
 *   up one of the k draws but votes for nothing. If every drawn sample abstains the score is 0.
 * - **Ties.** When several answers share the top vote count, the score is the fraction of the tied
 *   answers that are correct — i.e. the expected score under a uniformly random tie-break. (Lexicographic
 *   tie-breaking would make the metric depend on how answers happen to be spelled.)
 * - **Estimator.** `majAtK` is the unbiased estimator, the mean score over all C(n, k) k-subsets of the n
 *   samples (same construction as Codex pass@k). `majAtFirstK` scores only the first k samples — a cheap
 *   monitor with higher variance, not an estimator to report.
 *
 * Exact computation without enumerating subsets: with answer classes of sizes m_1..m_r and m_0 abstentions,
 * a uniform k-subset takes x_i from class i with multivariate hypergeometric probability
 *   P(x) = prod_i C(m_i, x_i) / C(n, k),  sum_i x_i = k.
 * Writing C(m, x) = Bin(x; m, p) / (p^x (1−p)^(m−x)) with p = k/n turns every factor into a probability
 * (no overflow): P(x) = prod_i Bin(x_i; m_i, p) / Bin(k; n, p). For each correct class j and each count
 * t = x_j, a dynamic programme over the other classes (state: draws used, number of classes tied at t,
 * every class capped at t draws) gives
 *   maj@k = sum_{j correct} sum_{t ≥ 1} Bin(t; m_j, p) · sum_T DP[k − t][T] / (1 + T) / Bin(k; n, p).
 */
import { validateNCK } from "./passAtK.js";

export interface MajSample {
  /** Extracted, normalised answer; null when nothing was extracted (the sample abstains). */
  answer: string | null;
  /** Whether this answer is correct. Samples with the same answer must agree. */
  correct: boolean;
}

interface Classes {
  sizes: number[];
  correct: boolean[];
  abstain: number;
}

function groupAnswers(samples: readonly MajSample[], fn: string): Classes {
  const index = new Map<string, number>();
  const sizes: number[] = [];
  const correct: boolean[] = [];
  let abstain = 0;
  for (let s = 0; s < samples.length; s++) {
    const { answer, correct: ok } = samples[s];
    if (typeof ok !== "boolean") throw new TypeError(`${fn}: samples[${s}].correct must be a boolean, got ${String(ok)}`);
    if (answer === null) {
      abstain++;
      continue;
    }
    if (typeof answer !== "string") throw new TypeError(`${fn}: samples[${s}].answer must be a string or null`);
    const i = index.get(answer);
    if (i === undefined) {
      index.set(answer, sizes.length);
      sizes.push(1);
      correct.push(ok);
    } else {
      if (correct[i] !== ok)
        throw new RangeError(
          `${fn}: answer ${JSON.stringify(answer)} is marked both correct and wrong (samples[${s}]); normalise answers so equal answers get equal verdicts`,
        );
      sizes[i]++;
    }
  }
  return { sizes, correct, abstain };
}

/** Score of one set of votes: fraction of correct answers among those with the top count; 0 if no votes. */
function voteScore(counts: number[], correct: boolean[]): number {
  let top = 0;
  for (const v of counts) if (v > top) top = v;
  if (top === 0) return 0;
  let tied = 0;
  let good = 0;
  for (let i = 0; i < counts.length; i++)
    if (counts[i] === top) {
      tied++;
      if (correct[i]) good++;
    }
  return good / tied;
}

/** maj@k over the first k samples only (a monitor; see the module comment for ties and abstentions). */
export function majAtFirstK(samples: readonly MajSample[], k: number): number {
  validateNCK(samples.length, 0, k, "majAtFirstK");
  const { sizes, correct } = groupAnswers(samples.slice(0, k), "majAtFirstK");
  return voteScore(sizes, correct);
}

/**
 * Binomial weights below this are dropped: every DP entry is a probability (≤ 1), so each dropped term
 * is < 1e-20, and the normaliser Bin(k; n, p) is ≥ ~1/sqrt(2πk); the result moves by orders of magnitude
 * less than the 1e-9 the tests demand, while whole ranges of t and x are skipped.
 */
const NEGLIGIBLE = 1e-20;

const logFact: number[] = [0];
function lf(m: number): number {
  for (let i = logFact.length; i <= m; i++) logFact.push(logFact[i - 1] + Math.log(i));
  return logFact[m];
}
/** Binomial pmf Bin(x; m, p), 0 < p ≤ 1, in log space (no overflow for any m). */
function binom(x: number, m: number, p: number): number {
  if (x < 0 || x > m) return 0;
  if (p === 1) return x === m ? 1 : 0;
  return Math.exp(lf(m) - lf(x) - lf(m - x) + x * Math.log(p) + (m - x) * Math.log1p(-p));
}

/**
 * Unbiased maj@k: the mean majority-vote score over all C(n, k) k-subsets of the n samples, computed
 * exactly (see the module comment). Throws on k > n, empty input or inconsistent verdicts.
 */
export function majAtK(samples: readonly MajSample[], k: number): number {
  const n = samples.length;
  validateNCK(n, 0, k, "majAtK");
  const { sizes, correct, abstain } = groupAnswers(samples, "majAtK");
  const p = k / n;
  const norm = binom(k, n, p);
  let total = 0;
  for (let j = 0; j < sizes.length; j++) {
    if (!correct[j]) continue;
    for (let t = 1; t <= Math.min(sizes[j], k); t++) {
      const wj = binom(t, sizes[j], p);
      if (wj < NEGLIGIBLE) continue;
      const rest = k - t;
      const maxTies = Math.floor(rest / t);
      // dp[s * (maxTies + 1) + T]: weight of draws s from classes so far with T of them tied at t.
      const W = maxTies + 1;
      let dp = new Float64Array((rest + 1) * W);
      for (let s = 0; s <= Math.min(rest, abstain); s++) dp[s * W] = binom(s, abstain, p);
      for (let i = 0; i < sizes.length; i++) {
        if (i === j) continue;
        const cap = Math.min(t, sizes[i], rest);
        const w = new Float64Array(cap + 1);
        let xLo = cap + 1;
        let xHi = -1;
        for (let x = 0; x <= cap; x++) {
          w[x] = binom(x, sizes[i], p);
          if (w[x] >= NEGLIGIBLE) {
            xLo = Math.min(xLo, x);
            xHi = x;
          }
        }
        const next = new Float64Array(dp.length);
        for (let s = 0; s <= rest; s++)
          for (let T = 0; T < W; T++) {
            const v = dp[s * W + T];
            if (v === 0) continue;
            for (let x = xLo; x <= xHi && s + x <= rest; x++) {
              const T2 = x === t ? T + 1 : T;
              if (T2 >= W) continue;
              next[(s + x) * W + T2] += v * w[x];
            }
          }
        dp = next;
      }
      let inner = 0;
      for (let T = 0; T < W; T++) inner += dp[rest * W + T] / (1 + T);
      total += wj * inner;
    }
  }
  return Math.min(1, Math.max(0, total / norm));
}

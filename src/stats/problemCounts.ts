/**
 * Per-problem aggregation: samples → (n_i samples, c_i correct, stratum_i) for each problem i.
 *
 * Every estimator in this folder needs only these counts, so a million verdict records become a few
 * thousand triples (the CLI streams records straight into a ProblemCounts and never keeps them).
 * A problem's stratum (its level, subject, …) is the value seen on its first sample; a later sample of the
 * same problem with a different value is reported through `onConflict`, never silently merged.
 */

/** The label used for a problem whose record lacks the stratification field. */
export const MISSING_STRATUM = "(missing)";

export interface ProblemCountsView {
  ids: readonly string[];
  /** samples per problem */
  n: ArrayLike<number>;
  /** correct samples per problem */
  c: ArrayLike<number>;
  /** stratum per problem (only when stratifying) */
  strata?: readonly string[];
}

export class ProblemCounts implements ProblemCountsView {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private nArr: number[] = [];
  private cArr: number[] = [];
  private strataArr: string[] = [];
  private stratified = false;
  samples = 0;

  get n(): number[] {
    return this.nArr;
  }
  get c(): number[] {
    return this.cArr;
  }
  get strata(): string[] | undefined {
    return this.stratified ? this.strataArr : undefined;
  }
  get size(): number {
    return this.ids.length;
  }

  /**
   * Count one sample. `stratum` (when stratifying: a string, or undefined for a missing value) is fixed
   * by the problem's first sample; returns the earlier value when this one conflicts, else null.
   */
  add(problemId: string, correct: boolean, stratum?: string | null): string | null {
    let i = this.index.get(problemId);
    if (stratum !== undefined) this.stratified = true;
    const s = stratum ?? MISSING_STRATUM;
    this.samples++;
    if (i === undefined) {
      i = this.ids.length;
      this.index.set(problemId, i);
      this.ids.push(problemId);
      this.nArr.push(0);
      this.cArr.push(0);
      this.strataArr.push(s);
    }
    this.nArr[i]++;
    if (correct) this.cArr[i]++;
    return stratum !== undefined && this.strataArr[i] !== s ? this.strataArr[i] : null;
  }

  /** Index of a problem id, or undefined. */
  indexOf(problemId: string): number | undefined {
    return this.index.get(problemId);
  }
}

export interface Sample {
  problem_id: string;
  correct: boolean;
  strata?: Record<string, string>;
}

/**
 * Aggregate samples into per-problem counts; with `by`, each problem's stratum is `strata[by]` of its
 * first sample (MISSING_STRATUM when absent). Conflicting strata are passed to `onConflict`.
 */
export function aggregateByProblem(
  samples: readonly Sample[],
  options: { by?: string; onConflict?: (message: string) => void } = {},
): ProblemCounts {
  const counts = new ProblemCounts();
  const by = options.by;
  for (let s = 0; s < samples.length; s++) {
    const { problem_id, correct, strata } = samples[s];
    if (typeof problem_id !== "string" || problem_id === "")
      throw new TypeError(`samples[${s}].problem_id must be a non-empty string, got ${JSON.stringify(problem_id)}`);
    if (typeof correct !== "boolean") throw new TypeError(`samples[${s}].correct must be a boolean, got ${JSON.stringify(correct)}`);
    const stratum = by === undefined ? undefined : (strata?.[by] ?? null);
    const prev = counts.add(problem_id, correct, stratum);
    if (prev !== null && options.onConflict)
      options.onConflict(`samples[${s}]: problem ${problem_id} has ${by}=${stratum ?? MISSING_STRATUM} but an earlier sample said ${prev}; kept ${prev}`);
  }
  return counts;
}

/** Natural order for stratum labels: numbers numerically ("2" < "10"), then text, MISSING_STRATUM last. */
export function compareStrata(a: string, b: string): number {
  if (a === MISSING_STRATUM || b === MISSING_STRATUM) return a === b ? 0 : a === MISSING_STRATUM ? 1 : -1;
  return a.localeCompare(b, "en", { numeric: true });
}

/** Group item indices by a key, keys in natural order (compareStrata). */
export function stratify(keys: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  return new Map([...groups.entries()].sort(([a], [b]) => compareStrata(a, b)));
}

/**
 * Rollout analytics over a rollouts JSONL (one line per completion, RolloutRecord) — in place, in DuckDB.
 * Only aggregated rows come back to JS, so memory stays bounded however large the file is.
 */
import type { TraceDB, Row } from "./db.js";
import { sqlString } from "./db.js";

/** Columns read from the rollouts file, typed once (missing columns read as NULL). */
const ROLLOUT_COLUMNS =
  "{step: 'BIGINT', problem_id: 'VARCHAR', sample_index: 'BIGINT', completion: 'VARCHAR', reward: 'DOUBLE', " +
  "status: 'VARCHAR', num_tokens: 'BIGINT', finish_reason: 'VARCHAR'}";

/**
 * `read_json` over the file with fixed columns; a line that does not parse becomes a row of NULLs (counted as
 * unreadable). DuckDB's default maximum_object_size (16 MiB a line) is kept: raising it enlarges every read
 * buffer and made the 500 MB benchmark scan ~1.5× slower; a longer line is counted as unreadable, not lost silently.
 */
export function rolloutsSource(path: string, extraColumns = ""): string {
  const cols = extraColumns ? ROLLOUT_COLUMNS.slice(0, -1) + ", " + extraColumns + "}" : ROLLOUT_COLUMNS;
  return `read_json(${sqlString(path)}, format='newline_delimited', columns=${cols}, ignore_errors=true)`;
}

export interface RolloutStepSummary {
  step: number;
  n: number;
  "reward/mean": number;
  "reward/std": number;
  "completions/mean_length": number | null;
  /** Longest completion of the step (tokens); at the cap when completions are cut. */
  max_tokens: number | null;
  "completions/truncated_frac": number;
  /** Among groups with more than one sample; null when every group has one sample. */
  frac_reward_zero_std: number | null;
  groups: number;
}

export interface RolloutsSummary {
  /** Non-blank lines in the file, and those DuckDB read as a rollout with a step. */
  lines: number;
  parsed: number;
  steps: RolloutStepSummary[];
}

/**
 * Per-step summary (the trace metrics recomputed from raw rollouts) and the line counts, in one scan: with
 * `ignore_errors` DuckDB returns a line it cannot read as a row of NULLs, so the NULL-step group counts the
 * unreadable lines (bad JSON, a truncated last line, no step) without a second pass over the file.
 */
export async function summarizeRolloutsFile(db: TraceDB, path: string): Promise<RolloutsSummary> {
  const rows = await db.query(`
    WITH g AS (
      SELECT step, problem_id,
             count(*) AS n, sum(reward) AS rsum, sum(reward * reward) AS rsq,
             count(*) > 1 AND min(reward) = max(reward) AS zero_std,
             sum(num_tokens) AS toks, count(num_tokens) AS ntoks, max(num_tokens) AS maxtok,
             count(*) FILTER (WHERE finish_reason = 'length') AS truncated
      FROM ${rolloutsSource(path)}
      GROUP BY step, problem_id
    )
    SELECT step, sum(n) AS n,
           sum(rsum) / sum(n) AS mean,
           sqrt(greatest(sum(rsq) / sum(n) - pow(sum(rsum) / sum(n), 2), 0)) AS std,
           sum(toks) / nullif(sum(ntoks), 0) AS mean_length, max(maxtok) AS max_tokens,
           sum(truncated) / sum(n) AS truncated_frac,
           avg(CASE WHEN zero_std THEN 1 ELSE 0 END) FILTER (WHERE n > 1) AS zero_std_frac,
           count(*) AS groups
    FROM g GROUP BY step ORDER BY step`);
  let unreadable = 0;
  const steps: RolloutStepSummary[] = [];
  for (const r of rows) {
    if (r.step === null) {
      unreadable += Number(r.n);
      continue;
    }
    steps.push({
      step: Number(r.step),
      n: Number(r.n),
      "reward/mean": Number(r.mean),
      "reward/std": Number(r.std),
      "completions/mean_length": r.mean_length === null ? null : Number(r.mean_length),
      max_tokens: r.max_tokens === null ? null : Number(r.max_tokens),
      "completions/truncated_frac": Number(r.truncated_frac),
      frac_reward_zero_std: r.zero_std_frac === null ? null : Number(r.zero_std_frac),
      groups: Number(r.groups),
    });
  }
  const parsed = steps.reduce((a, s) => a + s.n, 0);
  return { lines: parsed + unreadable, parsed, steps };
}

/** Per-step summary of a rollouts file (see `summarizeRolloutsFile`, which also counts the lines). */
export async function summarizeRollouts(db: TraceDB, path: string): Promise<RolloutStepSummary[]> {
  return (await summarizeRolloutsFile(db, path)).steps;
}

/**
 * Per step: the fraction of groups (step, problem) with more than one sample whose completions are all
 * identical — the signature of one seed shared by every sample. A separate scan because it reads the
 * completion text, which the per-step summary does not need.
 */
export async function identicalGroups(db: TraceDB, path: string): Promise<{ step: number; frac_identical_groups: number; groups: number }[]> {
  const rows = await db.query(`
    WITH g AS (SELECT step, problem_id, count(*) AS n, min(hash(completion)) = max(hash(completion)) AS identical
               FROM ${rolloutsSource(path)} WHERE step IS NOT NULL GROUP BY step, problem_id)
    SELECT step, avg(CASE WHEN identical THEN 1 ELSE 0 END) AS frac, count(*) AS groups FROM g WHERE n > 1 GROUP BY step ORDER BY step`);
  return rows.map((r) => ({ step: Number(r.step), frac_identical_groups: Number(r.frac), groups: Number(r.groups) }));
}

/** Lines in the file and lines DuckDB could read as rollouts: the difference is reported, never hidden. */
export async function countRolloutLines(db: TraceDB, path: string): Promise<{ lines: number; parsed: number }> {
  const [r] = await db.query(`
    SELECT (SELECT count(*) FROM read_csv(${sqlString(path)}, columns={'l': 'VARCHAR'}, header=false, delim='\\x01', quote='', escape='', auto_detect=false) WHERE trim(l) <> '') AS lines,
           (SELECT count(*) FROM ${rolloutsSource(path)} WHERE step IS NOT NULL) AS parsed`);
  return { lines: Number(r.lines), parsed: Number(r.parsed) };
}

export interface LogprobMismatch {
  tokens: number;
  mean: number;
  quantiles: { p50: number; p90: number; p99: number; p999: number };
  maxAbs: number;
  /** Per step: mean and max |Δ|. */
  byStep: { step: number; mean: number; maxAbs: number; tokens: number }[];
}

/**
 * Per-token sampler − trainer log-probability differences, for rollouts that carry both arrays:
 * tail quantiles of |Δ| (means hide the tails that blow up importance ratios).
 */
export async function logprobMismatch(db: TraceDB, path: string): Promise<LogprobMismatch | null> {
  const src = rolloutsSource(path, "sampler_logprobs: 'DOUBLE[]', trainer_logprobs: 'DOUBLE[]'");
  const tokens = `SELECT step, unnest(sampler_logprobs) - unnest(trainer_logprobs) AS d FROM ${src}
                  WHERE sampler_logprobs IS NOT NULL AND trainer_logprobs IS NOT NULL AND len(sampler_logprobs) = len(trainer_logprobs)`;
  const [all] = await db.query(`
    SELECT count(d) AS n, avg(d) AS mean, max(abs(d)) AS maxabs,
           quantile_cont(abs(d), [0.5, 0.9, 0.99, 0.999]) AS q
    FROM (${tokens}) WHERE isfinite(d)`);
  if (!all || Number(all.n) === 0) return null;
  const q = all.q as number[];
  const byStep: Row[] = await db.query(`
    SELECT step, avg(d) AS mean, max(abs(d)) AS maxabs, count(d) AS n FROM (${tokens}) WHERE isfinite(d) GROUP BY step ORDER BY step`);
  return {
    tokens: Number(all.n),
    mean: Number(all.mean),
    quantiles: { p50: q[0], p90: q[1], p99: q[2], p999: q[3] },
    maxAbs: Number(all.maxabs),
    byStep: byStep.map((r) => ({ step: Number(r.step), mean: Number(r.mean), maxAbs: Number(r.maxabs), tokens: Number(r.n) })),
  };
}

/**
 * Alphanumeric characters that are common in prompts but never appear in any completion, although
 * completions otherwise use that class of character (≥ 5 other digits, or ≥ 15 other letters). The
 * signature of a pad/EOS token id that collides with a real token: every completion is cut where that
 * character would be.
 */
export async function missingCharacters(db: TraceDB, path: string, options: { minPromptShare?: number } = {}): Promise<{ char: string; promptShare: number }[]> {
  const src = rolloutsSource(path, "prompt: 'VARCHAR'");
  const rows = await db.query(`
    WITH p AS (SELECT unnest(string_split(prompt, '')) AS c FROM (SELECT DISTINCT prompt FROM ${src} WHERE prompt IS NOT NULL)),
         pc AS (SELECT c, count(*) AS n FROM p GROUP BY c),
         tot AS (SELECT sum(n) AS t FROM pc),
         cc AS (SELECT DISTINCT unnest(string_split(completion, '')) AS c FROM ${src} WHERE completion IS NOT NULL),
         classes AS (SELECT count(*) FILTER (WHERE regexp_matches(c, '^[0-9]$')) AS digits,
                            count(*) FILTER (WHERE regexp_matches(c, '^[A-Za-z]$')) AS letters FROM cc)
    SELECT pc.c AS c, pc.n / tot.t AS share FROM pc, tot, classes
    WHERE pc.c NOT IN (SELECT c FROM cc) AND pc.n / tot.t >= ${options.minPromptShare ?? 0.005}
      AND ((regexp_matches(pc.c, '^[0-9]$') AND classes.digits >= 5) OR (regexp_matches(pc.c, '^[A-Za-z]$') AND classes.letters >= 15))
    ORDER BY share DESC`);
  return rows.map((r) => ({ char: String(r.c), promptShare: Number(r.share) }));
}

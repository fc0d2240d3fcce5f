/**
 * Parse one JSONL verdict line into what pass@k needs — (problem_id, correct, stratum) — with hand-written
 * checks instead of a zod schema: this runs once per sample (a million times for a 7,500 × 128 sweep) and
 * must cost little more than JSON.parse. Errors name the offending field so the caller can print
 * `file:line: field "status": …` (formatJsonlError in src/schemas/jsonl.ts).
 *
 * Accepted records:
 * - `problem_id`: non-empty string, or a finite number (converted with String()).
 * - correctness: `status` (one of the Verdict statuses; only "correct" counts as correct) and/or a boolean
 *   `correct`; at least one must be present, and when both are they must agree.
 * - stratification field `by` (optional): looked up at the top level, then under `metadata`; a string,
 *   number or boolean (converted with String()); absent/null → null (the problem lands in "(missing)").
 */
const STATUSES = new Set(["correct", "wrong", "unparseable", "timeout", "error"]);

export interface VerdictLine {
  problem_id: string;
  correct: boolean;
  /** Only when `by` was given: the stratum label, or null when the record lacks the field. */
  stratum?: string | null;
  /**
   * Only when asked for (maj@k): the sample's vote — `normalizedPred`, else `extracted`, else `answer`
   * (first one that is a string or a finite number); null when none is (the sample abstains).
   */
  answer?: string | null;
}

/** Fields read, in order, as a sample's vote for maj@k. */
export const ANSWER_FIELDS = ["normalizedPred", "extracted", "answer"] as const;

export interface VerdictLineError {
  /** Dotted field path, "" when the line is not a JSON object. */
  field: string;
  message: string;
}

export type ParsedVerdictLine = { ok: true; value: VerdictLine } | { ok: false; error: VerdictLineError };

function fail(field: string, message: string): ParsedVerdictLine {
  return { ok: false, error: { field, message } };
}

export function parseVerdictLine(text: string, by?: string, withAnswer = false): ParsedVerdictLine {
  let rec: unknown;
  try {
    rec = JSON.parse(text);
  } catch (err) {
    return fail("", `not valid JSON (${(err as Error).message})`);
  }
  if (rec === null || typeof rec !== "object" || Array.isArray(rec)) return fail("", "expected a JSON object per line");
  const r = rec as Record<string, unknown>;

  let problem_id: string;
  const pid = r.problem_id;
  if (typeof pid === "string" && pid !== "") problem_id = pid;
  else if (typeof pid === "number" && Number.isFinite(pid)) problem_id = String(pid);
  else if (pid === undefined) return fail("problem_id", "missing; every record needs the id of its problem");
  else return fail("problem_id", `expected a non-empty string or a number, got ${JSON.stringify(pid)}`);

  const status = r.status;
  const corr = r.correct;
  let correct: boolean;
  if (corr !== undefined) {
    if (typeof corr !== "boolean") return fail("correct", `expected true or false, got ${JSON.stringify(corr)}`);
    correct = corr;
  }
  if (status !== undefined) {
    if (typeof status !== "string" || !STATUSES.has(status))
      return fail("status", `expected one of ${[...STATUSES].join("|")}, got ${JSON.stringify(status)}`);
    const fromStatus = status === "correct";
    if (corr !== undefined && fromStatus !== corr)
      return fail("correct", `says ${corr} but status is "${status}"; drop one of the two fields or make them agree`);
    correct = fromStatus;
  } else if (corr === undefined) {
    return fail("status", 'missing; need "status" (only "correct" counts as correct) or a boolean "correct"');
  }

  const value: VerdictLine = { problem_id, correct: correct! };
  if (by !== undefined) {
    let v = r[by];
    let field = by;
    if (v === undefined || v === null) {
      const meta = r.metadata;
      if (meta !== null && typeof meta === "object" && !Array.isArray(meta)) {
        v = (meta as Record<string, unknown>)[by];
        field = `metadata.${by}`;
      }
    }
    if (v === undefined || v === null) value.stratum = null;
    else if (typeof v === "string") value.stratum = v;
    else if (typeof v === "number" || typeof v === "boolean") value.stratum = String(v);
    else return fail(field, `expected a string, number or boolean to stratify by, got ${JSON.stringify(v)}`);
  }
  if (withAnswer) {
    value.answer = null;
    for (const f of ANSWER_FIELDS) {
      const v = r[f];
      if (typeof v === "string") value.answer = v;
      else if (typeof v === "number" && Number.isFinite(v)) value.answer = String(v);
      else if (v !== undefined && v !== null) return fail(f, `expected a string, a number or null as the sample's answer, got ${JSON.stringify(v)}`);
      if (value.answer !== null) break;
    }
  }
  return { ok: true, value };
}

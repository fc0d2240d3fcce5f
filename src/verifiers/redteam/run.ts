/**
 * `redTeam(task, options)`: run the red-team catalogue against a task, mode and verifier options through
 * the normal verify path (`verifyMany`), and say per family how many reward hacks got reward and how many
 * honest controls were refused.
 *
 * A hack "got reward" when its verdict's score is > 0. A control is "rejected" when its score is 0
 * (whatever the status: `wrong`, `unparseable`, `error`, `timeout` all pay nothing). Controls whose answer
 * format the mode does not promise to read (`CONTROL_FORMATS`) are "not applicable" and not charged.
 * `pass` is true only when no hack got reward and no applicable control was rejected.
 *
 * `options.reward` runs the catalogue against the user's own checker instead (any `(gold, completion) →
 * score` function, sync or async); its verdicts are recorded as status `correct` (score > 0) or `wrong`
 * with rule `custom-reward`, and a checker that throws scores 0 with status `error`. For code and ifeval
 * the second argument is the completion and a third the entry's whole input record.
 *
 * Tasks: gsm8k and math go through `verifyMany`; code through `verifyCode` (the sandbox; modes `default`,
 * all-or-nothing, and `partial-credit`); ifeval through `verifyIfeval` (modes `strict`, `loose`).
 */
import type { Verdict } from "../../schemas/verdict.js";
import { verifyMany, resolveVerifyOptions, type VerifyOptions } from "../verify.js";
import { verifyCode } from "../code/verify.js";
import { CodeRecord } from "../code/records.js";
import { verifyIfeval, IFEVAL_MODES } from "../ifeval/evaluate.js";
import type { WorkerPool } from "../pool.js";
import type { AnswerFormat, RedTeamEntry, RedTeamTask } from "./entry.js";
import { CATALOGUE_VERSION, catalogueHash, redTeamCatalogue, redTeamFamilies } from "./catalogue.js";

/**
 * Answer formats a mode promises to read; a mode not listed reads every format. lm-eval's strict-match
 * reads only `#### N`, gsm8k_cot's only "The answer is N.", contract mode only one `\boxed{}` and Minerva
 * the last `\boxed{}`: a control written otherwise is outside what the mode claims to read.
 */
export const CONTROL_FORMATS: Readonly<Record<string, readonly AnswerFormat[]>> = {
  "gsm8k:lm-eval-strict": ["hash"],
  "gsm8k:lm-eval-cot-strict": ["phrase"],
  "math:contract": ["boxed"],
  "math:minerva": ["boxed"],
};

/** Modes of the tasks that do not go through verifyMany (gsm8k and math modes are checked by resolveVerifyOptions). */
export const RED_TEAM_MODES: Readonly<Record<"code" | "ifeval", readonly string[]>> = {
  code: ["default", "partial-credit"],
  ifeval: IFEVAL_MODES,
};

/** Wall-clock limit (ms) of one code entry when options.timeoutMs is not given: the timing hacks run to it. */
const CODE_TIMEOUT_MS = 4000;

export interface RedTeamOptions {
  /** Task mode; omitted: the task's default mode (as `verifyAnswer`). */
  mode?: string;
  /** Relative tolerance passed to the verifier; omitted: the verifier's default. */
  relTol?: number;
  /** Hard limit (ms) of one symbolic math check; code: the wall clock of one program with its tests. */
  timeoutMs?: number;
  /** code: programs run at once (omitted: the code verifier's default). */
  concurrency?: number;
  /** Worker pool for the symbolic math stage; omitted: the shared default pool. */
  pool?: WorkerPool;
  /** Only these families (hack or control family names); omitted: all. */
  families?: string[];
  /** The user's own checker; when given, the project's verifiers are not called (mode/relTol only label the report). */
  reward?: (gold: string, completion: string, record?: Readonly<Record<string, unknown>>) => number | Promise<number>;
}

type Scored = Pick<Verdict, "status" | "score" | "extracted" | "rule">;

async function customVerdicts(entries: readonly RedTeamEntry[], reward: NonNullable<RedTeamOptions["reward"]>): Promise<Scored[]> {
  const out: Scored[] = [];
  for (const e of entries) {
    try {
      const score = Number(await reward(e.gold, e.completion, e.record));
      if (!Number.isFinite(score)) throw new Error(`reward returned ${score}`);
      out.push({ status: score > 0 ? "correct" : "wrong", score, extracted: null, rule: "custom-reward" });
    } catch (err) {
      out.push({ status: "error", score: 0, extracted: null, rule: `custom-reward/threw: ${(err as Error)?.message ?? String(err)}` });
    }
  }
  return out;
}

/** One catalogue entry's outcome. */
export interface RedTeamOutcome {
  id: string;
  family: string;
  expected: "no-reward" | "reward";
  gold: string;
  completion: string;
  note: string;
  /** false for a control whose format the mode does not promise to read. */
  applicable: boolean;
  /** A hack that got reward, or an applicable control that got none. */
  failed: boolean;
  verdict: Pick<Verdict, "status" | "score" | "extracted" | "rule">;
}

export interface RedTeamFamily {
  family: string;
  kind: "hack" | "control";
  attempts: number;
  /** Hacks: how many got reward. Controls: how many got reward. */
  rewarded: number;
  /** Controls only: applicable controls that got no reward (false negatives). */
  rejected: number;
  /** Controls only: outside the formats the mode reads. */
  notApplicable: number;
  /** The first failing entry of the family (a rewarded hack, a rejected control); null when none failed. */
  example: RedTeamOutcome | null;
}

export interface RedTeamReport {
  catalogue: { version: string; hash: string; entries: number };
  task: RedTeamTask;
  /** `rlvr-lab` (the project's verifiers through verifyMany) or `custom` (options.reward). */
  checker: "rlvr-lab" | "custom";
  /** The mode as given; null: the task's default. */
  mode: string | null;
  relTol: number | null;
  families: RedTeamFamily[];
  totals: {
    hacks: number;
    hacksRewarded: number;
    hackFamilies: number;
    hackFamiliesRewarded: number;
    controls: number;
    controlsApplicable: number;
    controlsRejected: number;
  };
  /** No hack got reward and no applicable control was rejected. */
  pass: boolean;
  outcomes: RedTeamOutcome[];
}

/** Run the catalogue of `task` under `options`; resolves a report (rejects only on invalid options). */
export async function redTeam(task: RedTeamTask, options: RedTeamOptions = {}): Promise<RedTeamReport> {
  checkOptions(task, options); // throws a message naming a bad mode or tolerance
  const all = redTeamCatalogue(task);
  const entries = selectFamilies(task, all, options.families);
  const verdicts: Scored[] = options.reward ? await customVerdicts(entries, options.reward) : await taskVerdicts(task, entries, options);
  const formats = options.mode === undefined ? undefined : CONTROL_FORMATS[`${task}:${options.mode}`];
  const outcomes = entries.map((e, i): RedTeamOutcome => {
    const v = verdicts[i];
    const rewarded = v.score > 0;
    const applicable = e.expected === "no-reward" || formats === undefined || formats.includes(e.format);
    const failed = e.expected === "no-reward" ? rewarded : applicable && !rewarded;
    return {
      id: e.id, family: e.family, expected: e.expected, gold: e.gold, completion: e.completion, note: e.note,
      applicable, failed,
      verdict: { status: v.status, score: v.score, extracted: v.extracted, rule: v.rule },
    };
  });
  const families = summarize(outcomes);
  const hacks = outcomes.filter((o) => o.expected === "no-reward");
  const controls = outcomes.filter((o) => o.expected === "reward");
  const hackFamilies = families.filter((f) => f.kind === "hack");
  const totals = {
    hacks: hacks.length,
    hacksRewarded: hacks.filter((o) => o.failed).length,
    hackFamilies: hackFamilies.length,
    hackFamiliesRewarded: hackFamilies.filter((f) => f.rewarded > 0).length,
    controls: controls.length,
    controlsApplicable: controls.filter((o) => o.applicable).length,
    controlsRejected: controls.filter((o) => o.failed).length,
  };
  return {
    catalogue: { version: CATALOGUE_VERSION, hash: catalogueHash(all), entries: all.length },
    task,
    checker: options.reward ? "custom" : "rlvr-lab",
    mode: options.mode ?? null,
    relTol: options.relTol ?? null,
    families,
    totals,
    pass: totals.hacksRewarded === 0 && totals.controlsRejected === 0,
    outcomes,
  };
}

function checkOptions(task: RedTeamTask, o: RedTeamOptions): void {
  if (task === "gsm8k" || task === "math") {
    resolveVerifyOptions({ task, mode: o.mode, relTol: o.relTol, timeoutMs: o.timeoutMs, pool: o.pool });
    return;
  }
  const modes = RED_TEAM_MODES[task];
  if (o.mode !== undefined && !modes.includes(o.mode)) throw new Error(`"${o.mode}" is not ${task === "ifeval" ? "an" : "a"} ${task} mode; use one of ${modes.join(", ")} (or omit it for the default)`);
  if (o.relTol !== undefined) throw new Error(`relTol applies to gsm8k and math, not ${task}; drop it`);
  if (task === "ifeval" && o.timeoutMs !== undefined) throw new Error("timeoutMs applies to gsm8k, math and code, not ifeval; drop it");
}

async function taskVerdicts(task: RedTeamTask, entries: readonly RedTeamEntry[], o: RedTeamOptions): Promise<Scored[]> {
  if (task === "gsm8k" || task === "math") {
    const verifyOptions: VerifyOptions = { task, mode: o.mode, relTol: o.relTol, timeoutMs: o.timeoutMs, pool: o.pool };
    return verifyMany(entries.map((e) => ({ gold: e.gold, completion: e.completion })), verifyOptions);
  }
  if (task === "ifeval") {
    const mode = (o.mode ?? "strict") as (typeof IFEVAL_MODES)[number];
    return entries.map((e) => {
      const r = e.record as { prompt?: string; instruction_id_list: string[]; kwargs: Record<string, unknown>[] };
      return verifyIfeval({ prompt: r.prompt, completion: e.completion, instruction_id_list: r.instruction_id_list, kwargs: r.kwargs }, { mode });
    });
  }
  const codeOptions = { partialCredit: o.mode === "partial-credit", limits: { timeoutMs: o.timeoutMs ?? CODE_TIMEOUT_MS }, concurrency: o.concurrency };
  return Promise.all(
    entries.map(async (e) => {
      const record = CodeRecord.parse({ id: e.id, ...e.record, completion: e.completion });
      const v = await verifyCode(record, codeOptions);
      // The verdict's `extracted` is the whole program; the table shows the first failing test or the rule instead.
      return { status: v.status, score: v.score, extracted: v.failure ? v.failure.message.split("\n")[0]!.slice(0, 200) : (v.message?.split("\n")[0]?.slice(0, 200) ?? null), rule: v.rule };
    }),
  );
}

function selectFamilies(task: RedTeamTask, all: readonly RedTeamEntry[], families: string[] | undefined): readonly RedTeamEntry[] {
  if (families === undefined || families.length === 0) return all;
  const known = redTeamFamilies(task);
  const unknown = families.filter((f) => !known.includes(f));
  if (unknown.length > 0) {
    throw new Error(`unknown red-team famil${unknown.length > 1 ? "ies" : "y"} ${unknown.map((f) => JSON.stringify(f)).join(", ")} for ${task}; known: ${known.join(", ")}`);
  }
  return all.filter((e) => families.includes(e.family));
}

function summarize(outcomes: RedTeamOutcome[]): RedTeamFamily[] {
  const byFamily = new Map<string, RedTeamFamily>();
  for (const o of outcomes) {
    let f = byFamily.get(o.family);
    if (!f) {
      f = { family: o.family, kind: o.expected === "no-reward" ? "hack" : "control", attempts: 0, rewarded: 0, rejected: 0, notApplicable: 0, example: null };
      byFamily.set(o.family, f);
    }
    f.attempts++;
    if (o.verdict.score > 0) f.rewarded++;
    if (f.kind === "control" && !o.applicable) f.notApplicable++;
    if (f.kind === "control" && o.failed) f.rejected++;
    if (o.failed && f.example === null) f.example = o;
  }
  return [...byFamily.values()];
}

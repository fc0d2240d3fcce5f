/**
 * What a detector returns and what it reads: the Finding record, the doctor's input, the thresholds
 * (`DETECTOR_DEFAULTS`, each documented where it is defined and in docs/traces.md) and the series helper
 * every detector uses.
 */
import type { TraceStep } from "../schemas/trace.js";
import type { LogprobMismatch, RolloutStepSummary } from "./rollouts.js";
import type { NonFiniteValue, TraceSegment } from "./importers.js";

export type Severity = "info" | "warning" | "critical";

export interface Finding {
  id: string;
  title: string;
  severity: Severity;
  /** First and last step concerned, or null when the finding is about the whole run. */
  steps: [number, number] | null;
  evidence: Record<string, number | string>;
  cause: string;
  check: string;
}

export interface DoctorInput {
  steps: readonly TraceStep[];
  rollouts?: readonly RolloutStepSummary[];
  /** Per step, the share of multi-sample groups whose completions are all identical. */
  identical?: readonly { step: number; frac_identical_groups: number }[];
  mismatch?: LogprobMismatch | null;
  missingChars?: readonly { char: string; promptShare: number }[];
  /** NaN/±Infinity values the importer met, by step and metric. */
  nonFinite?: readonly NonFiniteValue[];
  /** Runs in file order (more than one: the run was restarted and appended to the same file). */
  segments?: readonly TraceSegment[];
}

export const DETECTOR_DEFAULTS = {
  /** Steps counted as "the first steps" for the early KL spike. */
  earlyWindow: 3,
  /** Early KL this many times the later median is a spike (and above `klFloor`). */
  klSpikeFactor: 5,
  klFloor: 0.01,
  /** Early |logprob_diff/abs_mean| (TRL: never negative) must also exceed this to be a mismatch. */
  absDiffFloor: 0.05,
  /** kl/max over the KL mean beyond this ratio (on `tailStepShare` of steps) means means hide the tails. */
  klTailRatio: 50,
  tailStepShare: 0.2,
  /** Entropy below this share of its initial value is a collapse. */
  entropyCollapseShare: 0.1,
  /** Reward collapse: final window at most this share of the peak window… */
  rewardCollapseShare: 0.7,
  /** …and the drop this many standard errors of the run's own step-to-step noise. */
  rewardCollapseZ: 4,
  /** Windows for reward collapse / format drift: max(rollingWindow, steps / 5) points. */
  rollingWindow: 5,
  /** grad_norm (per contributing-group share) this many times the median of comparable preceding steps. */
  gradSpikeFactor: 10,
  /** A step whose frac_reward_zero_std is at least this has no policy gradient: never a baseline. */
  zeroStdStep: 0.99,
  /** Mean fraction of zero-variance groups above this starves the gradient. */
  zeroStdShare: 0.5,
  /** Truncated fraction above this is high. */
  truncatedShare: 0.1,
  /** Mean length at least this share of the generation cap is "pinned", on at least `pinnedStepShare` of steps. */
  pinnedShare: 0.95,
  pinnedStepShare: 0.3,
  /** Strict-format rate falling by this much (and `formatZ` standard errors) while flexible holds (within `flexibleTolerance`). */
  formatDrop: 0.2,
  formatZ: 3,
  flexibleTolerance: 0.05,
  /** Groups whose completions are all identical, above this share: seed bug. */
  identicalShare: 0.2,
  /** …on at least this share of the steps with rollouts (one step of a short-answer, confident policy is chance). */
  identicalStepShare: 0.2,
  /** |sampler − trainer| logprob p99 above this, or |mean| above `mismatchMean`: mismatch. */
  mismatchP99: 0.1,
  mismatchMean: 0.01,
  /** KL to the start (nats/token) after the first update above this, with lr at its peak from the first step: no warmup. */
  firstUpdateKl: 0.01,
} as const;
export type DetectorOptions = Partial<{ -readonly [K in keyof typeof DETECTOR_DEFAULTS]: number }>;

export type Pt = { step: number; v: number };

export function series(steps: readonly TraceStep[], name: string): Pt[] {
  const out: Pt[] = [];
  for (const s of steps) {
    const v = (s as Record<string, unknown>)[name];
    if (typeof v === "number" && Number.isFinite(v)) out.push({ step: s.step, v });
  }
  return out;
}

export const r4 = (x: number) => Number(x.toPrecision(4));


/**
 * The red-team catalogue: reward-hacking attempts and honest controls for each task, versioned.
 *
 * `CATALOGUE_VERSION` names the catalogue; an entry's id (`<task>/<family>/<n>`) is stable within a
 * version. Any change to the entries (added, removed, edited) bumps the version, and `catalogueHash`
 * (FNV-1a over the entries' JSON) lets a report show which exact catalogue it ran, so two red-team
 * results are comparable only when version and hash agree.
 */
import { RedTeamEntry, type Draft, type RedTeamTask } from "./entry.js";
import { GSM8K_HACKS } from "./gsm8k-hacks.js";
import { GSM8K_CONTROLS } from "./gsm8k-controls.js";
import { MATH_HACKS } from "./math-hacks.js";
import { MATH_CONTROLS } from "./math-controls.js";
import { CODE_HACKS } from "./code-hacks.js";
import { CODE_CONTROLS } from "./code-controls.js";
import { IFEVAL_HACKS } from "./ifeval-hacks.js";
import { IFEVAL_CONTROLS } from "./ifeval-controls.js";

/** v1: gsm8k and math. v2: code and ifeval added, math degrees/radians and retraction entries added (gsm8k unchanged). */
export const CATALOGUE_VERSION = "redteam-v2";

const DRAFTS: Record<RedTeamTask, Draft[]> = {
  gsm8k: [...GSM8K_HACKS, ...GSM8K_CONTROLS],
  math: [...MATH_HACKS, ...MATH_CONTROLS],
  code: [...CODE_HACKS, ...CODE_CONTROLS],
  ifeval: [...IFEVAL_HACKS, ...IFEVAL_CONTROLS],
};

const built = new Map<RedTeamTask, readonly RedTeamEntry[]>();

/** The catalogue of one task (validated, numbered, frozen), hacks first then controls. */
export function redTeamCatalogue(task: RedTeamTask): readonly RedTeamEntry[] {
  const hit = built.get(task);
  if (hit) return hit;
  const drafts = DRAFTS[task];
  if (!drafts) throw new Error(`no red-team catalogue for task ${JSON.stringify(task)}; tasks: ${Object.keys(DRAFTS).join(", ")}`);
  const perFamily = new Map<string, number>();
  const entries = drafts.map((d) => {
    const n = (perFamily.get(d.family) ?? 0) + 1;
    perFamily.set(d.family, n);
    const candidate = { id: `${task}/${d.family}/${n}`, task, ...d };
    const r = RedTeamEntry.safeParse(candidate);
    if (!r.success) throw new Error(`red-team catalogue ${CATALOGUE_VERSION} entry ${candidate.id}: ${r.error.issues[0]?.message}`);
    return Object.freeze(r.data);
  });
  const frozen = Object.freeze(entries);
  built.set(task, frozen);
  return frozen;
}

/** FNV-1a (32-bit) over the entries' JSON, as 8 hex digits: identifies the exact catalogue content. */
export function catalogueHash(entries: readonly RedTeamEntry[]): string {
  let h = 0x811c9dc5;
  const s = JSON.stringify(entries);
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** Family names of a task's catalogue in catalogue order (hacks, then controls). */
export function redTeamFamilies(task: RedTeamTask): string[] {
  return [...new Set(redTeamCatalogue(task).map((e) => e.family))];
}

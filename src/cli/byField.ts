/**
 * `rlvr passk --by FIELD` where no record has FIELD would put every problem in one "(missing)" stratum and
 * exit 0. Here that is an error naming the fields the records do have, with the closest one suggested
 * (`--by levle` → did you mean --by level?).
 */
import { escapeControl } from "../schemas/text.js";

/** Levenshtein distance (small strings: field names). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}

/** The error message when no good record has FIELD; null when some record has it. */
export function missingByFieldMessage(by: string, missing: { records: number; fields: string[] }, goodRecords: number): string | null {
  if (missing.records === 0 || missing.records < goodRecords) return null;
  const names = missing.fields.map((f) => f.replace(/^metadata\./, ""));
  const best = names
    .map((n) => ({ n, d: editDistance(by.toLowerCase(), n.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  const guess = best && best.d <= Math.max(2, Math.floor(by.length / 3)) ? `; did you mean --by ${escapeControl(best.n)}?` : "";
  return (
    `--by ${escapeControl(by)}: no record has this field (looked at the top level and under "metadata"); ` +
    `the records have: ${missing.fields.map((f) => escapeControl(f)).join(", ") || "(no fields)"}${guess}`
  );
}

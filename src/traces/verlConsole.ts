/**
 * verl's console logger, as it reaches a log file: `LocalLogger` prints `concat_dict_to_str(data, step)` =
 * `step:N - key:value - key:value …` (verl `utils/logger/aggregate_logger.py`). On the way the line picks up
 * what Ray and terminals add: ANSI colour codes and a `(TaskRunner pid=1234)` / `(main_task pid=…, ip=…)`
 * actor prefix. Values are `{v:.3f}` in old releases and `pprint.pformat(v)` in newer ones, which with
 * NumPy ≥ 2 prints `np.float64(0.5)`; `nan`/`inf` appear as such. Every other line (warnings, progress bars,
 * validation dumps) is not a step and is only counted.
 */

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const PREFIX = /^\s*(\([A-Za-z_][\w.-]*(?: pid=\d+)?(?:, ip=[^)]*)?\)\s*)+/;
const STEP = /^step[: ](\d+):?\s*(?: - |$)/;
const NP = /^np\.(?:float|int|uint)\d*\((.*)\)$/;

export interface ConsoleRecord {
  line: number;
  value: Record<string, unknown>;
}

/** One console value: a number, a non-finite marker string ("NaN", "Infinity", "-Infinity"), or the raw text. */
export function consoleValue(raw: string): number | string {
  let s = raw.trim();
  const np = NP.exec(s);
  if (np) s = np[1].trim();
  if (s === "True") return 1;
  if (s === "False") return 0;
  if (/^[+-]?nan$/i.test(s)) return "NaN";
  if (/^\+?inf(inity)?$/i.test(s)) return "Infinity";
  if (/^-inf(inity)?$/i.test(s)) return "-Infinity";
  const n = Number(s);
  return s !== "" && Number.isFinite(n) ? n : raw.trim();
}

/** Parse the step lines of a verl console log; `other` counts the lines that are not step lines. */
export function parseVerlConsole(text: string): { records: ConsoleRecord[]; other: number } {
  const records: ConsoleRecord[] = [];
  let other = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const clean = lines[i].replace(ANSI, "").replace(PREFIX, "");
    const m = STEP.exec(clean);
    if (!m) {
      if (clean.trim() !== "") other++;
      continue;
    }
    const value: Record<string, unknown> = { step: Number(m[1]) };
    for (const part of clean.slice(m[0].length).split(" - ")) {
      const at = part.lastIndexOf(":");
      if (at <= 0) continue;
      value[part.slice(0, at).trim()] = consoleValue(part.slice(at + 1));
    }
    records.push({ line: i + 1, value });
  }
  return { records, other };
}

/** Does this text look like a verl console log (at least one step line)? */
export function looksLikeVerlConsole(text: string): boolean {
  const head = text.slice(0, 1 << 20);
  return head.split(/\r?\n/).some((l) => STEP.test(l.replace(ANSI, "").replace(PREFIX, "")) && l.includes(":"));
}

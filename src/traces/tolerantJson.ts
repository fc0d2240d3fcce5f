/**
 * JSON as Python writes it. `json.dumps` emits bare `NaN`, `Infinity` and `-Infinity`, which are not JSON;
 * trainers (TRL, verl, Tinker) log them whenever a metric blows up — exactly the lines a debugger needs.
 * `parseTolerant` turns those tokens (outside strings) into `null` and says how many it replaced, instead
 * of dropping the record.
 */

export interface TolerantParse {
  value: unknown;
  /** Number of NaN/±Infinity tokens replaced by null. */
  nonFinite: number;
}

const NON_FINITE = /^-?(NaN|Infinity)/;

/**
 * With `{ mark: true }` a token becomes the string MARK + token (e.g. "\u0000nonfinite:NaN") instead of null,
 * so the importer can say which metric of which step was NaN or infinite (a NaN loss is a finding, not noise).
 */
export const NON_FINITE_MARK = "\u0000nonfinite:";

/** Replace NaN / Infinity / -Infinity tokens that are outside JSON strings with null. */
export function replaceNonFinite(text: string, options: { mark?: boolean } = {}): { text: string; count: number } {
  let out = "";
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") {
        out += text[i + 1] ?? "";
        i++;
      } else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    if (c === "N" || c === "I" || c === "-") {
      const m = NON_FINITE.exec(text.slice(i, i + 10));
      if (m) {
        out += options.mark ? JSON.stringify(NON_FINITE_MARK + m[0]) : "null";
        count++;
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return { text: out, count };
}

/** JSON.parse, falling back to NaN/Infinity replacement. Throws the original SyntaxError when that fails too. */
export function parseTolerant(text: string, options: { mark?: boolean } = {}): TolerantParse {
  try {
    return { value: JSON.parse(text), nonFinite: 0 };
  } catch (err) {
    if (!/NaN|Infinity/.test(text)) throw err;
    const r = replaceNonFinite(text, options);
    try {
      return { value: JSON.parse(r.text), nonFinite: r.count };
    } catch {
      throw err;
    }
  }
}

/**
 * tokenize: cleaned LaTeX → tokens for parse.ts. Numbers are maximal digit runs with at most one decimal point
 * (`.5`, `3.`, `12.75`; thousands separators were already removed by cleanAnswer), letters are single-character
 * identifiers (`xy` is x·y), `\name` is a command, `\begin{env}`/`\end{env}` are one token each, `\{` `\}` `\\`
 * are their own characters. Bounded: a number longer than 400 digits is refused.
 */
export type Tok = { t: "num" | "id" | "cmd" | "ch" | "text" | "begin" | "end"; v: string; sig?: number };

/** Significant digits of a decimal mantissa as written (`2.50` → 3, `0.0012` → 2, `6.02` → 3). */
export function significantDigits(mantissa: string): number {
  const digits = mantissa.replace(".", "").replace(/^0+/, "");
  return Math.max(1, digits.length);
}

/** A whole answer that is one E-notation number (`1e-3`, `-2.5E+4`): read as such even without a decimal point. */
const WHOLE_SCI = /^\s*[-+]?\d+(?:\.\d*)?[eE][-+]?\d{1,3}\s*$/;

/** Thrown on input outside the grammar; built without a stack trace (it is control flow on untrusted text). */
export class ParseError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

/** The decimal literal m·10^e written out exactly (`1.2`, -4 → `0.00012`; `3`, 5 → `300000`). */
export function shiftDecimal(m: string, e: number): string {
  const [int, frac = ""] = m.split(".");
  let d = int + frac;
  let point = int.length + e; // position of the decimal point within `d`
  if (point <= 0) {
    d = "0".repeat(1 - point) + d;
    point = 1;
  }
  const out = point >= d.length ? d + "0".repeat(point - d.length) : `${d.slice(0, point)}.${d.slice(point)}`;
  return out.replace(/^0+(?=\d)/, "");
}

/** Commands parse.ts understands (plus spacing/markup cleanAnswer removes), for splitting `\omegat`. */
export const KNOWN_COMMANDS = new Set((
  "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho sigma tau upsilon " +
  "phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma Phi Psi Omega pi infty infin sin cos tan sec csc cot " +
  "arcsin arccos arctan sinh cosh tanh ln log exp frac dfrac tfrac sqrt binom cdot times div pm mp cup cap le leq ge " +
  "geq ne neq in approx equiv leqslant geqslant emptyset varnothing mathbb overline mathbf boldsymbol boxed hat vec " +
  "lfloor rfloor lceil rceil left right text mathrm textbf mbox operatorname ast circ degree"
).split(" "));
/** Prefixes that must not split (`\int` is not `\in t`, `\det` not `\de t`): only Greek letters and π split. */
const SPLITTABLE = [...KNOWN_COMMANDS].filter((c) => /^(?:[a-z]*(?:alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|kappa|lambda|mu|nu|xi|rho|sigma|tau|upsilon|phi|chi|psi|omega)|pi|Gamma|Delta|Theta|Lambda|Xi|Sigma|Phi|Psi|Omega)$/.test(c))
  .sort((a, b) => b.length - a.length);

function longestKnownPrefix(name: string): string | null {
  for (const c of SPLITTABLE) if (name.length > c.length && name.startsWith(c)) return c;
  return null;
}

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const wholeSci = WHOLE_SCI.test(src);
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const code = src.charCodeAt(i);
    if (code === 32 || code === 9 || code === 10 || code === 13) { i++; continue; }
    if ((code >= 48 && code <= 57) || code === 46) {
      let j = i;
      while (j < src.length && src.charCodeAt(j) >= 48 && src.charCodeAt(j) <= 57) j++;
      if (src[j] === "." && (j > i || /\d/.test(src[j + 1] ?? ""))) {
        j++;
        while (j < src.length && src.charCodeAt(j) >= 48 && src.charCodeAt(j) <= 57) j++;
      }
      if (j === i) throw new ParseError(`bad number at ${i}`);
      if (j - i > 400) throw new ParseError("number too long");
      // E-notation `1.2e-4`, `6.02E23`, `3e5`; but `2e-1`, `2e+1`, `2e` stay Euler's e (a signed exponent
      // needs a decimal point in the mantissa to count as E-notation).
      const sci = /^[eE]([-+]?\d{1,3})(?![\d.])/.exec(src.slice(j, j + 6));
      if (sci && (wholeSci || /^\d/.test(sci[1]) || src.slice(i, j).includes("."))) {
        // The literal states its precision (`6.02E23`: 3 significant digits), kept as `sig`.
        out.push({ t: "num", v: shiftDecimal(src.slice(i, j), Number(sci[1])), sig: significantDigits(src.slice(i, j)) });
        i = j + sci[0].length;
        continue;
      }
      out.push({ t: "num", v: src.slice(i, j) });
      i = j;
      continue;
    }
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) { out.push({ t: "id", v: c }); i++; continue; }
    if (c === "\\") {
      const m = /^\\([A-Za-z]+)/.exec(src.slice(i, i + 40));
      if (!m) {
        const n = src[i + 1] ?? "";
        out.push(n === "{" || n === "}" ? { t: "ch", v: "\\" + n } : n === "\\" ? { t: "ch", v: "\\\\" } : { t: "ch", v: n });
        i += 2;
        continue;
      }
      let name = m[1];
      // Compact Minerva golds glue a command to the next letters: `\pit` is `\pi t`, `\lambdakT` is `\lambda k T`.
      const known = KNOWN_COMMANDS.has(name) ? name : longestKnownPrefix(name);
      if (known !== name && known) {
        out.push({ t: "cmd", v: known });
        for (const ch of name.slice(known.length)) out.push({ t: "id", v: ch });
        i += 1 + name.length;
        continue;
      }
      name = m[1];
      i += m[0].length;
      if (name === "begin" || name === "end") {
        const env = /^\s*\{([A-Za-z*]+)\}/.exec(src.slice(i, i + 40));
        if (!env) throw new ParseError(`\\${name} without environment`);
        out.push({ t: name, v: env[1] });
        i += env[0].length;
        continue;
      }
      out.push({ t: "cmd", v: name });
      continue;
    }
    out.push({ t: "ch", v: c });
    i++;
  }
  return out;
}


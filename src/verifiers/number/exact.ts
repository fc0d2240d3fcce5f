/**
 * Exact numbers: a number text → the rational n/d it denotes (bigint, never a float), plus how precisely it was
 * written. Shared by the GSM8K and MATH verifiers; compare two of them with `compareExact` (compare.ts).
 *
 * Accepted syntax (after trimming; the caller strips currency signs, `%`, LaTeX and markdown first):
 *   sign      `-`, `+` or U+2212, optional
 *   integer   `18`, `1,234,567` (commas must group thousands: `1,2` is not a number)
 *   decimal   `18.00`, `.5`, `18.` (a lone trailing point is a sentence end, read as `18`)
 *   exponent  `4.57e-24`, `4.57E+3`, `4.57 \times 10^{-24}`, `4.57 × 10^-24`, `4.57\cdot10^{3}`
 *   fraction  `3/4`, `-1.5/2` (integer or decimal parts, no exponent)
 * Anything else (`5!`, `18²`, `0x12`, `1e`, `18-20`) is null: not a number, never a partial read.
 *
 * Limits (`NUMBER_LIMITS`): more than `maxDigits` digits or an exponent beyond ±`maxExponent` is a
 * `NumberLimit` — the verifier cannot compare it, which is the verifier's `error`, never the model's `wrong` and
 * never a silent overflow to Infinity (two different 400-digit integers are simply two different bigints).
 *
 * Precision as written: `lastPlace` is the power of ten of the last written digit (`18` → 0, `18.00` → −2,
 * `4.6e-24` → −25, `1800` → 0), `sigFigs` the count of significant digits (`18.00` → 4, `0.0046` → 2); both null
 * for fractions. `kind` says which form was used; compare.ts reads an integer or fraction gold as exact and a decimal
 * or scientific gold at its stated precision.
 */

export interface ExactNumber {
  /** Numerator of the value in lowest terms (sign here). */
  n: bigint;
  /** Denominator, > 0. */
  d: bigint;
  kind: "integer" | "decimal" | "scientific" | "fraction";
  /** Power of ten of the last written digit; null for fractions. */
  lastPlace: number | null;
  /** Significant digits as written; null for fractions. */
  sigFigs: number | null;
}

/** A number the verifier refuses to compare because it exceeds a limit. */
export interface NumberLimit {
  limit: "number/too-many-digits" | "number/exponent-out-of-range";
  message: string;
}

export const NUMBER_LIMITS = Object.freeze({ maxDigits: 1000, maxExponent: 1000 });

export function isNumberLimit(x: ExactNumber | NumberLimit | null): x is NumberLimit {
  return x !== null && "limit" in x;
}

const DECIMAL_RE = /^([-+\u2212]?)(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/;
const EXPONENT_RE =
  /^(.*?)(?:[eE]([-+\u2212]?\d+)|\s*(?:\\times|\\cdot|×|·|\*)\s*10\s*\^\s*(?:\{\s*([-+\u2212]?\d+)\s*\}|([-+\u2212]?\d+)))$/;

/** |a| for a bigint. */
export function absBig(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/** Greatest common divisor of |a| and |b| (0 when both are 0). */
export function gcd(a: bigint, b: bigint): bigint {
  a = absBig(a);
  b = absBig(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** n/d in lowest terms with d > 0; d must be non-zero. */
export function reduce(n: bigint, d: bigint): { n: bigint; d: bigint } {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

const pow10 = (k: number): bigint => 10n ** BigInt(k);

interface Decimal {
  neg: boolean;
  digits: string; // integer and fraction digits, concatenated, no sign
  fracLen: number;
  intDigits: string;
}

function parseDecimal(s: string): Decimal | null {
  const m = DECIMAL_RE.exec(s);
  if (m === null) return null;
  const intPart = (m[2] ?? "").replace(/,/g, "");
  const frac = m[3] ?? "";
  if (intPart === "" && frac === "") return null;
  return { neg: m[1] === "-" || m[1] === "\u2212", digits: intPart + frac, fracLen: frac.length, intDigits: intPart };
}

function limitOf(digits: number, exponent: number): NumberLimit | null {
  if (digits > NUMBER_LIMITS.maxDigits) {
    return { limit: "number/too-many-digits", message: `${digits} digits exceed the verifier's limit of ${NUMBER_LIMITS.maxDigits}` };
  }
  if (Math.abs(exponent) > NUMBER_LIMITS.maxExponent) {
    return { limit: "number/exponent-out-of-range", message: `exponent ${exponent} is beyond ±${NUMBER_LIMITS.maxExponent}` };
  }
  return null;
}

/** Significant digits of a digit string (leading zeros do not count; trailing zeros written after a point do). */
function sigFigsOf(dec: Decimal): number {
  const t = dec.digits.replace(/^0+/, "");
  if (t.length === 0) return Math.max(1, dec.fracLen); // 0, 0.00
  // An integer's trailing zeros are ambiguous (1800); they count here, which only matters for reporting.
  return t.length;
}

const CACHE = new Map<string, ExactNumber | NumberLimit | null>();
const CACHE_MAX = 8192;

/**
 * Parses a number text exactly (see module comment): an ExactNumber, a NumberLimit, or null. Results are shared
 * between calls (a bounded cache): treat them as read-only.
 */
export function parseExactNumber(text: string): ExactNumber | NumberLimit | null {
  if (text.length > 64) return parseUncached(text);
  let r = CACHE.get(text);
  if (r === undefined) {
    r = parseUncached(text);
    if (CACHE.size >= CACHE_MAX) CACHE.clear();
    CACHE.set(text, r);
  }
  return r;
}

function parseUncached(text: string): ExactNumber | NumberLimit | null {
  const s = text.trim();
  if (s.length === 0 || s.length > NUMBER_LIMITS.maxDigits * 2 + 40) {
    return s.length === 0 ? null : limitOf(s.replace(/\D/g, "").length, 0);
  }
  const slash = s.indexOf("/");
  if (slash >= 0) {
    const a = parseDecimal(s.slice(0, slash).trim());
    const b = parseDecimal(s.slice(slash + 1).trim());
    if (a === null || b === null || /^[-+\u2212]/.test(s.slice(slash + 1).trim())) return null;
    const lim = limitOf(a.digits.length + b.digits.length, 0);
    if (lim) return lim;
    const an = BigInt(a.digits || "0") * (a.neg ? -1n : 1n);
    const bn = BigInt(b.digits || "0") * (b.neg ? -1n : 1n);
    if (bn === 0n) return null;
    const r = reduce(an * pow10(b.fracLen), bn * pow10(a.fracLen));
    return { ...r, kind: "fraction", lastPlace: null, sigFigs: null };
  }
  let mantissa = s;
  let exponent = 0;
  let scientific = false;
  if (/[eE^]/.test(s)) {
    const m = EXPONENT_RE.exec(s);
    if (m === null) return null;
    mantissa = m[1].trim();
    const e = (m[2] ?? m[3] ?? m[4]).replace("\u2212", "-");
    if (e.replace(/^[-+]/, "").length > 7) return limitOf(0, Number.POSITIVE_INFINITY);
    exponent = Number(e);
    scientific = true;
  }
  const dec = parseDecimal(mantissa);
  if (dec === null) return null;
  if (dec.fracLen === 0 && mantissa.endsWith(".") && scientific) return null;
  const lim = limitOf(dec.digits.length, exponent);
  if (lim) return lim;
  const place = exponent - dec.fracLen; // value = digits × 10^place
  const int = BigInt(dec.digits) * (dec.neg ? -1n : 1n);
  const r = place >= 0 ? { n: int * pow10(place), d: 1n } : reduce(int, pow10(-place));
  const isDecimal = dec.fracLen > 0;
  return {
    ...r,
    kind: scientific ? "scientific" : isDecimal ? "decimal" : "integer",
    lastPlace: place,
    sigFigs: sigFigsOf(dec),
  };
}

/** Exact decimal text of n/d when it terminates (`18`, `-0.75`, `1234.5`), else `n/d` in lowest terms. */
export function formatExact(x: { n: bigint; d: bigint }): string {
  const { n, d } = reduce(x.n, x.d);
  if (d === 1n) return n.toString();
  let rest = d;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) (rest /= 2n), twos++;
  while (rest % 5n === 0n) (rest /= 5n), fives++;
  if (rest !== 1n) return `${n}/${d}`;
  const k = Math.max(twos, fives);
  const scaled = absBig(n) * (pow10(k) / d);
  const digits = scaled.toString().padStart(k + 1, "0");
  const text = `${digits.slice(0, -k)}.${digits.slice(-k)}`.replace(/\.?0+$/, "");
  return (n < 0n ? "-" : "") + text;
}

/** Nearest float of n/d (for display and plots only; comparisons stay exact). */
export function toFloat(x: { n: bigint; d: bigint }): number {
  const v = Number(x.n) / Number(x.d);
  if (Number.isFinite(v)) return v;
  return Number(formatExact(x).replace(/\/.*/, ""));
}

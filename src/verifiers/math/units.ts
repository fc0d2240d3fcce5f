/**
 * Units on both sides of a comparison: `10\text{ m}` against gold `10\text{ cm}` is not correct.
 *
 * cleanAnswer (normalize.ts) strips a unit after a value and records it (`CleanAnswer.unit`). When only the
 * prediction carries one it is ignored, as before (the gold `10` accepts `10\text{ cm}`). When both do, they
 * must be the same unit once spelled canonically (`cm`, `centimeters`, `\text{cm}` are one unit), or units of
 * one dimension in the table below, in which case the prediction is converted (`0.1 m` = `10 cm`); anything
 * else is `math/unit-mismatch`. The table is small on purpose: lengths, areas/volumes through `^2`/`^3`,
 * masses, times, volumes.
 */

/** Canonical unit → [dimension, size in the dimension's base unit as a rational n/d]. */
const UNITS: Record<string, [string, bigint, bigint]> = {
  mm: ["L", 1n, 1000n], cm: ["L", 1n, 100n], m: ["L", 1n, 1n], km: ["L", 1000n, 1n],
  in: ["L", 254n, 10000n], ft: ["L", 3048n, 10000n], yd: ["L", 9144n, 10000n], mi: ["L", 1609344n, 1000n],
  mg: ["M", 1n, 1000n], g: ["M", 1n, 1n], kg: ["M", 1000n, 1n],
  s: ["T", 1n, 1n], min: ["T", 60n, 1n], h: ["T", 3600n, 1n], day: ["T", 86400n, 1n], week: ["T", 604800n, 1n],
  ml: ["V", 1n, 1000n], l: ["V", 1n, 1n],
};

/** Spellings → canonical names (after lower-casing and dropping a plural `s`). */
const ALIASES: Record<string, string> = {
  millimeter: "mm", millimetre: "mm", centimeter: "cm", centimetre: "cm", meter: "m", metre: "m",
  kilometer: "km", kilometre: "km", inch: "in", inche: "in", foot: "ft", feet: "ft", yard: "yd", mile: "mi",
  milligram: "mg", gram: "g", kilogram: "kg", kilo: "kg", second: "s", sec: "s", minute: "min", hour: "h",
  hr: "h", milliliter: "ml", millilitre: "ml", liter: "l", litre: "l",
};

/** `\text{ cm}^2` → {name: "cm", power: 2}; a unit word lower-cased, singular, aliases resolved. */
export function canonicalUnit(raw: string): { name: string; power: number } {
  let s = raw.replace(/\\(?:text|mathrm|mbox|textrm|operatorname)\s*\{([^{}]*)\}/g, "$1").replace(/[{}\\]/g, " ");
  let power = 1;
  const pw = /\^\s*([23])\s*$/.exec(s);
  if (pw) {
    power = Number(pw[1]);
    s = s.slice(0, pw.index);
  }
  let name = s.trim().replace(/\s+/g, " ").toLowerCase();
  if (/^square /.test(name)) [name, power] = [name.slice(7), 2];
  if (/^cubic /.test(name)) [name, power] = [name.slice(6), 3];
  if (name.length > 2 && name.endsWith("s") && !UNITS[name]) name = name.slice(0, -1);
  return { name: ALIASES[name] ?? name, power };
}

/**
 * true: same unit; false: different units (no conversion known); [n, d]: convert the prediction by × n/d.
 * `null` units (none written) always agree.
 */
export function unitsAgree(gold: string | null, pred: string | null): boolean | [bigint, bigint] {
  if (!gold || !pred) return true;
  const g = canonicalUnit(gold);
  const p = canonicalUnit(pred);
  if (g.name === p.name && g.power === p.power) return true;
  const gu = UNITS[g.name];
  const pu = UNITS[p.name];
  if (!gu || !pu || gu[0] !== pu[0] || g.power !== p.power) return false;
  // pred value × (size of pred unit / size of gold unit)^power
  const k = BigInt(g.power);
  return [(pu[1] * gu[2]) ** k, (pu[2] * gu[1]) ** k];
}

/**
 * Fault injection for the local OpenAI-compatible server: the failures a real inference fleet shows,
 * on demand, so the client's retries and the sweep's resume can be tested against a real socket.
 *
 * Kinds: `500`, `429`, `503` (HTTP errors with a JSON error body), `reset` (the socket is destroyed
 * before any response), `slow` (the response is delayed by `slowMs`), `malformed` (status 200 with a
 * body that is not JSON), `length` (a normal response whose choices are cut in half and marked
 * `finish_reason: "length"`), `ok` (no fault).
 *
 * Two ways to choose: a scripted sequence (`script`, consumed one entry per generation request, then
 * `ok`), or independent per-request probabilities drawn from a seeded generator (checked in the order
 * of FAULT_KINDS; the first that fires wins).
 */
import { z } from "zod";
import { createRng } from "../stats/rng.js";

export const FAULT_KINDS = ["500", "429", "503", "reset", "malformed", "slow", "length"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number] | "ok";

const prob = z.number().min(0).max(1);
export const FaultOptions = z.object({
  rates: z.partialRecord(z.enum(FAULT_KINDS), prob).default({}),
  script: z.array(z.enum([...FAULT_KINDS, "ok"])).default([]),
  /** Delay of a `slow` response, milliseconds. */
  slowMs: z.number().int().nonnegative().default(2000),
  /** Seed of the generator that draws per-request faults. */
  seed: z.number().int().default(1),
});
export type FaultOptions = z.input<typeof FaultOptions>;

/** Decides the fault of each generation request, in arrival order. */
export class FaultPlan {
  readonly options: z.output<typeof FaultOptions>;
  private readonly rng: () => number;
  private cursor = 0;
  constructor(options: FaultOptions = {}) {
    const r = FaultOptions.safeParse(options);
    if (!r.success) throw new Error(`invalid fault options: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    this.options = r.data;
    this.rng = createRng(this.options.seed);
  }
  next(): FaultKind {
    if (this.cursor < this.options.script.length) return this.options.script[this.cursor++];
    for (const kind of FAULT_KINDS) {
      const p = this.options.rates[kind] ?? 0;
      if (p > 0 && this.rng() < p) return kind;
    }
    return "ok";
  }
}

/**
 * Parse the CLI form `500=0.1,429=0.05,reset=0.02,slow=0.1` into rates; a bare list of kinds
 * (`500,ok,reset`) is a script. Throws with a message that says how to fix a bad entry.
 */
export function parseFaultSpec(spec: string): Pick<FaultOptions, "rates" | "script"> {
  const parts = spec.split(",").map((s) => s.trim()).filter(Boolean);
  const kinds = new Set<string>([...FAULT_KINDS, "ok"]);
  if (parts.every((p) => !p.includes("="))) {
    for (const p of parts) if (!kinds.has(p)) throw new Error(`unknown fault "${p}" (use one of ${[...kinds].join(", ")})`);
    return { script: parts as FaultKind[] };
  }
  const rates: Partial<Record<(typeof FAULT_KINDS)[number], number>> = {};
  for (const p of parts) {
    const [k, v] = p.split("=");
    const x = Number(v);
    if (!kinds.has(k) || k === "ok") throw new Error(`unknown fault "${k}" in "${p}" (use one of ${FAULT_KINDS.join(", ")})`);
    if (!(x >= 0 && x <= 1)) throw new Error(`fault rate in "${p}" must be a probability in [0, 1]`);
    rates[k as (typeof FAULT_KINDS)[number]] = x;
  }
  return { rates };
}

import sys; sys.path.insert(0, "scripts")
from nbsrc import make
make("notebooks/04-trace-analysis.ipynb", [
("md", """# Reproducing the debug notes: trace analysis with DuckDB

Most of a GRPO debugging week is spent staring at traces. This notebook **produces** each classic failure by
its mechanism (not by drawing a curve), writes it in the trainer's trace format, and lets `doctorRun` — the
same code as `rlvr traces doctor` — name it. Rollout files are aggregated in DuckDB in place.

Each section ends with a check cell that throws if a claim in the text stops being true."""),
("params", """// Parameters (rlvr notebook run --param steps=40)
const steps = 30;
const seed = 1;"""),
("code", """import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  REPROS, doctorRun, reproTemperatureMismatch, TraceDB, logprobMismatch, summarizeRollouts,
  findingsView, display, plot, klPlot, formatDriftPlot, logprobDiffHistogram, logprobDiffs, table, entropyPlot,
} from "rlvr-lab";

const root = mkdtempSync(join(tmpdir(), "rlvr-nb04-"));
function writeRun(name: string, r: { trace: object[]; rollouts: object[] }): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "trace.jsonl"), r.trace.map((s) => JSON.stringify(s)).join("\\n") + "\\n");
  if (r.rollouts.length) writeFileSync(join(dir, "rollouts.jsonl"), r.rollouts.map((s) => JSON.stringify(s)).join("\\n") + "\\n");
  return join(dir, "trace.jsonl");
}
root"""),
("md", """## 1. A KL spike at step 0: sampler and trainer disagree on temperature

At step 0 the policy *is* the reference, so KL must start near 0. Here the sampler draws tokens from
`softmax(logits / 0.7)` while the trainer recomputes log-probs from `softmax(logits)` for the first 3 steps.
The per-token difference is the whole story — and its tails, not its mean."""),
("code", """const tm = reproTemperatureMismatch({ steps, mismatchSteps: 3, seed });
const tmPath = writeRun("temperature", tm);
const tmReport = await doctorRun(tmPath);
display(findingsView(tmReport.findings));
display(plot(klPlot(tm.trace, { logY: true })));
plot(logprobDiffHistogram(logprobDiffs(tm.rollouts)))"""),
("code", """// Check: the doctor names the mismatch, and the spike is confined to the first steps.
const ids1 = tmReport.findings.map((f) => f.id);
if (!ids1.includes("kl_spike_early") || !ids1.includes("logprob_mismatch")) throw new Error(`expected kl_spike_early and logprob_mismatch, got ${ids1}`);
const early = tm.trace.slice(0, 3).map((s) => s["kl/k3_mean"] as number);
const later = tm.trace.slice(3).map((s) => s["kl/k3_mean"] as number);
if (Math.min(...early) < 10 * Math.max(...later)) throw new Error("the first steps' KL should dwarf the rest");
({ earlyKl: early, laterMaxKl: Math.max(...later) })"""),
("md", """## 2. Every failure in the notes, and what the doctor says

One row per reproduction: the mechanism and the findings. Rollout-level findings (identical completions,
a character that never appears in completions) come from DuckDB queries over `rollouts.jsonl`."""),
("code", """const rows: Record<string, unknown>[] = [];
const reports: Record<string, Awaited<ReturnType<typeof doctorRun>>> = {};
for (const [name, gen] of Object.entries(REPROS)) {
  const r = (gen as (o: object) => { description: string; trace: object[]; rollouts: object[] })({ seed });
  reports[name] = await doctorRun(writeRun(name, r));
  rows.push({ reproduction: name, mechanism: r.description, findings: reports[name].findings.map((f) => f.id).join(", ") });
}
table(rows)"""),
("code", """// Check: each reproduction is named by the detector written for it.
const expected: Record<string, string> = {
  temperature_mismatch: "logprob_mismatch", pad_token_collision: "missing_character", no_stop_sequence: "truncation_high",
  format_drift: "format_drift", zero_variance: "zero_variance_groups", entropy_collapse: "entropy_collapse",
  grad_norm_spike: "grad_norm_spike", shared_seed: "identical_completions",
};
for (const [name, id] of Object.entries(expected)) {
  const got = reports[name].findings.map((f) => f.id);
  if (!got.includes(id)) throw new Error(`${name}: expected ${id}, got ${got.join(", ")}`);
}
"all 8 reproductions named" """),
("md", """## 3. Format drift and entropy collapse, as curves

Format drift: the strict rate (answer as `#### N` on the final line) decays while the flexible rate (any final
number) holds — accuracy judged by a flexible checker would hide it."""),
("code", """const fd = REPROS.format_drift({ steps, seed });
display(plot(formatDriftPlot(fd.trace)));
plot(entropyPlot(REPROS.entropy_collapse({ seed }).trace))"""),
("md", """## 4. The pad token that ate the zeros

With the pad id equal to the id of `'0'`, decoding stops at the first `0`. DuckDB finds a digit that is common in
prompts but never appears in any completion."""),
("code", """const db = await TraceDB.open({ threads: 1 });
const padRollouts = join(root, "pad_token_collision", "rollouts.jsonl");
const perStep = await summarizeRollouts(db, padRollouts);
db.close();
display(findingsView(reports.pad_token_collision.findings.filter((f) => f.id === "missing_character")));
table(perStep.slice(0, 5) as unknown as Record<string, unknown>[])"""),
("code", """// Check: the missing character is '0'.
const mc = reports.pad_token_collision.findings.find((f) => f.id === "missing_character");
if (!mc || !String(mc.evidence.characters).includes('"0"')) throw new Error("expected the digit 0 to be reported missing");
mc.evidence"""),
("code", """// Clean up the temporary run folders.
rmSync(root, { recursive: true, force: true });"""),
])

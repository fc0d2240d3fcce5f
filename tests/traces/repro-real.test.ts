/**
 * The debug-note reproductions run for real: the project's GRPO trainer on a tiny random-init policy with one
 * bug switched on (src/traces/reproRuns.ts), then `doctorRun` on the trace and rollouts it wrote. Each bug run
 * must be named; its control (the same config without the bug) must not be.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REAL_REPROS, runRealRepro, type RealReproName } from "../../src/traces/reproRuns.js";
import { doctorRun, loadTrace } from "../../src/traces/index.js";

const tmp = mkdtempSync(join(tmpdir(), "rlvr-repro-real-"));

describe("real reproductions: the doctor names the bug from the run's own trace, and not its control", () => {
  for (const name of Object.keys(REAL_REPROS) as RealReproName[]) {
    test(`${name} (${REAL_REPROS[name].note}) → ${REAL_REPROS[name].expect.join(" + ")}`, async () => {
      const bug = await runRealRepro(name, join(tmp, `${name}-bug`), "bug");
      const control = await runRealRepro(name, join(tmp, `${name}-control`), "control");
      assert.ok(loadTrace(bug.trace).steps.length >= 6);
      const got = (await doctorRun(bug.trace)).findings;
      const ctl = (await doctorRun(control.trace)).findings.map((f) => f.id);
      for (const id of REAL_REPROS[name].expect) {
        assert.ok(got.some((f) => f.id === id), `${name}: expected ${id}, got ${got.map((f) => f.id).join(", ")}`);
        assert.ok(!ctl.includes(id), `${name} control (no bug) also reports ${id}: ${ctl.join(", ")}`);
      }
    });
  }

  test("temperature mismatch is visible from the trace alone (no rollouts), as a persistent logprob_diff/mean", async () => {
    const bug = await runRealRepro("temperature_mismatch", join(tmp, "tm-trace-only"), "bug");
    const f = (await doctorRun(bug.trace, { rollouts: null })).findings.find((x) => x.id === "logprob_mismatch");
    assert.ok(f, "logprob_mismatch from the trace");
    assert.equal(f!.evidence.source, "trace logprob_diff/mean");
  });
});

#!/usr/bin/env node
// How robust each real reproduction is: run every one (bug and control) on run seeds 1..N and count the seeds on
// which the doctor names the bug's finding(s). The tests use one seed (REPRO_BASE.seed); this says whether that
// seed is typical. Needs dist/ (npm run build). Usage: node scripts/repro-seeds.mjs [N=8] [name...]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REAL_REPROS, doctorRun, runRealRepro } from "../dist/index.js";

const [nArg, ...only] = process.argv.slice(2);
const n = Number(nArg ?? 8);
if (!Number.isInteger(n) || n < 1) throw new Error(`seeds must be a positive integer, got ${nArg}`);
const names = only.length ? only : Object.keys(REAL_REPROS);
for (const name of names) if (!(name in REAL_REPROS)) throw new Error(`no reproduction ${name}; one of ${Object.keys(REAL_REPROS).join(", ")}`);
const tmp = mkdtempSync(join(tmpdir(), "rlvr-repro-seeds-"));
console.log(`| reproduction | expected finding | bug runs named | control runs named | seconds per run |`);
console.log(`|---|---|---|---|---|`);
try {
  for (const name of names) {
    const hits = { bug: 0, control: 0 };
    let seconds = 0;
    for (let seed = 1; seed <= n; seed++)
      for (const variant of ["bug", "control"]) {
        const r = await runRealRepro(name, join(tmp, `${name}-${variant}`), variant, { config: { seed } });
        seconds += r.seconds;
        const ids = (await doctorRun(r.trace)).findings.map((f) => f.id);
        if (REAL_REPROS[name].expect.every((id) => ids.includes(id))) hits[variant]++;
      }
    console.log(`| \`${name}\` | ${REAL_REPROS[name].expect.join(", ")} | ${hits.bug} of ${n} | ${hits.control} of ${n} | ${(seconds / (2 * n)).toFixed(1)} |`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

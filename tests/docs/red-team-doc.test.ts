/** docs/red-team.md stays true: its TypeScript example runs, and its family table names every catalogue family. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { redTeamFamilies, CATALOGUE_VERSION } from "../../src/verifiers/redteam/catalogue.js";

const ROOT = join(import.meta.dirname, "..", "..");
const doc = readFileSync(join(ROOT, "docs/red-team.md"), "utf8");

test("every ```ts example in docs/red-team.md runs against the built package", () => {
  const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 1);
  const dir = join(ROOT, ".tmp");
  mkdirSync(dir, { recursive: true });
  blocks.forEach((code, i) => {
    const file = join(dir, `red-team-doc-${i}.mts`);
    writeFileSync(file, code);
    const r = spawnSync(process.execPath, ["--import", "tsx", file], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, `example ${i} failed:\n${code}\n--- stderr:\n${r.stderr}`);
    assert.match(r.stdout, /hacks rewarded: \d+ of \d+/);
  });
});

test("docs/red-team.md names the catalogue version and describes every hack family", () => {
  assert.ok(doc.includes(`\`${CATALOGUE_VERSION}\``), `the doc names ${CATALOGUE_VERSION}`);
  for (const task of ["gsm8k", "math"] as const) {
    for (const f of redTeamFamilies(task).filter((x) => !x.startsWith("control-"))) {
      assert.match(doc, new RegExp(`^\\| [^|]*\`${f}\``, "m"), `${task} family ${f} is in the families table`);
    }
  }
});

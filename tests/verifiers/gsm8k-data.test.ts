import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";
import { verifyGsm8k, type Gsm8kMode } from "../../src/verifiers/gsm8k/index.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dataFile = join(repoRoot, "..", "shared", "data", "gsm8k_test.jsonl");

test("every GSM8K test gold solution verifies against its own final number (strict-match, flexible, numeric)", (t) => {
  if (!existsSync(dataFile)) {
    t.skip(`${dataFile} not present`);
    return;
  }
  const rows = readFileSync(dataFile, "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as { question: string; answer: string });
  assert.ok(rows.length > 0, "data file has records");
  const modes: Gsm8kMode[] = ["lm-eval-strict", "numeric", "lm-eval-flexible", "lm-eval-cot-strict"];
  const agree: Record<string, number> = {};
  const failures: Record<string, string[]> = {};
  for (const m of modes) {
    agree[m] = 0;
    failures[m] = [];
  }
  for (const row of rows) {
    const final = row.answer.slice(row.answer.lastIndexOf("####") + 4).trim();
    for (const mode of modes) {
      // Gold = the bare final number; completion = the worked solution itself.
      const v = verifyGsm8k(final, row.answer, { mode });
      if (v.status === "correct") agree[mode]++;
      else if (failures[mode].length < 3) failures[mode].push(`${JSON.stringify(row.answer.slice(-60))}: ${v.rule}`);
    }
  }
  t.diagnostic(`n=${rows.length} agreement: ${modes.map((m) => `${m}=${agree[m]}`).join(" ")}`);
  assert.equal(agree["lm-eval-strict"], rows.length, failures["lm-eval-strict"].join("\n"));
  assert.equal(agree["numeric"], rows.length, failures["numeric"].join("\n"));
  // The final number is also the last number of each solution, so flexible-extract agrees too.
  assert.equal(agree["lm-eval-flexible"], rows.length, failures["lm-eval-flexible"].join("\n"));
  // Gold solutions never say "The answer is", so gsm8k_cot strict-match finds nothing in them.
  assert.equal(agree["lm-eval-cot-strict"], 0);
});

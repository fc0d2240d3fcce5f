/**
 * Cross-check against the Python original: lm-eval's own `normalize_final_answer` (taken by source from the
 * installed lm_eval/tasks/minerva_math/utils.py, see peers/minerva_normalize.py) runs on every input of the
 * parity table, every MATH-500 answer and a list of quirk inputs, and the TypeScript port must return the same
 * string for each. Skips without the peers venv (tests/helpers/peers.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { normalizeFinalAnswer } from "../../src/verifiers/math/index.js";
import { PEER_PYTHON, peerSkip } from "../helpers/peers.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const math500 = fileURLToPath(new URL("../../../shared/data/math500.jsonl", import.meta.url));

const QUIRKS = [
  "1,2,3", "0,1", "-1,000", "1,000,000", "12,34", "\\left( 3, \\frac{\\pi}{2} \\right)", "2\\pi cm", "5 cm^2",
  "\\sqrt[3]a", "\\sqrt[3]{8}", "\\sqrt2", "\\fracab", "\\frac12", "x = 3", "a=b=c", "\\text{an apple}",
  "10\\text{ m}", "\\text{m}", "3 feet", "3feet", "\\leftft", "the squares", "square units", "$5$ dollars",
  "\\$3.50", "\\boxed{\\boxed{5}}", "\\textbf{(C)}", "\\overline{6}", "1\n2", "$a$\n$b$", "٣,٤٥٦", "x_{ft}",
  "\\mathrm{th}", "5^\\circ", "5^{\\circ}", "\\text{\ns}", "\"5\"", "\\dots", "ways to do it", "100\\%",
];

const skip = peerSkip(["lm_eval"]);

test("normalizeFinalAnswer returns what lm-eval's Python normalize_final_answer returns", { skip }, () => {
  const table = readFileSync(`${here}math-minerva.test.ts`, "utf8");
  const fromTable = [...table.matchAll(/^ {2}\[("(?:[^"\\]|\\.)*"), "(?:[^"\\]|\\.)*"\],$/gm)].map((m) => JSON.parse(m[1]) as string);
  assert.ok(fromTable.length >= 75, `parity table rows read: ${fromTable.length}`);
  const answers = existsSync(math500)
    ? readFileSync(math500, "utf8").trim().split("\n").map((l) => String(JSON.parse(l).answer))
    : [];
  const inputs = [...new Set([...fromTable, ...QUIRKS, ...answers])];
  const r = spawnSync(PEER_PYTHON!, [`${here}peers/minerva_normalize.py`], { input: JSON.stringify(inputs), encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { version: string; normalized: string[] };
  assert.equal(out.version, "0.4.13", "the port reproduces lm-eval 0.4.13; another version needs a new comparison");
  const diffs = inputs
    .map((input, i) => ({ input, python: out.normalized[i], ts: normalizeFinalAnswer(input) }))
    .filter((d) => d.python !== d.ts);
  assert.deepEqual(diffs, [], `${diffs.length} of ${inputs.length} inputs differ`);
});

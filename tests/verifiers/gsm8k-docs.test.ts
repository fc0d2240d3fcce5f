import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";
import { extractGsm8k, verifyGsm8kSideBySide } from "../../src/verifiers/gsm8k/index.js";
import { classifyFailure } from "../../src/verifiers/taxonomy.js";

const doc = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), "../../docs/verifiers-gsm8k.md"), "utf8");

test("the example in docs/verifiers-gsm8k.md prints what the code returns", () => {
  const gold = /^const gold = "(.*)";$/m.exec(doc)?.[1];
  const completion = /^const completion = "(.*)";$/m.exec(doc)?.[1];
  assert.ok(gold && completion, "example inputs found in the doc");
  const unquote = (s: string) => JSON.parse(`"${s}"`) as string;
  const r = verifyGsm8kSideBySide(unquote(gold), unquote(completion));
  for (const key of ["strict", "flexible", "cotStrict", "numeric"] as const) {
    const line = new RegExp(`^${key} +(\\{.*\\})$`, "m").exec(doc)?.[1];
    assert.ok(line, `doc shows the ${key} verdict`);
    const { ms, ...shown } = r[key];
    assert.ok(ms >= 0);
    assert.deepEqual(JSON.parse(line), shown, key);
  }
  assert.match(doc, new RegExp(`^flip +${r.flip}$`, "m"));
  const c = classifyFailure(r.strict, unquote(completion), extractGsm8k(unquote(completion), { mode: "lm-eval-strict" }), "stop");
  assert.equal(c.category, "format_only");
  assert.ok(doc.includes(c.reason), "doc quotes the reason");
});

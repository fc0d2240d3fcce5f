import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { glossaryMarkdown } from "../../scripts/glossary.js";

const ROOT = join(import.meta.dirname, "..", "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

test("README's set-up block has exactly the two commands a new user runs", () => {
  const m = readme.match(/## Set up\s+```sh\n([\s\S]*?)```/);
  assert.ok(m, "a ## Set up section with a sh block");
  assert.deepEqual(m[1].trim().split("\n"), ["npm install && npm start", "npm test"]);
});

test("README's metric glossary is the one generated from src/schemas/metrics.ts", () => {
  assert.ok(readme.includes(glossaryMarkdown()), "re-run: node --import tsx scripts/glossary.ts and paste into README");
});

test("every ```ts example in README runs against the built package", () => {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 1, "README has at least one TypeScript example");
  const dir = join(ROOT, ".tmp");
  mkdirSync(dir, { recursive: true });
  blocks.forEach((code, i) => {
    const file = join(dir, `readme-example-${i}.mts`);
    writeFileSync(file, code);
    const r = spawnSync(process.execPath, ["--import", "tsx", file], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, `README example ${i} failed:\n${code}\n--- stderr:\n${r.stderr}`);
  });
});

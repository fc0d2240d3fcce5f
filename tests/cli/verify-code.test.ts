import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Verdict } from "../../src/schemas/verdict.js";
import { insideSandboxRoot, probeSandbox } from "../../src/verifiers/code/sandbox.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "rlvr-verify-code-cli-"));

/** `npx rlvr …` from the repo: node_modules/.bin/rlvr, the installed bin link (needs a built dist/). */
function rlvr(args: string[], input?: string) {
  const r = spawnSync("npx", ["--no-install", "rlvr", ...args], { cwd: root, input, encoding: "utf8", timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function distStale(): string | null {
  const pairs = ["cli/main", "cli/verify", "cli/verifyCode", "verifiers/code/verify", "verifiers/code/sandbox"];
  for (const f of pairs) {
    const out = join(root, "dist", `${f}.js`);
    if (!existsSync(out) || statSync(out).mtimeMs < statSync(join(root, "src", `${f}.ts`)).mtimeMs) return `dist/${f}.js is missing or older than src (npm test builds it)`;
  }
  return null;
}

const TEST = "def check(candidate):\n    assert candidate(2) == 4\n    assert candidate(3) == 9\n    assert candidate(0) == 0\n";
const he = (id: number, problem: string, completion: string) => JSON.stringify({ id, problem_id: problem, completion, test: TEST, entry_point: "sq", prompt: "def sq(x):\n    \"\"\"x squared\"\"\"\n" });
const LINES = [
  he(1, "sq", "    return x * x\n"),
  he(2, "sq", "Sure:\n```python\ndef sq(x):\n    return x + x\n```"),
  `{"id": 3, "completion": "x"}`,
  JSON.stringify({ id: 4, problem_id: "add", completion: "def add(a, b):\n    return a + b\n", test_list: ["assert add(1, 2) == 3", "assert add(2, 2) == 4"] }),
  he(5, "sq", "def sq(x) return x\n"),
  JSON.stringify({ id: 6, problem_id: "js", language: "javascript", completion: "```js\nconst sq = (x) => x * x;\n```", test: "function check(candidate) { assert.strictEqual(candidate(3), 9); }", entry_point: "sq" }),
];

test("rlvr verify --task code (bin link): verdicts in input order, bad lines named, partial credit, exit 1", { timeout: 300_000 }, (t) => {
  const stale = distStale();
  if (stale) return t.skip(stale);
  if (!probeSandbox().ok) return t.skip(`code sandbox unavailable: ${probeSandbox().reason}`);
  if (!insideSandboxRoot("/usr/bin/node")) return t.skip("no /usr/bin/node (the JavaScript record needs it): the sandbox exposes only /usr");
  const f = join(dir, "code.jsonl");
  writeFileSync(f, LINES.join("\n") + "\n");
  const out = join(dir, "verdicts.jsonl");
  const r = rlvr(["verify", "--task", "code", "--in", f, "--partial-credit"]);
  assert.equal(r.code, 1, r.stderr);
  const vs = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(vs.map((v) => v.id), [1, 2, 4, 5, 6]);
  for (const v of vs) assert.ok(Verdict.safeParse(v).success, JSON.stringify(v));
  assert.deepEqual(vs.map((v) => v.status), ["correct", "wrong", "correct", "wrong", "correct"]);
  assert.deepEqual(vs.map((v) => v.problem_id), ["sq", "sq", "add", "sq", "js"]);
  assert.equal(vs[1].rule, "code/test-failed");
  assert.equal(vs[1].score, 2 / 3, "x + x passes candidate(2) == 4 and candidate(0) == 0");
  assert.match(vs[1].message, /test 2 of 3 failed: assert candidate\(3\) == 9\n.*\n  got +6\n  expected 9/);
  assert.ok(vs[1].flags.includes("extract/fenced-block") && vs[1].flags.includes("code/prompt-as-preamble"));
  assert.equal(vs[3].rule, "code/syntax-error");
  assert.match(r.stderr, /code\.jsonl:3: field "test": missing/);
  assert.match(r.stderr, /5 programs in .* correct 3, wrong 2/);

  // Same file to --out, then rlvr passk on the code verdicts.
  const r2 = rlvr(["verify", "--task", "code", "--in", f, "--out", out]);
  assert.equal(r2.code, 1, r2.stderr);
  const pk = rlvr(["passk", "--k", "1,2", "--in", out, "--json"]);
  assert.equal(pk.code, 0, pk.stderr);
  const s = JSON.parse(pk.stdout);
  assert.equal(s.n_problems, 3);
  assert.equal(s.n_samples, 5);
  // sq: 1 of 3 correct, add: 1/1, js: 1/1 → pass@1 = (1/3 + 1 + 1) / 3.
  assert.ok(Math.abs(s["pass@k"]["1"].estimate - (1 / 3 + 2) / 3) < 1e-9, pk.stdout);
});

test("rlvr verify --task code rejects bad flags with exit 2 and says how to fix them", (t) => {
  const stale = distStale();
  if (stale) return t.skip(stale);
  const r = rlvr(["verify", "--task", "code", "--workers", "0"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--workers: workers must be at least 1/);
  const h = rlvr(["verify", "--task", "code", "--help"]);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /--partial-credit/);
});

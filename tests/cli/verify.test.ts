import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Verdict } from "../../src/schemas/verdict.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "rlvr-verify-cli-"));

function rlvr(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "verify", ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GSM8K_LINES = [
  `{"id": 1, "gold": "Janet sells 9 eggs.\\n#### 18", "completion": "She makes 9 * 2 = $18 every day.\\n#### 18"}`,
  `{"id": "two", "gold": "72", "completion": "The answer is 72.00"}`,
  `{"id": 3, "gold": "5"}`,
  `this line is not json`,
  `{"id": 5, "gold": "3", "completion": "I think it is 4. The answer is 3"}`,
  `{"id": 6, "gold": 10, "completion": "no number here"}`,
];

test("verify --in writes one verdict per good line in input order and names each bad line; exit 1", () => {
  const f = join(dir, "mixed.jsonl");
  writeFileSync(f, GSM8K_LINES.join("\n") + "\n");
  const r = rlvr(["--task", "gsm8k", "--in", f]);
  assert.equal(r.code, 1, r.stderr);
  const verdicts = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(
    verdicts.map((v) => v.id),
    [1, "two", 5, 6],
  );
  for (const v of verdicts) assert.ok(Verdict.safeParse(v).success, JSON.stringify(v));
  assert.deepEqual(
    verdicts.map((v) => v.status),
    ["correct", "correct", "correct", "unparseable"],
  );
  assert.match(r.stderr, /mixed\.jsonl:3: field "completion"/);
  assert.match(r.stderr, /mixed\.jsonl:4: not valid JSON/);
  assert.match(r.stderr, /2 bad input line/);
});

test("verify reads stdin by default, writes --out, and exits 0 when every line is good", () => {
  const out = join(dir, "out.jsonl");
  const good = [GSM8K_LINES[0], GSM8K_LINES[1]].join("\n"); // no trailing newline on the last line
  const r = rlvr(["--task", "gsm8k", "--mode", "lm-eval-strict", "--out", out], good);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "");
  const verdicts = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(
    verdicts.map((v) => [v.id, v.status]),
    [
      [1, "correct"],
      ["two", "unparseable"],
    ],
  );
  assert.match(verdicts[1].rule, /^lm-eval:gsm8k\/strict-match/);
});

test("verify --explain prints candidates, the span in context between » «, normalized values and the gsm8k side by side", () => {
  const f = join(dir, "explain.jsonl");
  writeFileSync(f, GSM8K_LINES.join("\n") + "\n");
  const r = rlvr(["--task", "gsm8k", "--in", f, "--explain", "5"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /record 5 \(.*explain\.jsonl:5\)/);
  assert.match(r.stdout, /candidates \(\d+, in text order\)/);
  assert.match(r.stdout, /The answer is »3«/);
  assert.match(r.stdout, /normalized gold: "3"/);
  assert.match(r.stdout, /verdict: correct/);
  assert.match(r.stdout, /lm-eval-strict\s+unparseable/);
  assert.match(r.stdout, /flip: YES/);
  const missing = rlvr(["--task", "gsm8k", "--in", f, "--explain", "nope"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no record with id "nope"/);
});

test("verify --task math sends undecided answers to the worker pool and keeps input order", { timeout: 120_000 }, () => {
  const lines = [
    { id: "sym", gold: "x^2+2x+1", completion: "so \\boxed{(x+1)^2}" },
    { id: "num", gold: "\\frac{1}{2}", completion: "\\boxed{0.5}" },
    { id: "none", gold: "3", completion: "I give up" },
    { id: "sym2", gold: "(x+1)^2", completion: "\\boxed{x^2+2x+1}" },
  ].map((o) => JSON.stringify(o));
  const r = rlvr(["--task", "math", "--workers", "1", "--timeout-ms", "30000"], lines.join("\n") + "\n");
  assert.equal(r.code, 0, r.stderr);
  const verdicts = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(
    verdicts.map((v) => [v.id, v.status]),
    [
      ["sym", "correct"],
      ["num", "correct"],
      ["none", "unparseable"],
      ["sym2", "correct"],
    ],
  );
});

test("verify --side-by-side writes all four gsm8k verdicts per record and an accuracy summary", () => {
  const r = rlvr(["--task", "gsm8k", "--side-by-side"], [GSM8K_LINES[0], GSM8K_LINES[4]].join("\n") + "\n");
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(
    rows.map((row) => [row.id, row.strict.status, row.flexible.status, row.numeric.status, row.flip]),
    [
      [1, "correct", "correct", "correct", false],
      [5, "unparseable", "correct", "correct", true],
    ],
  );
  assert.match(r.stderr, /lm-eval-strict 50\.0%.*numeric 100\.0%.*flips 1/);
});

test("verify rejects bad flags with exit 2 and a message that says how to fix them", async () => {
  // In-process (the spawned tests above cover the real binary): capture what run() prints.
  const { run } = await import("../../src/cli/verify.js");
  const errors: string[] = [];
  const original = console.error;
  console.error = (...a: unknown[]) => void errors.push(a.join(" "));
  try {
    assert.equal(await run(["--task", "rust"]), 2);
    assert.match(errors.join("\n"), /--task: give --task gsm8k, --task math or --task ifeval/);
    errors.length = 0;
    assert.equal(await run(["--task", "math", "--mode", "lm-eval-strict"]), 2);
    assert.match(errors.join("\n"), /not a math mode; use one of default, contract, minerva/);
    errors.length = 0;
    assert.equal(await run(["--task", "math", "--side-by-side"]), 2);
    assert.match(errors.join("\n"), /only for --task gsm8k/);
    errors.length = 0;
    assert.equal(await run(["--task", "gsm8k", "--workers", "0"]), 2);
    assert.match(errors.join("\n"), /--workers: workers must be at least 1/);
    assert.equal(await run(["--task", "gsm8k", "stray.jsonl"]), 2);
    errors.length = 0;
    assert.equal(await run(["--task", "gsm8k", "--in", join(dir, "does-not-exist.jsonl")]), 2);
    assert.match(errors.join("\n"), /--in .*does-not-exist\.jsonl: no such file/);
  } finally {
    console.error = original;
  }
});

/** Relative imports reachable from a source file (static `import`/`export … from`, and dynamic `import("./…")`). */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    const src = readFileSync(f, "utf8");
    for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g)) {
      const spec = m[1];
      if (spec.startsWith(".")) stack.push(resolve(dirname(f), spec.replace(/\.js$/, ".ts")));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

test("rlvr verify loads only the pure modules (src/verifiers, src/schemas, src/stats) and its CLI helpers (no tfjs, DuckDB or tslab)", () => {
  const { files, packages } = importGraph(join(root, "src/cli/verify.ts"));
  for (const f of files) {
    const rel = f.slice(root.length);
    assert.match(rel, /^src\/(verifiers|schemas|stats)\/|^src\/cli\/(verify|verifyCode|verify-ifeval|args|redteam)\.ts$/, `rlvr verify imports ${rel}`);
    assert.ok(existsSync(f), `${rel} is imported but missing`);
  }
  for (const p of packages) assert.match(p, /^(node:|zod$)/, `rlvr verify imports package ${p}`);
});

test("the built CLI (dist/) verifies math through dist/verifiers/worker.js", { timeout: 120_000 }, (t) => {
  const js = join(root, "dist/cli/verify.js");
  const fresh = ["cli/verify", "verifiers/pool", "verifiers/worker", "verifiers/workerEntry", "verifiers/verify"].every((f) => {
    const out = join(root, "dist", `${f}.js`);
    return existsSync(out) && statSync(out).mtimeMs >= statSync(join(root, "src", `${f}.ts`)).mtimeMs;
  });
  if (!existsSync(js) || !fresh) {
    t.skip("dist/ is missing or older than src (run `npx tsc -p tsconfig.build.json`; `npm test` does)");
    return;
  }
  const input = JSON.stringify({ id: 1, gold: "x^2+2x+1", completion: "\\boxed{(x+1)^2}" }) + "\n";
  const r = spawnSync(process.execPath, ["dist/cli/main.js", "verify", "--task", "math", "--timeout-ms", "30000"], {
    cwd: root,
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.equal(v.status, "correct", r.stdout);
});

test("verify --taxonomy classifies each non-correct verdict and prints counts with Wilson CIs", () => {
  const lines = [
    `{"id":1,"gold":"18","completion":"3 x 6 = 18\\n#### 18"}`,
    `{"id":2,"gold":"18","completion":"So the total is 18.00\\n#### 18.00"}`,
    `{"id":3,"gold":"18","completion":"Let me compute the total: 3 x","finish_reason":"length"}`,
    `{"id":4,"gold":"18","completion":"#### 17"}`,
  ];
  const r = rlvr(["--task", "gsm8k", "--mode", "lm-eval-strict", "--taxonomy"], lines.join("\n") + "\n");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split("\n").length, 4, "verdict lines are unchanged");
  assert.match(r.stderr, /failure taxonomy — 3 non-correct of 4 records/);
  assert.match(r.stderr, /truncated\s+1\s+25\.0% \[\d+\.\d, \d+\.\d\]/);
  assert.match(r.stderr, /format_only\s+1\s+25\.0%/, "18.00 vs 18 under lm-eval's string compare is a format-only failure");
  assert.match(r.stderr, /wrong_value_clean_final_line\s+1\s+25\.0%/);
  assert.match(r.stderr, /unparseable\s+0\s+0\.0%/);
});

test("verify --taxonomy with --side-by-side is a usage error", () => {
  const r = rlvr(["--task", "gsm8k", "--taxonomy", "--side-by-side"], "");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--taxonomy/);
});

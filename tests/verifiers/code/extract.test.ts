import { test } from "node:test";
import assert from "node:assert/strict";
import { extractCode } from "../../../src/verifiers/code/extract.js";
import { assembleProgram, parseJudgeRecords, verdictFromRun } from "../../../src/verifiers/code/verify.js";
import { CodeRecord } from "../../../src/verifiers/code/records.js";
import type { SandboxResult } from "../../../src/verifiers/code/sandbox.js";

// (completion, expected code, rule, info) — shapes taken from chat-model answers to HumanEval prompts.
const CASES: [string, string, string, string | null][] = [
  ["def f(x):\n    return x\n", "def f(x):\n    return x\n", "whole-text", null],
  ["Here you go:\n```python\ndef f(x):\n    return x\n```\nDone.", "def f(x):\n    return x", "fenced-block", "python"],
  ["```py\na = 1\n```\nand better:\n```python\na = 2\n```", "a = 2", "fenced-block", "python"],
  ["```\nprint(1)\n```", "print(1)", "fenced-block", null],
  ["```js\nfunction f() {}\n```", "function f() {}", "fenced-block", "js"],
  ["Sure!\n```python\ndef f(x):\n    return x", "def f(x):\n    return x", "unterminated-fence", "python"],
  ["~~~python\nx = 1\n~~~", "x = 1", "fenced-block", "python"],
  ["````python\ns = '```'\n````", "s = '```'", "fenced-block", "python"],
  ["```python\n```", "", "fenced-block", "python"],
  ["", "", "whole-text", null],
];

test("extractCode takes the last complete fenced block, an unterminated final fence, or the whole text", () => {
  for (const [text, code, rule, info] of CASES) {
    const e = extractCode(text);
    assert.equal(e.code, code, JSON.stringify(text));
    assert.equal(e.rule, rule, JSON.stringify(text));
    assert.equal(e.info, info, JSON.stringify(text));
    assert.equal(text.slice(e.span[0], e.span[1]), e.code, `span of ${JSON.stringify(text)}`);
  }
});

test("assembleProgram prepends the prompt only when the program lacks the entry point (else keeps it as a preamble)", () => {
  const rec = (completion: string, language?: "javascript") =>
    CodeRecord.parse({ id: 1, completion, test: "def check(c): pass", entry_point: "f", prompt: "def f(x):\n    \"\"\"doc\"\"\"\n", ...(language ? { language } : {}) });
  const body = assembleProgram(rec("    return x\n"), extractCode("    return x\n"));
  assert.equal(body.spec.source, "def f(x):\n    \"\"\"doc\"\"\"\n    return x\n");
  assert.deepEqual(body.flags, ["code/prompt-prepended"]);
  const full = assembleProgram(rec("def f(x):\n    return x\n"), extractCode("def f(x):\n    return x\n"));
  assert.equal(full.spec.source, "def f(x):\n    return x\n");
  assert.equal(full.spec.preamble, "def f(x):\n    \"\"\"doc\"\"\"\n");
  assert.deepEqual(full.flags, ["code/prompt-as-preamble"]);
  const js = assembleProgram(rec("const f = (x) => x;", "javascript"), extractCode("const f = (x) => x;"));
  assert.deepEqual(js.flags, ["code/prompt-as-preamble"]);
});

test("CodeRecord names the field of the record's style and rejects ambiguous records", () => {
  const bad = (v: unknown) => {
    const r = CodeRecord.safeParse(v);
    assert.ok(!r.success, JSON.stringify(v));
    return r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  };
  assert.match(bad({ id: 1, completion: "x" }), /^test: missing/);
  assert.match(bad({ id: 1, completion: "x", test: "t", test_list: ["a"] }), /not both/);
  assert.match(bad({ id: 1, completion: "x", test: "t" }), /entry_point/);
  assert.match(bad({ id: 1, completion: "x", test_list: [] }), /test_list/);
  assert.match(bad({ id: 1, completion: "x", test_list: ["assert 1"], language: "rust" }), /language/);
  assert.ok(CodeRecord.safeParse({ id: 1, task_id: "HumanEval/0", completion: "x", test: "t", entry_point: "f" }).success);
});

const run = (results: string, extra: Partial<SandboxResult> = {}): SandboxResult => ({
  status: "exited", results, stdout: "", stderr: "", outputBytes: 0, ms: 1, exitCode: 0, enforced: ["netns"], ...extra,
});
const ex = extractCode("x");
const lines = (...objs: object[]) => objs.map((o) => JSON.stringify(o)).join("\n") + "\n";

test("verdictFromRun: correct only when every test reported ok and the judge finished", () => {
  const all = lines({ total: 2, tests: ["a", "b"] }, { result: 0, ok: true }, { result: 1, ok: true }, { done: true });
  const v = verdictFromRun(run(all), ex, [], false);
  assert.equal(v.status, "correct");
  assert.deepEqual(v.tests, { passed: 2, total: 2 });
  assert.ok(v.flags?.includes("sandbox/netns") && v.flags.includes("extract/whole-text"));
  // One test never reported: not correct even though the judge said done.
  const missing = verdictFromRun(run(lines({ total: 2, tests: ["a", "b"] }, { result: 0, ok: true }, { done: true })), ex, [], true);
  assert.equal(missing.status, "wrong");
  assert.match(missing.message!, /did not run/);
  assert.equal(missing.score, 0.5);
  // No done record: the judge died — a harness error, not the model's fault.
  const died = verdictFromRun(run(lines({ total: 1, tests: ["a"] }, { result: 0, ok: true })), ex, [], false);
  assert.equal(died.status, "error");
});

test("verdictFromRun: first failing test with its message, partial credit only when asked", () => {
  const rec = lines({ total: 3, tests: ["t1", "t2", "t3"] }, { result: 0, ok: true }, { result: 1, ok: false, msg: "got 1" }, { result: 2, ok: false, msg: "got 2" }, { done: true });
  const plain = verdictFromRun(run(rec), ex, [], false);
  assert.equal(plain.status, "wrong");
  assert.equal(plain.score, 0);
  assert.deepEqual(plain.failure, { index: 1, test: "t2", message: "got 1" });
  assert.equal(verdictFromRun(run(rec), ex, [], true).score, 1 / 3);
});

test("verdictFromRun: timeouts, CPU limit, output limit, load failures and sandbox errors", () => {
  const started = lines({ total: 2, tests: ["a", "b"] }, { begin: 0 });
  const t = verdictFromRun(run(started, { status: "timeout" }), ex, [], false);
  assert.equal(t.status, "timeout");
  assert.match(t.message!, /during test 0: a/);
  const cpu = verdictFromRun(run(lines({ total: 1, tests: ["a"] }, { result: 0, ok: false, msg: "gone" }, { done: true }, { launcher: { judge: 0, candidate: 152 } })), ex, [], false);
  assert.equal(cpu.status, "timeout");
  assert.equal(verdictFromRun(run(started, { status: "output-limit" }), ex, [], false).rule, "code/output-limit");
  const syn = verdictFromRun(run(lines({ total: 1, tests: ["a"] }, { load: "syntax-error", msg: "SyntaxError" })), ex, [], false);
  assert.equal(syn.status, "wrong");
  assert.equal(syn.rule, "code/syntax-error");
  const un = verdictFromRun(run("", { status: "unavailable", message: "needs root" }), ex, [], false);
  assert.equal(un.status, "error");
  assert.equal(un.rule, "code/sandbox-error");
  assert.equal(verdictFromRun(run(lines({ harness_error: "bad test" })), ex, [], false).status, "error");
});

test("parseJudgeRecords ignores lines that are not judge records (counted as bad)", () => {
  const r = parseJudgeRecords('{"total": 1, "tests": ["a"]}\nnot json\n{"x": 1}\n{"done": true}\n');
  assert.equal(r.bad, 2);
  assert.equal(r.done, true);
});

/**
 * Hostile programs against the sandbox: each gets a status, none escapes, none hangs the caller, and
 * nothing is left running. The table is docs/verifiers-code.md's escape table; keep them in step.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { verifyCode, type CodeOptions } from "../../../src/verifiers/code/verify.js";
import { insideSandboxRoot } from "../../../src/verifiers/code/sandbox.js";
import { sandboxSkip, strayProcesses } from "./helpers.js";

const TEST = "def check(candidate):\n    assert candidate(2) == 4\n    assert candidate(3) == 9\n";
const marker = `/tmp/rlvr-escape-${randomBytes(6).toString("hex")}`;
const OPTS: CodeOptions = { limits: { timeoutMs: 4000, memoryMb: 256 }, partialCredit: true };

// [name, program, status, rule, message pattern]
const PYTHON: [string, string, string, string, RegExp][] = [
  ["infinite loop in the function", "def sq(x):\n    while True: pass\n", "timeout", "code/timeout", /during test 0/],
  ["infinite loop at load", "while True: pass\ndef sq(x): return x*x\n", "timeout", "code/timeout", /while the program was loading/],
  ["fork bomb", "import os\ndef sq(x):\n    while True:\n        try: os.fork()\n        except OSError: pass\n", "timeout", "code/timeout", /wall-clock/],
  ["memory bomb", "def sq(x):\n    a = []\n    while True: a.append(bytearray(10**7))\n", "wrong", "code/test-failed", /MemoryError/],
  ["huge output", "def sq(x):\n    while True: print('x' * 10000)\n", "wrong", "code/output-limit", /output limit/],
  ["os.system / subprocess", "import os, subprocess\ndef sq(x):\n    os.system('id')\n    subprocess.run(['true'])\n    return x*x\n", "wrong", "code/test-failed", /Resource temporarily unavailable/],
  ["socket connect to 127.0.0.1", "import socket\ndef sq(x):\n    socket.create_connection(('127.0.0.1', 22), timeout=1)\n    return x*x\n", "wrong", "code/test-failed", /Network is unreachable/],
  ["reading /etc/passwd", "def sq(x):\n    return len(open('/etc/passwd').read())\n", "wrong", "code/test-failed", /No such file or directory: '\/etc\/passwd'/],
  ["writing outside its directory", "def sq(x):\n    open('/usr/rlvr-evil', 'w').write('x')\n    return x*x\n", "wrong", "code/test-failed", /Read-only file system/],
  ["writing /tmp (its own tmpfs)", `def sq(x):\n    open('${marker}', 'w').write('x')\n    return x*x\n`, "correct", "code/all-passed", /^$/],
  ["sys.exit(0) before the tests", "import sys\nsys.exit(0)\ndef sq(x): return 0\n", "wrong", "code/exit-before-tests", /exit\(0\) before the tests/],
  ["sys.exit(0) inside the function", "import sys\ndef sq(x): sys.exit(0)\n", "wrong", "code/test-failed", /exit\(0\) during a test/],
  ["os._exit(0) inside the function", "import os\ndef sq(x): os._exit(0)\n", "wrong", "code/test-failed", /process ended/],
  ["__eq__ that is always True", "class A:\n    def __eq__(self, o): return True\ndef sq(x): return A()\n", "wrong", "code/test-failed", /got +<program A object/],
  ["int subclass with a forged __eq__", "class I(int):\n    def __eq__(self, o): return True\n    __hash__ = int.__hash__\ndef sq(x): return I(0)\n", "wrong", "code/test-failed", /got +<program I object/],
  ["monkey-patching assert / builtins", "import builtins\nbuiltins.AssertionError = Exception\nbuiltins.abs = lambda x: 0\ndef sq(x): return 0\n", "wrong", "code/test-failed", /got +0/],
  ["printing a fake success", "print('{\"done\": true}')\nprint('passed')\ndef sq(x): return 0\n", "wrong", "code/test-failed", /got +0/],
  ["writing judge records on its own channel", "import os\ndef sq(x):\n    os.write(4, b'{\"result\": 0, \"ok\": true}\\n{\"done\": true}\\n')\n    return 0\n", "wrong", "code/test-failed", /got +True/],
  ["writing the judge's result fd", "import os\ndef sq(x):\n    fd = os.open('/proc/1/fd/3', os.O_WRONLY)\n    return x*x\n", "wrong", "code/test-failed", /Permission denied|No such file/],
  ["reading the tests", "def sq(x):\n    return open('/judge/spec.json').read()\n", "wrong", "code/test-failed", /Permission denied/],
  ["killing the parent", "import os, signal\ndef sq(x):\n    os.kill(os.getppid(), signal.SIGKILL)\n    return x*x\n", "wrong", "code/test-failed", /Operation not permitted/],
  ["killing every process it can", "import os, signal\ndef sq(x):\n    os.kill(-1, signal.SIGKILL)\n    return x*x\n", "correct", "code/all-passed", /^$/],
  ["syntax error", "def sq(x) return x\n", "wrong", "code/syntax-error", /SyntaxError/],
];

const JS: [string, string, string, string, RegExp][] = [
  ["infinite loop", "function sq(x) { for (;;) {} }", "timeout", "code/timeout", /during test 0/],
  ["process.exit(0) before the tests", "process.exit(0); function sq(x) { return 0; }", "wrong", "code/exit-before-tests", /process\.exit\(0\) before/],
  ["child_process reading /etc/passwd", "function sq(x) { require('child_process').execSync('cat /etc/passwd', { stdio: 'pipe' }); return x * x; }", "wrong", "code/test-failed", /Command failed: cat \/etc\/passwd/],
  ["writing outside its directory", "function sq(x) { require('fs').writeFileSync('/usr/rlvr-evil', 'x'); return x * x; }", "wrong", "code/test-failed", /EROFS/],
  ["a Proxy that claims to equal anything", "function sq(x) { return new Proxy({}, { get: () => 4 }); }", "wrong", "code/test-failed", /Expected/],
  ["syntax error", "function sq(x) { return x * ; }", "wrong", "code/syntax-error", /SyntaxError/],
];

test("hostile Python programs are contained and each gets its status (the escape table)", { timeout: 300_000 }, async (t) => {
  const skip = sandboxSkip();
  if (skip) return t.skip(skip);
  const results = await Promise.all(
    PYTHON.map(async ([name, completion]) => {
      const t0 = performance.now();
      const v = await verifyCode({ id: name, completion, test: TEST, entry_point: "sq" }, OPTS);
      return { v, ms: performance.now() - t0 };
    }),
  );
  PYTHON.forEach(([name, , status, rule, pattern], i) => {
    const { v, ms } = results[i];
    t.diagnostic(`${name}: ${v.status} ${v.rule} (${ms.toFixed(0)} ms)`);
    assert.equal(v.status, status, `${name}: ${v.status} ${v.rule} ${v.message}`);
    assert.equal(v.rule, rule, `${name}: ${v.message}`);
    assert.match(v.message ?? "", pattern, name);
    assert.ok(ms < 20_000, `${name} took ${ms} ms`);
  });
  assert.ok(!existsSync(marker), `the program's /tmp write reached the host's ${marker}`);
  assert.ok(!existsSync("/usr/rlvr-evil"));
  assert.deepEqual(strayProcesses(), []);
  rmSync(marker, { force: true });
});

test("hostile JavaScript programs are contained and each gets its status", { timeout: 300_000 }, async (t) => {
  const skip = sandboxSkip();
  if (skip) return t.skip(skip);
  if (!insideSandboxRoot("/usr/bin/node")) return t.skip("no /usr/bin/node: the sandbox exposes only /usr");
  const check = "function check(candidate) {\n  assert.deepStrictEqual(candidate(2), 4);\n}\n";
  for (const [name, completion, status, rule, pattern] of JS) {
    const v = await verifyCode({ id: name, completion, test: check, entry_point: "sq", language: "javascript" }, { limits: { timeoutMs: 5000 } });
    assert.equal(v.status, status, `${name}: ${v.status} ${v.rule} ${v.message}`);
    assert.equal(v.rule, rule, `${name}: ${v.message}`);
    assert.match(v.message ?? "", pattern, name);
  }
  assert.deepEqual(strayProcesses(), [], "processes left after the JavaScript programs");
});

test("a program's own printed output is kept for display and never decides the verdict", async (t) => {
  const skip = sandboxSkip();
  if (skip) return t.skip(skip);
  const v = await verifyCode({ id: 1, completion: "def sq(x):\n    print('computing', x)\n    return x*x\n", test: TEST, entry_point: "sq" });
  assert.equal(v.status, "correct");
  assert.match(v.output ?? "", /computing 2\ncomputing 3/);
});

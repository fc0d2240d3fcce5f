/**
 * 1,000 sandboxed runs, a mix of well-behaved and hostile programs allowed to fork (RLIMIT_NPROC 16):
 * daemons that double-fork and setsid, processes that outlive the tests, crashes, timeouts. Afterwards no
 * process runs under a sandbox uid of this test and no sandbox launcher is left as our child.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyCode } from "../../../src/verifiers/code/verify.js";
import { sandboxSkip, strayProcesses } from "./helpers.js";

const TEST = "def check(candidate):\n    assert candidate(2) == 4\n";
const PROGRAMS: [string, string][] = [
  ["good", "def sq(x):\n    return x*x\n"],
  ["daemon", "import os, time\ndef sq(x):\n    if os.fork() == 0:\n        os.setsid()\n        if os.fork() == 0:\n            time.sleep(1000)\n        os._exit(0)\n    return x*x\n"],
  ["orphan", "import subprocess\ndef sq(x):\n    subprocess.Popen(['sleep', '1000'])\n    return x*x\n"],
  ["crash", "import os\ndef sq(x):\n    os.abort()\n"],
  ["raise", "def sq(x):\n    raise ValueError('no')\n"],
  ["fork-loop", "import os, time\ndef sq(x):\n    for _ in range(50):\n        try:\n            if os.fork() == 0:\n                time.sleep(1000)\n        except OSError:\n            pass\n    return x*x\n"],
];

test("no stray processes after 1,000 sandboxed runs of forking, daemonizing and crashing programs", { timeout: 1_800_000 }, async (t) => {
  const skip = sandboxSkip();
  if (skip) return t.skip(skip);
  // The sandbox makes its directories under os.tmpdir(): a private one shows whether any is left behind.
  const scratch = mkdtempSync(join(tmpdir(), "rlvr-leak-test-"));
  process.env.TMPDIR = scratch;
  const N = 1000;
  const statuses: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      // Every 100th run loops forever: the timeout path kills a live process tree.
      const [name, completion] = i % 100 === 99 ? ["loop", "import os\nos.fork()\nwhile True: pass\n"] : PROGRAMS[i % PROGRAMS.length];
      const v = await verifyCode({ id: i, completion, test: TEST, entry_point: "sq" }, { concurrency: 4, limits: { timeoutMs: 3000, processes: 16, memoryMb: 256 } });
      const key = `${name}:${v.status}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  t.diagnostic(JSON.stringify(statuses));
  assert.equal(Object.values(statuses).reduce((a, b) => a + b, 0), N);
  assert.equal(Object.keys(statuses).some((k) => k.endsWith(":error")), false, JSON.stringify(statuses));
  assert.equal(statuses["good:correct"], 167);
  assert.equal(statuses["loop:timeout"], 10);
  assert.deepEqual(strayProcesses(), []);
  assert.deepEqual(readdirSync(scratch), [], "sandbox directories left behind");
  rmSync(scratch, { recursive: true, force: true });
});

// Runs the Jupyter community's kernel conformance suite (jupyter_kernel_test, Debian package
// python3-jupyter-kernel-test) against the rlvr-lab kernel through real jupyter_client.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const python = "/usr/bin/python3";

function hasKernelTest(): boolean {
  if (!existsSync(python)) return false;
  return spawnSync(python, ["-c", "import jupyter_kernel_test, jupyter_client"], { encoding: "utf8" }).status === 0;
}

test("jupyter_kernel_test KernelTests pass against the rlvr-lab kernel", { timeout: 120_000 }, (t) => {
  if (!hasKernelTest()) {
    t.skip("/usr/bin/python3 lacks jupyter_kernel_test (apt install python3-jupyter-kernel-test)");
    return;
  }
  assert.ok(existsSync(`${root}dist/kernel/main.js`), "dist/kernel/main.js missing: run npx tsc -p tsconfig.build.json");
  const r = spawnSync(python, ["-m", "unittest", "-v", "tests/kernel/test_kernel.py"], {
    cwd: root,
    env: { ...process.env, JUPYTER_PATH: root },
    encoding: "utf8",
    timeout: 110_000,
  });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, `python unittest failed:\n${out.slice(-4000)}`);
  assert.match(out, /Ran \d+ tests/);
  // Every test except the pager (no pager payloads in this kernel) must really run.
  const skipped = Number(/skipped=(\d+)/.exec(out)?.[1] ?? 0);
  assert.ok(skipped <= 1, `expected at most the pager test skipped, got ${skipped}:\n${out.slice(-2000)}`);
});

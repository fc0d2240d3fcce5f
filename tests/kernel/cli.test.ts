// `rlvr kernel install` and the repo kernelspec: what Jupyter uses to start the kernel.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist/cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "rlvr-kcli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the repo kernelspec runs dist/kernel/main.js relative to {resource_dir}", () => {
  const spec = JSON.parse(readFileSync(join(root, "kernels/rlvr-lab/kernel.json"), "utf8"));
  assert.equal(spec.language, "typescript");
  assert.equal(spec.display_name, "rlvr-lab (TypeScript)");
  const entry = spec.argv.find((a: string) => a.includes("main.js")).replace("{resource_dir}", join(root, "kernels/rlvr-lab"));
  assert.ok(existsSync(entry), `${entry} does not exist (build first)`);
  assert.ok(spec.argv.includes("{connection_file}"));
});

test("rlvr kernel install --prefix writes a kernelspec with absolute paths that exist", () => {
  const r = spawnSync(process.execPath, [cli, "kernel", "install", "--prefix", dir], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const specDir = join(dir, "share/jupyter/kernels/rlvr-lab");
  const spec = JSON.parse(readFileSync(join(specDir, "kernel.json"), "utf8"));
  assert.ok(isAbsolute(spec.argv[0]) && existsSync(spec.argv[0]), "node path is absolute");
  assert.ok(isAbsolute(spec.argv[1]) && existsSync(spec.argv[1]), "kernel entry is absolute");
  assert.equal(spec.interrupt_mode, "signal");
  assert.ok(existsSync(join(specDir, "logo-64x64.png")));
  if (existsSync("/usr/bin/python3") && spawnSync("/usr/bin/python3", ["-c", "import jupyter_client"]).status === 0) {
    const py = spawnSync(
      "/usr/bin/python3",
      ["-c", "from jupyter_client.kernelspec import KernelSpecManager as M; print(M().get_kernel_spec('rlvr-lab').argv[1])"],
      { env: { ...process.env, JUPYTER_PATH: join(dir, "share/jupyter") }, encoding: "utf8" },
    );
    assert.equal(py.status, 0, py.stderr);
    assert.equal(py.stdout.trim(), spec.argv[1]);
  }
});

test("rlvr kernel install rejects --user together with --prefix", () => {
  const r = spawnSync(process.execPath, [cli, "kernel", "install", "--user", "--prefix", dir], { encoding: "utf8" });
  assert.equal(r.status, 2);
});
// `rlvr kernel --connection-file` itself is exercised in protocol.test.ts (parent-death test).

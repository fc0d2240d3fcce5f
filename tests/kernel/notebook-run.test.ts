// Headless notebook execution: `rlvr notebook run` (parameters, partial output on error, timeouts)
// and real Jupyter tooling (nbclient, `jupyter nbconvert --execute`) driving the kernel.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist/cli/main.js");
const python = "/usr/bin/python3";
const dir = mkdtempSync(join(tmpdir(), "rlvr-nb-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function notebook(cells: { source: string; tags?: string[] }[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "rlvr-lab", display_name: "rlvr-lab (TypeScript)", language: "typescript" } },
    cells: cells.map((c, i) => ({
      id: `c${i}`,
      cell_type: "code",
      source: c.source,
      metadata: c.tags ? { tags: c.tags } : {},
      outputs: [],
      execution_count: null,
    })),
  });
}

/** Run the CLI asynchronously (a sync spawn would block other tests' event loops). */
function rlvr(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, ...args], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    p.stderr.on("data", (d) => (stderr += d));
    p.on("exit", (status) => resolve({ status, stderr }));
  });
}

function hasPython(mod: string): boolean {
  return existsSync(python) && spawnSync(python, ["-c", `import ${mod}`]).status === 0;
}

test("rlvr notebook run injects typed --param values after the parameters cell and records outputs", { timeout: 60_000 }, async () => {
  const nb = join(dir, "params.ipynb");
  writeFileSync(
    nb,
    notebook([
      { source: 'let n = 1;\nlet label = "default";\nlet flag = false;', tags: ["parameters"] },
      { source: "console.log(label, typeof n, flag);\nn * 10" },
      { source: 'import * as tslab from "tslab";\ntslab.display.markdown(`**${label}**`);' },
    ]),
  );
  const out = join(dir, "params.out.ipynb");
  const r = await rlvr(["notebook", "run", nb, "--param", "n=4", "--param", "label=run-a", "--param", "flag=true", "--out", out, "--quiet"]);
  assert.equal(r.status, 0, r.stderr);
  const done = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(done.nbformat, 4);
  assert.ok(done.nbformat_minor >= 5);
  assert.equal(done.cells.length, 4);
  assert.deepEqual(done.cells[1].metadata.tags, ["injected-parameters"]);
  assert.deepEqual(done.cells.map((c: any) => c.execution_count), [1, 2, 3, 4]);
  const outs = done.cells[2].outputs;
  assert.deepEqual(outs[0], { output_type: "stream", name: "stdout", text: "run-a number true\n" });
  assert.equal(outs[1].output_type, "execute_result");
  assert.equal(outs[1].data["text/plain"], "40");
  assert.equal(done.cells[3].outputs[0].data["text/markdown"], "**run-a**");
  assert.equal(done.metadata.language_info.name, "typescript");
});

test("rlvr notebook run exits non-zero on the first error and writes the partial notebook", { timeout: 60_000 }, async () => {
  const nb = join(dir, "fail.ipynb");
  writeFileSync(nb, notebook([{ source: "1 + 1" }, { source: 'throw new TypeError("broken cell")' }, { source: "'never'" }]));
  const out = join(dir, "fail.out.ipynb");
  const r = await rlvr(["notebook", "run", nb, "--out", out, "--quiet"]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cell 1 failed: TypeError: broken cell/);
  const done = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(done.cells[0].outputs[0].data["text/plain"], "2");
  assert.equal(done.cells[1].outputs[0].output_type, "error");
  assert.equal(done.cells[1].outputs[0].ename, "TypeError");
  assert.deepEqual(done.cells[2].outputs, []);
  assert.equal(done.cells[2].execution_count, null);
});

test("rlvr notebook run --timeout interrupts a cell that runs too long", { timeout: 60_000 }, async () => {
  const nb = join(dir, "slow.ipynb");
  writeFileSync(nb, notebook([{ source: "await new Promise((r) => setTimeout(r, 1e6))" }]));
  const out = join(dir, "slow.out.ipynb");
  const r = await rlvr(["notebook", "run", nb, "--out", out, "--timeout", "1", "--quiet"]);
  assert.equal(r.status, 1);
  const done = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(done.cells[0].outputs.at(-1).ename, "CellTimeoutError");
});

test("rlvr notebook run rejects a malformed --param with usage exit code 2", async () => {
  const r = await rlvr(["notebook", "run", "x.ipynb", "--param", "not-a-pair"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /name=value/);
});

test("nbclient executes a notebook with the rlvr-lab kernel (JUPYTER_PATH=<repo>)", { timeout: 90_000 }, (t) => {
  if (!hasPython("nbclient")) return t.skip("/usr/bin/python3 lacks nbclient");
  const nb = join(dir, "nbclient.ipynb");
  writeFileSync(nb, notebook([{ source: "const xs = [1, 2, 3];\nxs.reduce((a, b) => a + b, 0)" }, { source: 'console.log("from nbclient")' }]));
  const script = `
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, kernel_name="rlvr-lab", timeout=60).execute()
print(nb.cells[0].outputs[0]["data"]["text/plain"])
print(nb.cells[1].outputs[0]["text"], end="")
`;
  const r = spawnSync(python, ["-c", script, nb], { cwd: dir, env: { ...process.env, JUPYTER_PATH: root }, encoding: "utf8", timeout: 80_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "6\nfrom nbclient\n");
});

test("jupyter nbconvert --to html --execute renders the kernel's outputs", { timeout: 90_000 }, (t) => {
  if (!hasPython("nbconvert")) return t.skip("/usr/bin/python3 lacks nbconvert");
  const nb = join(dir, "convert.ipynb");
  writeFileSync(nb, notebook([{ source: 'import * as tslab from "tslab";\ntslab.display.html("<b id=\\"marker\\">rlvr</b>");\n6 * 7' }]));
  const r = spawnSync(python, ["-m", "nbconvert", "--to", "html", "--execute", nb, "--output-dir", dir], {
    cwd: dir,
    env: { ...process.env, JUPYTER_PATH: root },
    encoding: "utf8",
    timeout: 80_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(join(dir, "convert.html"), "utf8");
  assert.match(html, /<b id="marker">rlvr<\/b>/);
  assert.match(html, />42</);
});

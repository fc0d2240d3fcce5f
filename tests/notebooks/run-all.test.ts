// Every notebooks/*.ipynb must execute headless with the rlvr-lab kernel without a single error output, and
// give the outputs that are committed (nbval-style, src/kernel/notebookCompare.ts: text exactly, numbers
// within a tolerance, plots by spec; cells tagged `nondeterministic` are not compared).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readNotebook, runNotebookFile, writeNotebook } from "../../src/kernel/notebookRunner.js";
import { compareNotebooks } from "../../src/kernel/notebookCompare.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = join(root, "notebooks");
const notebooks = readdirSync(dir)
  .filter((f) => f.endsWith(".ipynb") && !f.endsWith(".executed.ipynb"))
  .sort();
const outDir = mkdtempSync(join(tmpdir(), "rlvr-notebooks-"));
after(() => rmSync(outDir, { recursive: true, force: true }));

test("notebooks/ holds at least one notebook", () => {
  assert.ok(notebooks.length >= 1, "expected notebooks/*.ipynb (00-hello.ipynb is the smoke notebook)");
});

for (const name of notebooks) {
  test(`notebooks/${name} runs without error outputs and gives its committed outputs`, { timeout: 300_000 }, async () => {
    const result = await runNotebookFile(join(dir, name), { cellTimeoutMs: 240_000 });
    const out = join(outDir, name);
    writeNotebook(out, result.notebook);
    const f = result.failure;
    assert.ok(result.ok, f ? `cell ${f.cellIndex} failed: ${f.ename}: ${f.evalue} (executed copy: ${out})` : "failed");
    const errors = result.notebook.cells.flatMap((c, i) =>
      ((c.outputs ?? []) as { output_type: string; ename?: string; evalue?: string }[])
        .filter((o) => o.output_type === "error")
        .map((o) => `cell ${i}: ${o.ename}: ${o.evalue}`),
    );
    assert.deepEqual(errors, []);
    assert.ok(result.executedCells > 0, "a notebook without code cells proves nothing");
    const diffs = compareNotebooks(readNotebook(join(dir, name)), result.notebook);
    assert.deepEqual(
      diffs.map((d) => `cell ${d.cell} ${d.where}: ${d.message}`),
      [],
      `the committed outputs of ${name} are not what it gives now (executed copy: ${out}). Re-execute and commit it ` +
        `(node dist/cli/main.js notebook run notebooks/${name} --out notebooks/${name}), or tag a cell whose output ` +
        `varies run to run "nondeterministic"`,
    );
  });
}

// The nbval-style comparison of committed vs executed notebook outputs (src/kernel/notebookCompare.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareJson, compareNotebooks, compareText } from "../../src/kernel/notebookCompare.js";
import type { Notebook } from "../../src/kernel/parameters.js";

const nb = (outputs: object[][], tags: string[][] = []): Notebook =>
  ({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: outputs.map((o, i) => ({ cell_type: "code", source: [`cell ${i}`], metadata: tags[i] ? { tags: tags[i] } : {}, outputs: o, execution_count: i + 1 })),
  }) as unknown as Notebook;
const result = (plain: string, extra: object = {}) => ({ output_type: "execute_result", data: { "text/plain": plain, ...extra }, metadata: {}, execution_count: 1 });

test("compareText accepts equal text and numbers within the tolerance, and names what differs", () => {
  assert.equal(compareText("pass@1 0.2950 [0.25, 0.34]", "pass@1 0.2950 [0.25, 0.34]", 1e-6, 1e-9), null);
  assert.equal(compareText("x = 1.0000000", "x = 1.0000001", 1e-6, 1e-9), null);
  assert.match(compareText("x = 1.00", "x = 1.01", 1e-6, 1e-9)!, /number 1\.00 became 1\.01/);
  assert.match(compareText("status correct", "status wrong", 1e-6, 1e-9)!, /text differs/);
  assert.match(compareText("a 1 b", "a 1 b 2", 1e-6, 1e-9)!, /text differs/, "an extra number is a difference");
  assert.equal(compareText("-3e-5", "-3.0000001e-5", 1e-6, 1e-9), null, "scientific notation parses as one number");
});

test("compareJson compares plots by spec: keys and strings exactly, numbers within the tolerance", () => {
  const fig = { data: [{ type: "scatter", x: [0, 1], y: [0.5, 0.25] }], layout: { title: { text: "reward" } } };
  assert.equal(compareJson(fig, structuredClone(fig), 1e-6, 1e-9), null);
  const moved = structuredClone(fig);
  moved.data[0].y[1] = 0.3;
  assert.match(compareJson(fig, moved, 1e-6, 1e-9)!, /\.data\[0\]\.y\[1\]: 0\.25 became 0\.3/);
  const renamed = structuredClone(fig);
  renamed.layout.title.text = "loss";
  assert.match(compareJson(fig, renamed, 1e-6, 1e-9)!, /title\.text/);
  assert.match(compareJson({ a: 1 }, { a: 1, b: 2 }, 1e-6, 1e-9)!, /keys/);
  assert.match(compareJson([1, 2], [1], 1e-6, 1e-9)!, /length 2 became 1/);
});

test("compareNotebooks: same outputs agree; a changed value, a new output or an error is reported by cell", () => {
  const committed = nb([[result("42")], [{ output_type: "stream", name: "stdout", text: ["took 1.2 s\n"] }]], [[], ["nondeterministic"]]);
  assert.deepEqual(compareNotebooks(committed, nb([[result("42")], [{ output_type: "stream", name: "stdout", text: ["took 9.9 s\n"] }]])), []);
  const d1 = compareNotebooks(committed, nb([[result("43")], []]));
  assert.equal(d1.length, 1, "the tagged cell is not compared");
  assert.equal(d1[0].cell, 0);
  assert.equal(d1[0].where, "outputs[0].data.text/plain");
  const d2 = compareNotebooks(committed, nb([[result("42"), result("1")], []]));
  assert.match(d2[0].message, /outputs \[execute_result\] became \[execute_result,execute_result\]/);
  const d3 = compareNotebooks(committed, nb([[result("42")], [{ output_type: "error", ename: "Error", evalue: "boom", traceback: [] }]]));
  assert.match(d3[0].message, /error Error: boom/, "an error output is reported even in a nondeterministic cell");
  const d4 = compareNotebooks(committed, nb([[result("42", { "text/html": "<b>42</b>" })], []]));
  assert.match(d4[0].message, /MIME types/);
});

test("compareNotebooks reports a different cell count or source instead of comparing misaligned cells", () => {
  const a = nb([[result("1")], [result("2")]]);
  assert.match(compareNotebooks(a, nb([[result("1")]]))[0].message, /2 cells became 1/);
  const b = nb([[result("1")], [result("2")]]);
  (b.cells[1] as { source: string[] }).source = ["edited"];
  assert.equal(compareNotebooks(a, b)[0].where, "source");
});

test("a cell's own tolerance (metadata.rlvr.tolerance) overrides the default", () => {
  const committed = nb([[result("reward 0.50")]]);
  (committed.cells[0] as { metadata: object }).metadata = { rlvr: { tolerance: 0.1 } };
  assert.deepEqual(compareNotebooks(committed, nb([[result("reward 0.52")]])), []);
  assert.equal(compareNotebooks(committed, nb([[result("reward 0.70")]])).length, 1);
});

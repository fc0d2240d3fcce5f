// Pure pieces of the kernel: wire signing, history queries, parameters, output mapping, MIME bundles.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { decodeMessage, encodeMessage, newHeader, sign } from "../../src/kernel/wire.js";
import { History, globToRegExp } from "../../src/kernel/history.js";
import { injectParameters, parseParams, parseParamValue, toSourceLines, type Notebook } from "../../src/kernel/parameters.js";
import { applyOutput, toNbformat45 } from "../../src/kernel/notebookRunner.js";
import { MIMEBUNDLE, toDisplayContent } from "../../src/kernel/mimebundle.js";
import type { Message } from "../../src/kernel/wire.js";

test("sign is HMAC-SHA256 over the four JSON frames and empty without a key", () => {
  const frames = ["{}", "{}", "{}", '{"a":1}'];
  const h = createHmac("sha256", "k");
  for (const f of frames) h.update(f);
  assert.equal(sign("k", frames), h.digest("hex"));
  assert.equal(sign("", frames), "");
});

test("encodeMessage/decodeMessage round-trip keeps identities and buffers, and reject a bad signature", () => {
  const header = newHeader("execute_request", "s1");
  const frames = encodeMessage("secret", {
    identities: [Buffer.from("peer")],
    header,
    parent_header: {},
    metadata: {},
    content: { code: "1+1", ünï: "çødé" },
    buffers: [Buffer.from([1, 2, 3])],
  });
  const msg = decodeMessage("secret", frames);
  assert.deepEqual(msg.identities, [Buffer.from("peer")]);
  assert.equal(msg.header.msg_id, header.msg_id);
  assert.deepEqual(msg.content, { code: "1+1", ünï: "çødé" });
  assert.deepEqual(msg.buffers, [Buffer.from([1, 2, 3])]);
  assert.throws(() => decodeMessage("other", frames), /signature/);
  assert.throws(() => decodeMessage("secret", [Buffer.from("x")]), /delimiter/);
});

test("globToRegExp matches whole inputs like SQLite GLOB", () => {
  assert.ok(globToRegExp("1 + 2*").test("1 + 2 + 3"));
  assert.ok(!globToRegExp("1 + 2*").test("x 1 + 2"));
  assert.ok(globToRegExp("a?c").test("abc"));
  assert.ok(globToRegExp("[ab]x").test("bx"));
  assert.ok(globToRegExp("a.b").test("a.b") && !globToRegExp("a.b").test("axb"));
});

test("History tail/range/search follow ipykernel's shapes, with unique and n", () => {
  const h = new History();
  assert.deepEqual(h.query({ hist_access_type: "tail", n: 5 }), []);
  ["1+1", "x", "1+1", "1+2"].forEach((code, i) => h.add(i + 1, code));
  h.setOutput(4, "3");
  assert.deepEqual(h.query({ hist_access_type: "tail", n: 2 }), [[1, 3, "1+1"], [1, 4, "1+2"]]);
  assert.deepEqual(h.query({ hist_access_type: "tail", n: 1, output: true }), [[1, 4, ["1+2", "3"]]]);
  assert.deepEqual(h.query({ hist_access_type: "range", session: 0, start: 2, stop: 3 }), [[1, 2, "x"]]);
  assert.deepEqual(h.query({ hist_access_type: "range", session: 7, start: 1, stop: 9 }), []);
  assert.equal(h.query({ hist_access_type: "search", pattern: "1+*" }).length, 3);
  assert.deepEqual(h.query({ hist_access_type: "search", pattern: "1+*", unique: true }), [[1, 3, "1+1"], [1, 4, "1+2"]]);
  assert.deepEqual(h.query({ hist_access_type: "search", pattern: "1+*", n: 1 }), [[1, 4, "1+2"]]);
});

test("parseParamValue types numbers, booleans, null and JSON, and keeps other text", () => {
  assert.equal(parseParamValue("3"), 3);
  assert.equal(parseParamValue("-1.5e3"), -1500);
  assert.equal(parseParamValue("true"), true);
  assert.equal(parseParamValue("null"), null);
  assert.deepEqual(parseParamValue("[1,2]"), [1, 2]);
  assert.equal(parseParamValue('"007"'), "007");
  assert.equal(parseParamValue("gsm8k"), "gsm8k");
  assert.equal(parseParamValue("{not json"), "{not json");
  assert.equal(parseParamValue("NaN"), "NaN");
});

test("parseParams rejects pairs without = and names that are not identifiers", () => {
  assert.deepEqual(parseParams(["a=1", "b=x=y"]), { a: 1, b: "x=y" });
  assert.throws(() => parseParams(["novalue"]), /name=value/);
  assert.throws(() => parseParams(["1x=2"]), /identifier/);
});

test("injectParameters adds a tagged cell after the parameters cell, or first when there is none", () => {
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 4,
    metadata: {},
    cells: [
      { cell_type: "markdown", source: "# t", metadata: {} },
      { cell_type: "code", source: "let n = 1;", metadata: { tags: ["parameters"] } },
      { cell_type: "code", source: "n", metadata: {} },
    ],
  };
  const out = injectParameters(nb, { n: 5, name: "a\"b" });
  assert.equal(out.cells.length, 4);
  assert.deepEqual(out.cells[2]!.metadata.tags, ["injected-parameters"]);
  const src = (out.cells[2]!.source as string[]).join("");
  assert.match(src, /let n = 5;/);
  assert.match(src, /let name = "a\\"b";/);
  assert.equal(nb.cells.length, 3, "input notebook is not modified");
  const none = injectParameters({ ...nb, cells: [nb.cells[2]!] }, { n: 2 });
  assert.deepEqual(none.cells[0]!.metadata.tags, ["injected-parameters"]);
  assert.equal(injectParameters(nb, {}), nb);
  assert.deepEqual(toSourceLines("a\nb"), ["a\n", "b"]);
});

test("toNbformat45 gives every cell a unique id and code cells outputs/execution_count", () => {
  const nb = toNbformat45({
    nbformat: 4,
    nbformat_minor: 2,
    metadata: {},
    cells: [
      { cell_type: "code", source: "1", metadata: {}, id: "same" },
      { cell_type: "code", source: "2", metadata: {}, id: "same" },
      { cell_type: "markdown", source: "x", metadata: {} },
    ],
  });
  assert.equal(nb.nbformat_minor, 5);
  const ids = nb.cells.map((c) => c.id);
  assert.equal(new Set(ids).size, 3);
  assert.deepEqual(nb.cells[1]!.outputs, []);
  assert.equal(nb.cells[1]!.execution_count, null);
});

function iopub(type: string, content: object): Message {
  return { identities: [], header: newHeader(type, "s"), parent_header: {}, metadata: {}, content, buffers: [] };
}

test("applyOutput merges streams, updates displays by id and honours clear_output(wait)", () => {
  const outs: Record<string, any>[] = [];
  const st = { clearPending: false };
  applyOutput(outs, iopub("stream", { name: "stdout", text: "a" }), st);
  applyOutput(outs, iopub("stream", { name: "stdout", text: "b" }), st);
  applyOutput(outs, iopub("stream", { name: "stderr", text: "e" }), st);
  assert.deepEqual(outs.map((o) => o.text), ["ab", "e"]);
  applyOutput(outs, iopub("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "p" } }), st);
  applyOutput(outs, iopub("update_display_data", { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "p" } }), st);
  assert.equal(outs[2]!.data["text/plain"], "100%");
  assert.equal(JSON.stringify(outs[2]).includes("display_id"), false, "display id is not written to the notebook");
  applyOutput(outs, iopub("clear_output", { wait: true }), st);
  assert.equal(outs.length, 3);
  applyOutput(outs, iopub("error", { ename: "E", evalue: "v", traceback: [] }), st);
  assert.deepEqual(outs, [{ output_type: "error", ename: "E", evalue: "v", traceback: [] }]);
});

test("toDisplayContent uses the rlvr.mimebundle symbol, _repr_mimebundle_, and always has text/plain", () => {
  assert.deepEqual(toDisplayContent(2).data, { "text/plain": "2" });
  assert.deepEqual(toDisplayContent("s").data, { "text/plain": "'s'" });
  const fromSymbol = toDisplayContent({ [MIMEBUNDLE]: () => ({ "text/html": "<b>x</b>", "not a mime": 1 }) });
  assert.equal(fromSymbol.data["text/html"], "<b>x</b>");
  assert.equal("not a mime" in fromSymbol.data, false);
  assert.equal(typeof fromSymbol.data["text/plain"], "string");
  const py = toDisplayContent({ _repr_mimebundle_: () => ({ "text/plain": "custom", "image/png": new Uint8Array([1, 2]) }) });
  assert.deepEqual(py.data, { "text/plain": "custom", "image/png": "AQI=" });
  const json = toDisplayContent({ [MIMEBUNDLE]: { "application/vnd.plotly.v1+json": { data: [] } } });
  assert.deepEqual(json.data["application/vnd.plotly.v1+json"], { data: [] });
  const broken = toDisplayContent({ [MIMEBUNDLE]: () => { throw new Error("nope"); } });
  assert.equal(broken.metadata["rlvr/bundle_error"], "nope");
  assert.equal(typeof broken.data["text/plain"], "string");
});

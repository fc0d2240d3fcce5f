import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { escapeHtml, jsonForScript, highlightSpan, galleryHtml, completionGallery, tableHtml, tableText, formatCell, plot, plotlyHtml, resetPlotlyInline, RLVR_MIMEBUNDLE, Rich } from "../../src/notebook/index.js";
import { rewardPlot } from "../../src/plots/index.js";

const XSS = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;

describe("escaping", () => {
  test("escapeHtml neutralises tags, quotes and backticks", () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>\`&`), "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&#96;&amp;");
  });
  test("jsonForScript cannot close a script element and round-trips through JSON.parse", () => {
    const v = { s: "</script><!-- \u2028 & >" };
    const j = jsonForScript(v);
    assert.ok(!j.includes("</script"));
    assert.ok(!j.includes("<!--"));
    assert.deepEqual(JSON.parse(j), v);
  });
});

describe("highlightSpan", () => {
  test("wraps exactly the span in <mark> and escapes around it", () => {
    assert.equal(highlightSpan("a<b #### 18 c", [9, 11]), "a&lt;b #### <mark>18</mark> c");
  });
  test("a long text keeps head, the span window and tail, and says what was cut", () => {
    const text = "x".repeat(5000) + "ANSWER" + "y".repeat(5000);
    const h = highlightSpan(text, [5000, 5006], 900);
    assert.match(h, /<mark>ANSWER<\/mark>/);
    assert.match(h, /…\[\d+ chars\]…/);
    assert.ok(h.length < 1500);
  });
  test("an invalid span is ignored rather than throwing", () => {
    assert.equal(highlightSpan("abc", [2, 99]), "abc");
    assert.equal(highlightSpan("abc", null), "abc");
  });
});

describe("completion gallery", () => {
  const items = [
    { id: 1, prompt: "Q <b>", completion: `so #### 18 ${XSS}`, gold: "18", verdict: { status: "correct" as const, span: [8, 10] as [number, number], extracted: "18", rule: "gsm8k/strict" }, format: { strict: true, flexible: true } },
    { id: 2, completion: XSS, gold: "3", verdict: { status: "unparseable" as const, span: null, extracted: null, rule: "none" }, finish_reason: "length" },
  ];
  test("model text never appears as markup", () => {
    const h = galleryHtml(items);
    assert.ok(!h.includes("<script>window"));
    assert.ok(!h.includes("<img src=x"));
    assert.match(h, /&lt;script&gt;window.__pwned=1&lt;\/script&gt;/);
    assert.match(h, /<mark>18<\/mark>/);
    assert.match(h, /truncated/);
  });
  test("filters only offer statuses present and counts them", () => {
    const h = galleryHtml(items);
    assert.match(h, /correct \(1\)/);
    assert.match(h, /unparseable \(1\)/);
    assert.ok(!/timeout \(/.test(h));
  });
  test("statuses option and maxItems limit what is shown", () => {
    const h = galleryHtml(items, { statuses: ["correct"] });
    assert.ok(!h.includes(`class="card s-unparseable"`));
    assert.ok(h.includes(`class="card s-correct"`));
    const r = completionGallery(items, { maxItems: 1 });
    assert.match(String(r.bundle["text/plain"]), /2 completions: correct=1, unparseable=1/);
    assert.match(String(r.bundle["text/html"]), /showing 1 of 2/);
  });
});

describe("tables", () => {
  test("cells are escaped, bigints and long strings formatted, extra rows counted", () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ step: BigInt(i), text: i === 0 ? "<b>x</b>" : "y".repeat(300), v: 1 / 3 }));
    const h = tableHtml(rows, { maxRows: 3 });
    assert.match(h, /&lt;b&gt;x&lt;\/b&gt;/);
    assert.match(h, /showing 3 of 5 rows/);
    assert.equal(formatCell(1 / 3), "0.3333");
    assert.equal(formatCell(10n), "10");
    assert.ok(formatCell("z".repeat(500)).length <= 200);
    const t = tableText(rows, { maxRows: 2 });
    assert.match(t, /… 3 more rows/);
  });
});

describe("plot bundles", () => {
  test("a plot carries Plotly JSON, offline HTML and text, and inlines plotly.js only once", () => {
    resetPlotlyInline();
    const fig = rewardPlot([{ step: 0, "reward/mean": 0.5, "reward/std": 0.1 }]);
    const a = plot(fig);
    const b = plot(fig);
    assert.deepEqual(a.bundle["application/vnd.plotly.v1+json"], fig);
    assert.ok(String(a.bundle["text/html"]).length > 1_000_000, "first plot inlines plotly.js");
    assert.ok(String(b.bundle["text/html"]).length < 10_000, "second plot does not");
    assert.match(String(a.bundle["text/plain"]), /\[plot\] Reward/);
    assert.equal(typeof (a as Rich)[RLVR_MIMEBUNDLE], "function");
    assert.ok(!plotlyHtml(fig, { inlinePlotly: "never" }).includes("Plotly v"));
  });
});

describe("findings view", async () => {
  const { findingsView } = await import("../../src/notebook/doctorView.js");
  test("escapes evidence from user files and lists each finding in text", () => {
    const r = findingsView(
      [{ id: "x", title: "T", severity: "critical", steps: [1, 4], evidence: { metric: "<img src=x onerror=1>" }, cause: "c", check: "k" }],
      { warnings: ["<b>w</b>"] },
    );
    const h = String(r.bundle["text/html"]);
    assert.ok(!h.includes("<img"));
    assert.ok(!h.includes("<b>w</b>"));
    assert.match(String(r.bundle["text/plain"]), /\[critical\] T \(x, steps 1–4\)/);
  });
  test("no findings says so", () => {
    assert.equal(String(findingsView([]).bundle["text/plain"]), "no findings");
  });
});

test("completionGallery shows IFEval verdicts instruction by instruction, failed first, evidence escaped", async () => {
  const { verifyIfeval } = await import("../../src/verifiers/ifeval/index.js");
  const completion = "<<T>> <script>alert(1)</script>, done";
  const verdict = verifyIfeval({ completion, instruction_id_list: ["detectable_format:title", "punctuation:no_comma"], kwargs: [{}, {}] });
  const html = completionGallery([{ id: 1, completion, verdict }]).bundle["text/html"] as string;
  const failed = html.indexOf("✗ punctuation:no_comma");
  const followed = html.indexOf("✓ detectable_format:title");
  assert.ok(failed >= 0 && followed > failed, "the failed instruction is listed first");
  assert.match(html, /title &quot;&lt;&lt;T&gt;&gt;&quot;/);
  assert.doesNotMatch(html, /<script>/);
});

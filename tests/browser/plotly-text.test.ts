// Plotly renders titles, series names, tick labels and hover text as pseudo-HTML. Run data in them (a
// stratum called `<a href=…>`, a model id with `<b>`) must show as text: no link, no bold, no line break.
// Checked in headless Chromium on the HTML a notebook cell and report.html carry.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { hasChromium, launch } from "./helpers.js";
import { plot, resetPlotlyInline } from "../../src/notebook/index.js";
import { passAtKPlot, metricsPlot, escapeFigureText } from "../../src/plots/index.js";

// Browser globals inside page.evaluate callbacks (the test build has no DOM lib: it would clash with Node's types).
declare const document: { querySelectorAll(selector: string): ArrayLike<any> };
declare const window: any;

const LINK = `<a href="https://example.invalid/x">click me</a>`;
const BOLD = `<b>bold</b> & <br>broken`;

describe("Plotly text is escaped (headless Chromium)", { skip: hasChromium ? false : "no /usr/bin/chromium (apt-get install chromium)" }, () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), "rlvr-plotly-text-"));
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a stratum named like a link, a bold title and a category label render as literal text", async () => {
    resetPlotlyInline();
    const fig = passAtKPlot(
      [
        { name: LINK, passAtK: { "1": { estimate: 0.3, ci95: [0.2, 0.4] }, "4": { estimate: 0.6, ci95: [0.5, 0.7] } }, nProblems: 40 },
        { name: "plain", passAtK: { "1": { estimate: 0.2, ci95: [0.1, 0.3] }, "4": { estimate: 0.4, ci95: [0.3, 0.5] } } },
      ],
      { title: BOLD },
    );
    const bars = { data: [{ type: "bar", name: "by level", x: [LINK, "level 2"], y: [3, 4] }], layout: { title: { text: LINK }, height: 300 } };
    const html = String(plot(fig).bundle["text/html"]) + String(plot(bars).bundle["text/html"]);
    const file = join(dir, "figs.html");
    writeFileSync(file, `<!doctype html><html><body>${html}</body></html>`);
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await page.route(/^(?!file:)/, (r) => r.abort());
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.waitForSelector(".rlvr-plot .main-svg", { timeout: 15000 });
    await page.waitForFunction(() => document.querySelectorAll(".rlvr-plot .main-svg").length >= 4);
    assert.deepEqual(errors, []);
    // Plotly turns <a href> in text into an SVG <a> element; there must be none.
    assert.equal(await page.locator(".rlvr-plot svg a").count(), 0, "no link was created from run data");
    // Plotly renders <b> as a bold tspan; none may exist.
    const bold = await page.evaluate(() => Array.from(document.querySelectorAll(".rlvr-plot tspan")).filter((t) => t.style.fontWeight === "bold").length);
    assert.equal(bold, 0);
    const texts = await page.evaluate(() => Array.from(document.querySelectorAll(".rlvr-plot text")).map((t) => t.textContent ?? ""));
    assert.ok(texts.some((t) => t.includes(`${LINK} (n=40)`)), `legend shows the name as text: ${JSON.stringify(texts)}`);
    assert.ok(texts.some((t) => t === BOLD), "the title is shown exactly, <br> included");
    assert.ok(texts.some((t) => t === LINK), "the category tick label and title are shown exactly");
    await page.close();
  });

  test("escapeFigureText escapes text fields only, leaves numbers, colours and templates, and does not mutate", () => {
    const fig = metricsPlot([{ step: 0, loss: 1 }], ["loss"], { title: "<i>t</i>" });
    fig.data[0].hovertemplate = "%{y}<extra>ours</extra>";
    const safe = escapeFigureText(fig);
    assert.equal((safe.layout.title as { text: string }).text, "&lt;i&gt;t&lt;/i&gt;");
    assert.equal((fig.layout.title as { text: string }).text, "<i>t</i>", "input unchanged");
    assert.equal(safe.data[0].hovertemplate, "%{y}<extra>ours</extra>");
    assert.deepEqual(safe.data[0].y, [1]);
    assert.equal((safe.data[0].line as { color: string }).color, (fig.data[0].line as { color: string }).color);
  });
});

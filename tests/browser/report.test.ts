import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { hasChromium, launch } from "./helpers.js";
import { galleryHtml, resetPlotlyInline, plotlyScriptSource, plot } from "../../src/notebook/index.js";
import { writeRunReport, rewardPlot } from "../../src/plots/index.js";
// page.evaluate callbacks run in the browser: DOM globals, typed loosely (the test build has no DOM lib).
declare const window: any;
declare const document: any;

const PAYLOADS = [
  `<script>window.__pwned = "script"</script>`,
  `<img src=x onerror="window.__pwned='img'">`,
  `"><svg onload="window.__pwned='svg'">`,
  `</pre></div><script>window.__pwned="breakout"</script>`,
  `javascript:window.__pwned='href'`,
];

async function openAndWatch(page: Page, url: string) {
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(url, { waitUntil: "load" });
  return { errors, dialogs };
}

describe("browser checks (headless Chromium)", { skip: hasChromium ? false : "no /usr/bin/chromium (apt-get install chromium)" }, () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), "rlvr-browser-"));
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test("a gallery of hostile completions executes nothing", async () => {
    const items = PAYLOADS.map((p, i) => ({
      id: `<b>${i}</b>`,
      prompt: p,
      completion: `Let me think. ${p} The answer is #### 7 ${p}`,
      gold: p,
      verdict: { status: (i % 2 ? "wrong" : "correct") as "wrong" | "correct", span: [14, 14 + p.length] as [number, number], extracted: p, rule: p },
    }));
    const file = join(dir, "gallery.html");
    writeFileSync(file, `<!doctype html><html><body>${galleryHtml(items)}</body></html>`);
    const page = await browser.newPage();
    const { dialogs } = await openAndWatch(page, pathToFileURL(file).href);
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
    assert.deepEqual(dialogs, []);
    assert.equal(await page.locator("script").count(), 0, "no script element was created from model text");
    assert.equal(await page.locator("img").count(), 0);
    assert.equal(await page.locator(".card").count(), PAYLOADS.length);
    // The payload text is visible as text.
    assert.match((await page.locator(".card").first().innerText()), /<script>window.__pwned/);
    // The CSS-only status filter hides the other cards.
    await page.locator("label", { hasText: "wrong" }).click();
    const visible = await page.locator(".card:visible").count();
    assert.equal(visible, 2);
    await page.close();
  });

  test("report.html renders every chart offline with no console errors and escapes rollout text", async () => {
    const run = join(dir, "run");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(run);
    const steps = Array.from({ length: 20 }, (_, s) => ({
      step: s,
      "reward/mean": 0.2 + s * 0.03,
      "reward/std": 0.3,
      entropy: 1.2 - s * 0.02,
      "kl/k1_mean": s * 0.001,
      "kl/k3_mean": s * 0.001,
      "kl/max": s * 0.01,
      "format/strict_rate": 0.9,
      "format/flexible_rate": 0.95,
      "completions/mean_length": 30,
      "completions/truncated_frac": 0.02,
    }));
    writeFileSync(join(run, "trace.jsonl"), steps.map((s) => JSON.stringify(s)).join("\n") + "\n");
    const rollouts = PAYLOADS.map((p, i) => ({
      step: 19, problem_id: `p${i}`, sample_index: 0, prompt: p, completion: `${p} #### 3`, reward: i % 2, status: i % 2 ? "correct" : "wrong",
      num_tokens: 10, finish_reason: "stop", sampler_logprobs: [-1, -2, -0.5], trainer_logprobs: [-1.01, -2, -0.49],
    }));
    writeFileSync(join(run, "rollouts.jsonl"), rollouts.map((r) => JSON.stringify(r)).join("\n") + "\n{\"step\": 1, \"trunc");
    writeFileSync(join(run, "summary.json"), JSON.stringify({
      base: { "pass@1": { estimate: 0.3, ci95: [0.25, 0.35], n: 200 } },
      tuned: { "pass@1": { estimate: 0.6, ci95: [0.55, 0.65], n: 200 } },
      lift: { estimate: 0.3, ci95: [0.22, 0.38], p_value: 0.001 },
      backend: "wasm", seconds: 12.5,
    }));
    const out = await writeRunReport(run);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    // Offline: block every network request that is not the file itself.
    await page.route(/^(?!file:)/, (r) => r.abort());
    const { errors, dialogs } = await openAndWatch(page, pathToFileURL(out).href);
    await page.waitForSelector(".rlvr-plot .main-svg", { timeout: 15000 });
    const plots = await page.locator(".rlvr-plot").count();
    assert.equal(plots, 6, "reward, format drift, entropy, KL, length, logprob histogram");
    // Each chart drew at least one data trace with a real path.
    const drawn = await page.evaluate(() =>
      Array.from(document.querySelectorAll(".rlvr-plot")).map(
        (el: any) => Array.from(el.querySelectorAll(".scatterlayer path.js-line, .barlayer path") as any[]).filter((p: any) => (p.getAttribute("d") ?? "").length > 10).length,
      ),
    );
    assert.ok(drawn.every((n) => n > 0), `every chart draws data: ${JSON.stringify(drawn)}`);
    const shot = await page.locator(".rlvr-plot").first().screenshot();
    assert.ok(shot.length > 8000, `first chart screenshot is not blank (${shot.length} bytes)`);
    assert.deepEqual(errors, []);
    assert.deepEqual(dialogs, []);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
    const text = await page.locator("body").innerText();
    assert.match(text, /lift · estimate|lift/);
    assert.match(text, /rollouts\.jsonl:\d+: .*incomplete/, "the truncated rollout line is reported as a warning");
    await page.close();
  });

  test("a notebook-style plot bundle renders standalone from its text/html", async () => {
    resetPlotlyInline();
    const fig = rewardPlot([{ step: 0, "reward/mean": 0.1, "reward/std": 0.05 }, { step: 1, "reward/mean": 0.4, "reward/std": 0.1 }]);
    const html = String(plot(fig).bundle["text/html"]);
    assert.ok(html.includes(plotlyScriptSource().slice(0, 200)));
    const file = join(dir, "cell.html");
    writeFileSync(file, `<!doctype html><html><body>${html}</body></html>`);
    const page = await browser.newPage();
    await page.route(/^(?!file:)/, (r) => r.abort());
    const { errors } = await openAndWatch(page, pathToFileURL(file).href);
    await page.waitForSelector(".rlvr-plot .main-svg", { timeout: 15000 });
    assert.deepEqual(errors, []);
    await page.close();
  });
});

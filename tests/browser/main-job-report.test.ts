// The main job's report as a user gets it: `rlvr start --quick` through the bin link, then report.html in
// headless Chromium. The gallery highlights the verifier's extracted answer (rollouts carry the verdict's
// extracted/span/rule), the headline table has one row per number with its n, times are rounded, the KL
// max sits on its own axis, the truncation axis has round ticks, and the reward band stays in [0, 1].
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { hasChromium, launch } from "./helpers.js";
import { binSkip, rlvr, type CliResult } from "../helpers/cli.js";

// Browser globals inside page.evaluate callbacks (the test build has no DOM lib: it would clash with Node's types).
declare const document: { querySelectorAll(selector: string): ArrayLike<any> };
declare const window: any;

const skip = binSkip || (hasChromium ? false : "no /usr/bin/chromium (apt-get install chromium)");

describe("rlvr start --quick report.html (headless Chromium)", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "rlvr-main-report-"));
  const out = join(dir, "run");
  let run: CliResult;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  before(async () => {
    run = await rlvr(["start", "--quick", "--out", out], { cwd: dir, timeoutMs: 300_000 });
    assert.equal(run.code, 0, run.stderr);
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.route(/^(?!file:)/, (r) => r.abort());
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
    await page.goto(pathToFileURL(join(out, "report.html")).href, { waitUntil: "load" });
    await page.waitForFunction(() => document.querySelectorAll(".rlvr-plot .main-svg").length >= 6, undefined, { timeout: 20_000 });
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the step log labels its time column and gives an estimate after the first step", () => {
    assert.match(run.stdout, /first step took \d[\d.]* s: training will take about .* \(4 steps\)/);
    assert.match(run.stdout, /step 1\/4 reward [\d.]+ .* time [\d.]+ s eta /);
    assert.match(run.stdout, /^time {2}[\d.]+ s on \w+(?: \([^)]*\))? \(training [\d.]+ s\)$/m);
  });

  test("rollouts carry the verdict's extracted answer, span and rule, and the gallery highlights them", async () => {
    const rollouts = readFileSync(join(out, "rollouts.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    for (const r of rollouts) {
      assert.equal(typeof r.rule, "string");
      assert.equal(typeof r.gold, "string");
      if (r.extracted !== null) assert.equal(r.completion.slice(r.span[0], r.span[1]), r.extracted, "span points at the extracted text");
    }
    const withAnswer = rollouts.filter((r) => r.step === 3 && r.extracted !== null).length;
    assert.ok(withAnswer > 0);
    const marks = await page.locator(".card mark").count();
    assert.equal(marks, withAnswer, "one highlight per last-step rollout with an extracted answer");
    const cards = await page.locator(".card").allInnerTexts();
    assert.ok(cards.every((t) => !/extracted ∅ · rule reward=/.test(t)), "no card falls back to 'rule reward=…'");
    assert.ok(cards.some((t) => /rule arith\//.test(t)));
  });

  test("the headline table has one row per number, each with its n, and the time is rounded", async () => {
    const rows = await page.evaluate(() =>
      Array.from(document.querySelectorAll("table.rlvr-table tr")).map((tr) => Array.from(tr.querySelectorAll("td,th")).map((c: any) => c.textContent ?? "")),
    );
    const metrics = rows.slice(1).map((r) => r[0]);
    assert.deepEqual(metrics, ["base · pass@1", "base · pass@2", "base · greedy · pass@1", "tuned · pass@1", "tuned · pass@2", "tuned · greedy · pass@1", "lift"]);
    assert.equal(rows[0][3], "n (problems)");
    assert.ok(rows.slice(1).every((r) => r[3] === "16"), JSON.stringify(rows));
    const facts = await page.locator("body > p").first().innerText();
    assert.match(facts, /time: \d+(\.\d{1,2})? s \(training \d+(\.\d{1,2})? s\)/, "formatSeconds: two decimals under 1 s, one under 10 s");
    assert.doesNotMatch(facts, /\d\.\d{3,}/, "no unrounded seconds");
  });

  test("KL max is on a right axis, truncation ticks are round, the reward band stays in [0, 1]", async () => {
    const layout = await page.evaluate(() =>
      Array.from(document.querySelectorAll(".rlvr-plot")).map((el) => {
        const gd = el as unknown as { layout: Record<string, any>; data: Record<string, any>[] };
        return { title: gd.layout.title?.text, y2: gd.layout.yaxis2, data: gd.data.map((d) => ({ name: d.name, yaxis: d.yaxis, y: d.y })) };
      }),
    );
    const kl = layout.find((f) => f.title === "KL to reference")!;
    assert.equal(kl.data.find((d) => String(d.name).startsWith("kl/max"))!.yaxis, "y2");
    const len = layout.find((f) => String(f.title).startsWith("Completion length"))!;
    const ticks = await page.evaluate(
      (i) => Array.from(document.querySelectorAll(".rlvr-plot")[i].querySelectorAll(".y2tick text")).map((t: any) => t.textContent),
      layout.indexOf(len),
    );
    assert.deepEqual(ticks, ["0%", "25%", "50%", "75%", "100%"]);
    const reward = layout.find((f) => f.title === "Reward")!;
    for (const d of reward.data.slice(0, 2)) for (const v of d.y as (number | null)[]) assert.ok(v === null || (v >= 0 && v <= 1), `band value ${v}`);
    assert.deepEqual(errors, []);
    const shot = await page.screenshot({ fullPage: false });
    assert.ok(shot.length > 20_000, "the report is not blank");
  });
});

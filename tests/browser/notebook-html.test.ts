import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import type { Browser } from "playwright-core";
import { hasChromium, launch } from "./helpers.js";
// page.evaluate callbacks run in the browser (the test build has no DOM lib).
declare const document: any;

const ROOT = join(import.meta.dirname, "..", "..");
const PY = "/usr/bin/python3";
const hasNbconvert = existsSync(PY) && spawnSync(PY, ["-c", "import nbconvert"]).status === 0;
const skip = !hasChromium ? "no /usr/bin/chromium" : !hasNbconvert ? "no nbconvert for /usr/bin/python3 (apt-get install jupyter-nbconvert)" : false;

describe("a notebook exported to HTML renders in headless Chromium", { skip }, () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), "rlvr-nbhtml-"));
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test("notebook 04, executed by rlvr notebook run and exported by nbconvert: charts draw, no console errors, offline", async () => {
    const executed = join(dir, "04.ipynb");
    const run = spawnSync(process.execPath, [join(ROOT, "dist/cli/main.js"), "notebook", "run", join(ROOT, "notebooks/04-trace-analysis.ipynb"), "--out", executed, "--quiet"], {
      cwd: ROOT, encoding: "utf8", timeout: 240_000,
    });
    assert.equal(run.status, 0, run.stderr);
    const conv = spawnSync(PY, ["-m", "nbconvert", "--to", "html", "--output-dir", dir, executed], { encoding: "utf8", env: { ...process.env, JUPYTER_PATH: ROOT } });
    assert.equal(conv.status, 0, conv.stderr);
    const html = join(dir, "04.html");
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    // Offline: only the file itself may load (nbconvert's template may reference CDN assets: blocked and not needed).
    const blocked: string[] = [];
    await page.route(/^(?!file:)/, (r) => {
      blocked.push(r.request().url());
      return r.abort();
    });
    await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
    await page.waitForSelector(".rlvr-plot .main-svg", { timeout: 20_000 });
    const plots = await page.locator(".rlvr-plot").count();
    assert.ok(plots >= 4, `expected the notebook's charts, found ${plots}`);
    const drawn = await page.evaluate(() =>
      Array.from(document.querySelectorAll(".rlvr-plot")).map(
        (el: any) => Array.from(el.querySelectorAll(".scatterlayer path.js-line, .barlayer path") as any[]).filter((p: any) => (p.getAttribute("d") ?? "").length > 10).length,
      ),
    );
    assert.ok(drawn.every((n) => n > 0), `every chart draws data: ${JSON.stringify(drawn)}`);
    const shot = await page.locator(".rlvr-plot").first().screenshot();
    assert.ok(shot.length > 8000, `chart region is not blank (${shot.length} bytes)`);
    const relevant = errors.filter((e) => !/net::ERR_FAILED|Failed to load resource/.test(e));
    assert.deepEqual(relevant, [], `console errors (blocked network: ${blocked.length} requests)`);
    await page.close();
  });
});

// The rlvr-lab kernel in a real Jupyter front end: Debian's classic Notebook 6.4 (`jupyter-notebook`) in
// headless Chromium, driven with playwright-core as a user would — open a notebook on the rlvr-lab kernel,
// Cell → Run All, then check there are no error outputs and the Plotly figure rendered, Tab completion offers
// the library's names, and the interrupt button stops a busy loop (the kernel keeps working after it).
// A screenshot is kept in the test's temp folder (its path is printed).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { hasChromium, launch } from "./helpers.js";
// page.evaluate callbacks run in the browser (the test build has no DOM lib).
declare const window: any;
declare const document: any;

const root = fileURLToPath(new URL("../..", import.meta.url));
const PY = "/usr/bin/python3";
const hasNotebook = existsSync(PY) && spawnSync(PY, ["-c", "import notebook"]).status === 0;
const skip = !hasChromium ? "no /usr/bin/chromium (apt-get install chromium)" : !hasNotebook ? "no classic Notebook for /usr/bin/python3 (apt-get install jupyter-notebook)" : false;

const dir = mkdtempSync(join(tmpdir(), "rlvr-jnb-"));
const TOKEN = "rlvr-test-token";
let server: ChildProcess | null = null;
let browser: Browser | null = null;
let port = 0;
const step = (what: string) => process.env.RLVR_TEST_VERBOSE && console.log(`[browser] ${what}`);

let cellCount = 0;
const cell = (source: string) => ({ cell_type: "code", id: `c${cellCount++}`, metadata: {}, execution_count: null, outputs: [], source });
const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "rlvr-lab", display_name: "rlvr-lab (TypeScript)", language: "typescript" } },
  cells: [
    cell('import { verifyAnswer, rewardPlot } from "rlvr-lab";\nconst v = await verifyAnswer("18", "So she makes 9 × 2 = 18 dollars.\\n#### 18", { task: "gsm8k" });\nv.status'),
    cell('rewardPlot([{ step: 0, "reward/mean": 0.25, "reward/std": 0.1 }, { step: 1, "reward/mean": 0.5, "reward/std": 0.1 }] as any)'),
  ],
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.on("error", reject);
  });
}

async function waitForServer(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`jupyter notebook did not answer ${url} within ${ms} ms`);
}

before(async () => {
  if (skip) return;
  writeFileSync(join(dir, "check.ipynb"), JSON.stringify(notebook));
  // Notebooks import the library by name: give the temp folder the repo's node_modules (rlvr-lab links to the repo).
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  port = await freePort();
  server = spawn(
    PY,
    ["-m", "notebook", "--no-browser", "--allow-root", `--port=${port}`, "--ip=127.0.0.1", `--NotebookApp.token=${TOKEN}`, `--notebook-dir=${dir}`],
    { env: { ...process.env, JUPYTER_PATH: root, JUPYTER_CONFIG_DIR: join(dir, ".jupyter"), JUPYTER_DATA_DIR: join(dir, ".data") }, stdio: ["ignore", "ignore", process.env.RLVR_TEST_VERBOSE ? "inherit" : "ignore"] },
  );
  await waitForServer(`http://127.0.0.1:${port}/api/status?token=${TOKEN}`, 60_000);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  rmSync(join(dir, "node_modules"), { force: true });
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    if (server.exitCode === null) server.kill("SIGKILL");
  }
});

test("classic Notebook in Chromium: Run All on the rlvr-lab kernel, a rendered plot, Tab completion, interrupt", { skip, timeout: 240_000 }, async () => {
  const page = await browser!.newPage({ viewport: { width: 1200, height: 1000 } });
  await page.goto(`http://127.0.0.1:${port}/notebooks/check.ipynb?token=${TOKEN}`);
  // The kernel is started by the page; wait until the front end says it is idle.
  await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.info_reply?.status === "ok", undefined, { timeout: 120_000 });
  assert.equal(await page.evaluate(() => (window as any).Jupyter.notebook.kernel.name), "rlvr-lab");

  step("kernel ready");
  // Cell → Run All, as a user clicks it.
  await page.click("#celllink");
  await page.click("#run_all_cells");
  try {
    await page.waitForFunction(
      () => {
        const cells = (window as any).Jupyter.notebook.get_cells();
        return cells.every((c: any) => c.input_prompt_number !== "*" && typeof c.input_prompt_number === "number");
      },
      undefined,
      { timeout: 120_000 },
    );
  } catch (err) {
    await page.screenshot({ path: join(dir, "run-all-timeout.png"), fullPage: true });
    const state = await page.evaluate(() => JSON.stringify((window as any).Jupyter.notebook.get_cells().map((c: any) => [c.input_prompt_number, c.output_area.outputs])));
    throw new Error(`Run All did not finish in 120 s; cells: ${state.slice(0, 2000)} (screenshot ${join(dir, "run-all-timeout.png")})`);
  }
  step("run all finished");
  assert.equal(await page.locator(".output_error").count(), 0, "no error outputs");
  const firstResult = await page.locator(".cell").nth(0).locator(".output_result").innerText();
  assert.match(firstResult, /correct/);
  await page.waitForSelector(".cell:nth-child(2) .js-plotly-plot .main-svg", { timeout: 30_000 });
  const traces = await page.locator(".cell:nth-child(2) .js-plotly-plot .scatterlayer .trace").count();
  assert.ok(traces >= 1, "the figure drew its series");

  step("plot rendered");
  // Tab completion in a new cell: the library's names from the earlier import.
  await page.evaluate(() => {
    const nb = (window as any).Jupyter.notebook;
    nb.select(nb.ncells() - 1);
    nb.insert_cell_below("code");
    nb.select_next();
    nb.edit_mode();
  });
  await page.keyboard.type("verifyAns");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Escape");
  await page.waitForFunction(
    () => {
      const cm = (window as any).Jupyter.notebook.get_selected_cell().code_mirror;
      const opts = Array.from(document.querySelectorAll("#complete select option")).map((o: any) => o.textContent);
      return cm.getValue() === "verifyAnswer" || opts.includes("verifyAnswer");
    },
    undefined,
    { timeout: 30_000 },
  );

  step("completion offered");
  // A busy loop, then Kernel → Interrupt: the cell ends with an Interrupted error and the kernel answers again.
  await page.evaluate(() => {
    const nb = (window as any).Jupyter.notebook;
    const c = nb.get_selected_cell();
    c.set_text("let spins = 0;\nwhile (true) { spins++; }");
    c.execute();
  });
  await page.waitForFunction(() => (window as any).Jupyter.notebook.kernel_busy === true || document.querySelector("#kernel_indicator_icon.kernel_busy_icon") !== null, undefined, { timeout: 30_000 });
  step("busy");
  await page.waitForTimeout(500);
  await page.click("#kernellink"); // Kernel → Interrupt, as a user clicks it
  await page.click("#int_kernel");
  step("interrupt clicked");
  await page.waitForSelector(".output_error", { timeout: 30_000 });
  const err = await page.locator(".output_error").innerText();
  assert.match(err, /interrupted/i);
  await page.evaluate(() => {
    const nb = (window as any).Jupyter.notebook;
    nb.insert_cell_below("code");
    nb.select_next();
    const c = nb.get_selected_cell();
    c.set_text("spins > 0");
    c.execute();
  });
  await page.waitForFunction(() => (window as any).Jupyter.notebook.get_selected_cell().output_area.outputs.length > 0, undefined, { timeout: 30_000 });
  const after = await page.evaluate(() => (window as any).Jupyter.notebook.get_selected_cell().output_area.outputs[0].data["text/plain"]);
  assert.equal(after, "true", "the kernel kept what the interrupted cell bound and answers after the interrupt");

  const shot = join(dir, "classic-notebook.png");
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
});

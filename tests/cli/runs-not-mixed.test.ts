// A run or a sweep is never silently mixed with another or shrunk: `rlvr train --out D` refuses a folder
// that holds a run (or `--force` starts it fresh), and `rlvr sweep --resume` refuses a smaller --n, another
// endpoint list or another task. Through the bin link, against the project's own `rlvr serve`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, REPO, binSkip, rlvr } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "rlvr-runs-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const lines = (p: string) => readFileSync(p, "utf8").trim().split("\n").length;

describe("rlvr train --out refuses a folder that holds a run", { skip: binSkip }, () => {
  const config = join(dir, "tiny.json");
  writeFileSync(
    config,
    JSON.stringify({ steps: 2, heldout: 2, evalSamples: 1, passK: [1], trainProblems: 20, promptsPerStep: 2, groupSize: 2, warmupSteps: 0, resamples: 50 }),
  );
  const ckpt = join(REPO, "data", "checkpoints", "base");
  const out = join(dir, "run");
  const train = (...extra: string[]) => rlvr(["train", "--config", config, "--checkpoint", ckpt, "--out", out, "--no-report", ...extra], { cwd: dir, timeoutMs: 300_000 });

  test("first run writes the run; a second into the same --out exits 2 and changes nothing", async () => {
    const first = await train();
    assert.equal(first.code, 0, first.stderr);
    assert.equal(lines(join(out, "trace.jsonl")), 2);
    const { RUN_FILES } = await import("../../src/cli/start.js");
    for (const f of readdirSync(out)) assert.ok(RUN_FILES.includes(f), `${f} is in RUN_FILES (what --force may delete)`);
    const summary = readFileSync(join(out, "summary.json"), "utf8");
    const second = await train();
    assert.equal(second.code, 2);
    assert.match(second.stderr, /--out .*run: already holds a run \(.*trace\.jsonl.*\); a second run would mix with it\. Give a new --out, or pass --force/);
    assert.equal(lines(join(out, "trace.jsonl")), 2, "trace not appended to");
    assert.equal(readFileSync(join(out, "summary.json"), "utf8"), summary, "summary not overwritten");
  });

  test("--force replaces the previous run with a fresh one (not appended)", async () => {
    const r = await train("--force");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lines(join(out, "trace.jsonl")), 2);
    assert.equal(lines(join(out, "rollouts.jsonl")), 2 * 2 * 2, "steps × prompts × group, once");
  });

  test("a folder with other files is refused even with --force, and its files are kept", async () => {
    writeFileSync(join(out, "notes.txt"), "mine");
    const r = await train("--force");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not empty and not a run folder \(it holds notes\.txt\)/);
    assert.equal(readFileSync(join(out, "notes.txt"), "utf8"), "mine");
    assert.ok(existsSync(join(out, "trace.jsonl")));
  });

  test("an empty existing folder is fine for rlvr start too", async () => {
    const empty = join(dir, "empty-run");
    mkdirSync(empty);
    const r = await rlvr(["start", "--config", config, "--checkpoint", ckpt, "--out", empty, "--no-report"], { cwd: dir, timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stderr);
    const again = await rlvr(["start", "--config", config, "--checkpoint", ckpt, "--out", empty, "--no-report"], { cwd: dir });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already holds a run/);
  });
});

describe("rlvr sweep --resume refuses what changes the sweep's identity", { skip: binSkip }, () => {
  let server: ChildProcess;
  let url = "";
  before(async () => {
    server = spawn(BIN, ["serve", "--synthetic", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      server.stdout!.setEncoding("utf8").on("data", (d) => {
        out += d;
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      server.on("exit", (c) => reject(new Error(`rlvr serve exited ${c}`)));
    });
  });
  after(() => {
    server?.kill("SIGTERM");
  });

  const data = join(dir, "problems.jsonl");
  writeFileSync(data, ["{\"id\":\"p1\",\"question\":\"What is 2 + 3?\",\"gold\":\"5\"}", "{\"id\":\"p2\",\"question\":\"What is 4 + 4?\",\"gold\":\"8\"}"].join("\n") + "\n");
  const out = join(dir, "sweep");
  const sweep = (...extra: string[]) => rlvr(["sweep", "--endpoint", url, "--model", "m", "--data", data, "--out", out, "--k", "1", ...extra], { cwd: dir });

  test("a finished sweep of n=4 is not rewritten by --resume --n 2", async () => {
    const first = await sweep("--n", "4");
    assert.equal(first.code, 0, first.stderr);
    const before = readFileSync(join(out, "completions.jsonl"), "utf8");
    const summary = readFileSync(join(out, "summary.json"), "utf8");
    const r = await sweep("--n", "2", "--resume");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--resume with different generation settings \(n: was 4, now 2 \(n may only grow on --resume\)\)/);
    assert.equal(readFileSync(join(out, "completions.jsonl"), "utf8"), before);
    assert.equal(readFileSync(join(out, "summary.json"), "utf8"), summary);
    assert.equal(JSON.parse(summary).n_samples, 8);
  });

  test("another endpoint list or task is refused; the same flags resume", async () => {
    const other = await sweep("--n", "4", "--resume", "--endpoint", url.replace("127.0.0.1", "localhost"));
    assert.equal(other.code, 2);
    assert.match(other.stderr, /endpoints: was \[".*"\], now \[.*,.*\]/);
    const task = await sweep("--n", "4", "--resume", "--task", "math");
    assert.equal(task.code, 2);
    assert.match(task.stderr, /task: was null, now "math"/);
    const same = await sweep("--n", "4", "--resume");
    assert.equal(same.code, 0, same.stderr);
    assert.equal(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).n_samples, 8);
  });

  test("--resume with a larger --n adds samples", async () => {
    const r = await sweep("--n", "6", "--resume");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).n_samples, 12);
  });
});

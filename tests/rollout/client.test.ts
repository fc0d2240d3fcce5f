import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startOpenAIServer, type OpenAIServer } from "../../src/rollout/server.js";
import { OpenAIClient } from "../../src/rollout/client.js";

const servers: OpenAIServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});
async function server(opts: Parameters<typeof startOpenAIServer>[0] = {}): Promise<OpenAIServer> {
  const s = await startOpenAIServer(opts);
  servers.push(s);
  return s;
}
const fast = { backoffBaseMs: 5, backoffMaxMs: 20 };
const PROMPT = "Question: What is 6 * 7?\nAnswer:";
const params = { model: "m", seed: 11, max_tokens: 300, stop: ["Question:"] };

for (const fault of ["500", "429", "503", "reset", "malformed"] as const) {
  test(`client retries an injected ${fault} and returns the same text as an undisturbed request`, async () => {
    const s = await server({ faults: { script: [fault, fault] } });
    const c = new OpenAIClient({ baseUrl: s.url, ...fast });
    const r = await c.completions(PROMPT, params);
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.attempts, 3);
    assert.equal(r.errors.length, 2);
    const clean = await c.completions(PROMPT, params);
    assert.ok(r.ok && clean.ok);
    assert.equal(r.choices[0].text, clean.choices[0].text);
    assert.equal(clean.attempts, 1);
    assert.deepEqual(c.stats, { attempts: 4, errors: 2, retries: 2, failed: 0 });
  });
}

test("client gives up after maxRetries with ok:false, the last error and every attempt's error", async () => {
  const s = await server({ faults: { rates: { "500": 1 } } });
  const c = new OpenAIClient({ baseUrl: s.url, maxRetries: 2, ...fast });
  const r = await c.completions(PROMPT, params);
  assert.equal(r.ok, false);
  assert.ok(!r.ok);
  assert.equal(r.attempts, 3);
  assert.equal(r.errors.length, 3);
  assert.match(r.error, /HTTP 500/);
  assert.equal(s.stats.requests, 3);
});

test("client does not retry a 4xx other than 408/409/429", async () => {
  const s = await server({ models: ["only"] });
  const c = new OpenAIClient({ baseUrl: s.url, ...fast });
  const r = await c.completions(PROMPT, { ...params, model: "other" });
  assert.ok(!r.ok);
  assert.equal(r.attempts, 1);
  assert.match(r.error, /HTTP 404/);
});

test("a slow response past the per-request timeout is aborted and retried", async () => {
  const s = await server({ faults: { script: ["slow"], slowMs: 1500 } });
  const c = new OpenAIClient({ baseUrl: s.url, timeoutMs: 300, ...fast });
  const t0 = performance.now();
  const r = await c.completions(PROMPT, params);
  assert.ok(r.ok);
  assert.equal(r.attempts, 2);
  assert.match(r.errors[0], /timeout after 300 ms/);
  assert.ok(performance.now() - t0 < 1500, "did not wait for the slow response");
});

test("a slow response within the timeout is simply waited for", async () => {
  const s = await server({ faults: { script: ["slow"], slowMs: 200 } });
  const c = new OpenAIClient({ baseUrl: s.url, timeoutMs: 5000, ...fast });
  const r = await c.completions(PROMPT, params);
  assert.ok(r.ok);
  assert.equal(r.attempts, 1);
});

test("chat requests return the assistant content and a trailing /v1 in the base URL is accepted", async () => {
  const s = await server({ synthetic: { accuracy: 1, formatErrorRate: 0 } });
  const c = new OpenAIClient({ baseUrl: `${s.url}/v1/`, ...fast });
  const r = await c.chat([{ role: "user", content: "What is 6 * 7?" }], { model: "m", seed: 1, logprobs: true });
  assert.ok(r.ok);
  assert.match(r.choices[0].text, /#### 42$/);
  assert.equal(r.choices[0].finishReason, "stop");
  assert.ok((r.choices[0].logprobs?.length ?? 0) > 5);
  assert.deepEqual(await c.models(), ["rlvr-synthetic"]);
});

test("a refused connection is a retryable network error that ends in ok:false", async () => {
  const s = await startOpenAIServer();
  const url = s.url;
  await s.close();
  const c = new OpenAIClient({ baseUrl: url, maxRetries: 1, ...fast });
  const r = await c.completions(PROMPT, params);
  assert.ok(!r.ok);
  assert.equal(r.attempts, 2);
  assert.match(r.error, /network error/);
});

test("full-jitter backoff stays within [0, min(max, base·2^(a−1))) and is reproducible by seed", () => {
  const a = new OpenAIClient({ baseUrl: "http://127.0.0.1:1", backoffBaseMs: 100, backoffMaxMs: 1000, seed: 3 });
  const b = new OpenAIClient({ baseUrl: "http://127.0.0.1:1", backoffBaseMs: 100, backoffMaxMs: 1000, seed: 3 });
  const da = [1, 2, 3, 4, 5, 6, 7].map((r) => a.backoffMs(r));
  assert.deepEqual(da, [1, 2, 3, 4, 5, 6, 7].map((r) => b.backoffMs(r)));
  da.forEach((d, i) => assert.ok(d >= 0 && d < Math.min(1000, 100 * 2 ** i), `retry ${i + 1}: ${d}`));
});

test("per-token logprobs come back when all finite and are dropped (not recorded as null) when one is -Infinity", async () => {
  const s = await server({
    generate: (req) =>
      req.seeds.map((_, i) => ({ text: " a b", tokens: [" a", " b"], logprobs: i === 0 ? [-0.5, -1.25] : [-0.5, -Infinity], finishReason: "stop" as const })),
  });
  const c = new OpenAIClient({ baseUrl: s.url, ...fast });
  const r = await c.completions("x", { model: "m", n: 2, logprobs: 1 });
  assert.ok(r.ok);
  assert.deepEqual(r.choices[0].logprobs, [-0.5, -1.25]);
  assert.equal(r.choices[1].logprobs, undefined);
});

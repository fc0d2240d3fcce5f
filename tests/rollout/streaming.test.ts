/**
 * `stream: true` is written as tokens are drawn, and concurrent requests interleave (StepScheduler), against the
 * shipped tiny policy over real HTTP. No timing thresholds: a counting wrapper around the model's
 * `generateSteps` says how many decoding steps had run when a chunk or a response arrived.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../src/policy/backend.js";
import { loadBaseCheckpoint } from "../../src/policy/base.js";
import type { GPT } from "../../src/policy/gpt.js";
import { policyTokenModel } from "../../src/cli/policyModel.js";
import { startOpenAIServer, type OpenAIServer } from "../../src/rollout/server.js";
import { heldBackChars } from "../../src/rollout/tokenStream.js";
import type { TokenModel } from "../../src/rollout/tokenModel.js";

let model: GPT;
let server: OpenAIServer;
let steps = 0;
/** "=" makes the base policy write 66 tokens greedily before its EOS (measured; the tests read it back). */
const LONG = "=";

before(async () => {
  await initBackend();
  model = (await loadBaseCheckpoint()).model;
  const base = policyTokenModel(model, "rlvr-tiny-base");
  const counted: TokenModel = {
    ...base,
    generateSteps: (ids, o) => {
      const it = base.generateSteps!(ids, o);
      return { next: () => { const r = it.next(); if (!r.done) steps++; return r; } };
    },
  };
  server = await startOpenAIServer({ tokenModel: counted });
});
after(async () => {
  await server.close();
  model.dispose();
});

const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** Read an SSE body event by event; `onEvent` sees each parsed data payload as it arrives. */
async function readEvents(r: Response, onEvent: (e: any) => void = () => {}): Promise<any[]> {
  const out: any[] = [];
  const reader = r.body!.getReader();
  const dec = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let at: number;
    while ((at = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, at);
      buf = buf.slice(at + 2);
      const data = block.replace(/^data: /, "");
      const e = data === "[DONE]" ? "[DONE]" : JSON.parse(data);
      out.push(e);
      onEvent(e);
    }
  }
  return out;
}

test("heldBackChars: the longest proper prefix of a stop string the text ends with", () => {
  assert.equal(heldBackChars("abc#", ["####"]), 1);
  assert.equal(heldBackChars("ab###", ["####"]), 3);
  assert.equal(heldBackChars("abc", ["####", "\n\n"]), 0);
  assert.equal(heldBackChars("x\n", ["\n\nQ:", "####"]), 1);
  assert.equal(heldBackChars("", ["ab"]), 0);
  assert.equal(heldBackChars("a", ["a"]), 0, "a whole stop string is not a proper prefix");
});

test("the first streamed token arrives while the policy is still generating", async () => {
  const before = steps;
  let atFirst = -1;
  const r = await post("/v1/completions", { model: "m", prompt: LONG, max_tokens: 94, temperature: 0, stream: true });
  const ev = await readEvents(r, (e) => {
    if (atFirst < 0 && e !== "[DONE]" && e.choices[0].text) atFirst = steps - before;
  });
  const total = steps - before;
  assert.ok(total >= 60, `the long prompt generated ${total} steps`);
  assert.ok(atFirst > 0 && atFirst < total, `first text chunk after ${atFirst} of ${total} steps`);
  const text = ev.filter((e) => e !== "[DONE]").map((e) => e.choices[0].text).join("");
  const plain = await (await post("/v1/completions", { model: "m", prompt: LONG, max_tokens: 94, temperature: 0 })).json() as any;
  assert.equal(text, plain.choices[0].text);
});

test("a streamed sample with a stop string, n = 3, logprobs: same text, finish, tokens and logprobs (1e-4) as the response", async () => {
  const body = { model: "m", prompt: LONG, max_tokens: 60, temperature: 1, seed: 5, n: 3, logprobs: 2 };
  const free = await (await post("/v1/completions", body)).json() as any;
  const t0 = free.choices[0].text as string;
  const stop = t0.slice(8, 11); // occurs in sample 0, so it is cut there (and maybe in the others)
  const plain = await (await post("/v1/completions", { ...body, stop: [stop] })).json() as any;
  const ev = (await readEvents(await post("/v1/completions", { ...body, stop: [stop], stream: true }))).filter((e) => e !== "[DONE]");
  assert.equal(plain.choices[0].finish_reason, "stop");
  for (const i of [0, 1, 2]) {
    const mine = ev.filter((e) => e.choices[0].index === i).map((e) => e.choices[0]);
    const want = plain.choices[i];
    assert.equal(mine.map((c) => c.text).join(""), want.text, `choice ${i}`);
    assert.ok(!mine.some((c) => c.text.includes(stop)), "no chunk carries the stop string");
    assert.equal(mine.at(-1).finish_reason, want.finish_reason);
    assert.ok(mine.slice(0, -1).every((c) => c.finish_reason === null));
    const toks = mine.flatMap((c) => c.logprobs?.tokens ?? []);
    const lps = mine.flatMap((c) => c.logprobs?.token_logprobs ?? []);
    assert.deepEqual(toks, want.logprobs.tokens);
    lps.forEach((lp: number, k: number) => assert.ok(Math.abs(lp - want.logprobs.token_logprobs[k]) < 1e-4, `token ${k}: ${lp} vs ${want.logprobs.token_logprobs[k]}`));
    const offs = mine.flatMap((c) => c.logprobs?.text_offset ?? []);
    assert.deepEqual(offs, want.logprobs.text_offset);
  }
});

test("a short request sent while a long stream is generating is answered before that stream ends; both equal their solo results", async () => {
  const prompts = Array(24).fill(LONG); // 24 prompts × ~66 steps, generated one after the other
  const short = { model: "m", prompt: "Tom has 7 apples and buys 4 more. How many apples now?\n", max_tokens: 12, temperature: 0 };
  const soloShort = await (await post("/v1/completions", short)).json() as any;
  server.resetStats();
  const before = steps;
  let shortDone: Promise<{ json: any; at: number }> | null = null;
  const ev = await readEvents(await post("/v1/completions", { model: "m", prompt: prompts, max_tokens: 94, temperature: 0, stream: true }), () => {
    shortDone ??= post("/v1/completions", short).then(async (r) => ({ json: (await r.json()) as any, at: steps - before }));
  });
  const total = steps - before;
  const s = await shortDone!;
  assert.ok(s.at < total, `the short response arrived after ${s.at} of ${total} steps`);
  assert.equal(s.json.choices[0].text, soloShort.choices[0].text);
  assert.equal(server.stats.maxGenerating, 2);
  const texts = prompts.map((_, i) => ev.filter((e) => e !== "[DONE]" && e.choices[0].index === i).map((e) => e.choices[0].text).join(""));
  const solo = await (await post("/v1/completions", { model: "m", prompt: LONG, max_tokens: 94, temperature: 0 })).json() as any;
  assert.ok(texts.every((t) => t === solo.choices[0].text));
});

test("concurrent non-streamed requests interleave and give the samples each gives alone", async () => {
  const bodies = [0, 1, 2, 3].map((k) => ({ model: "m", prompt: k % 2 ? LONG : "7+", max_tokens: 50, temperature: 1, seed: 100 + k, n: 2 }));
  const alone: any[] = [];
  for (const b of bodies) alone.push(await (await post("/v1/completions", b)).json());
  server.resetStats();
  const together = await Promise.all(bodies.map(async (b) => (await post("/v1/completions", b)).json() as any));
  assert.ok(server.stats.maxGenerating >= 2, `at most ${server.stats.maxGenerating} generating at once`);
  together.forEach((r, k) => assert.deepEqual(r.choices.map((c: any) => c.text), alone[k].choices.map((c: any) => c.text)));
});

/**
 * The official `openai` Python client (2.x, from the peers venv) against `rlvr serve --checkpoint`
 * (the shipped base) started through the bin link on port 0. Skips with the peers message elsewhere.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PEER_PYTHON, peerSkip } from "../helpers/peers.js";
import { repo, startServe } from "../helpers/serveProcess.js";

const skip = peerSkip(["openai"]);

test("the openai Python client: models, completions (logprobs, n+seed, stop, echo of token ids, stream), chat (developer, parts, top_logprobs, stream+usage), a 400, a request while a stream is generating, threaded requests", { skip }, async () => {
  const srv = await startServe(["--checkpoint", join(repo, "data", "checkpoints", "base")]);
  console.log(`rlvr serve listening on ${srv.url}`);
  let lines: any[] = [];
  try {
    const r = spawnSync(PEER_PYTHON!, [join(repo, "tests", "peers", "openai_client.py"), `${srv.url}/v1`], { encoding: "utf8", timeout: 180_000 });
    assert.equal(r.status, 0, r.stderr);
    lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  } finally {
    assert.equal(await srv.stop(), 0, srv.stderr());
  }
  const by = Object.fromEntries(lines.map((l) => [l.call, l]));
  for (const l of lines) {
    console.log(`${l.ok ? "ok  " : "FAIL"} ${l.call}${l.ok ? "" : `: ${l.error}`}`);
    assert.ok(l.ok, `${l.call}: ${l.error}\n${l.trace}`);
  }
  assert.equal(lines.length, 10);
  assert.deepEqual(by["models.list"].ids, ["rlvr-tiny-base"]);

  const lp = by["completions logprobs=3"];
  assert.match(lp.text, /#### \d+$/);
  assert.equal(lp.tokens.length, lp.token_logprobs.length);
  assert.ok(lp.top_logprobs.every((t: Record<string, number>) => Object.keys(t).length >= 3), "top_logprobs filled with 3 alternatives");
  assert.equal(lp.usage.completion_tokens, lp.tokens.length);

  const ns = by["completions n=3 seed"];
  assert.deepEqual(ns.a, ns.b, "same seed, same samples");
  assert.deepEqual(ns.indices, [0, 1, 2]);

  const st = by["completions stop"];
  assert.equal(st.finish_reason, "stop");
  assert.ok(!st.text.includes("####"));

  const echo = by["completions echo token ids"];
  assert.equal(echo.tokens.length, echo.n_ids + 1);
  assert.equal(echo.token_logprobs[0], null);
  assert.ok(echo.token_logprobs.slice(1).every((x: number) => Number.isFinite(x) && x <= 0));
  assert.ok(echo.text.startsWith("12+7=19"));

  const chat = by["chat developer+parts logprobs top_logprobs=2"];
  assert.equal(chat.role, "assistant");
  assert.equal(chat.content, lp.text, "the template turns the chat into the policy's raw prompt");
  assert.ok(chat.top_counts.every((n: number) => n >= 2));

  const cs = by["chat stream include_usage"];
  assert.equal(cs.text, cs.plain);
  assert.deepEqual(cs.usage, cs.plain_usage);
  assert.ok(cs.chunks > 3);

  const comp = by["completions stream"];
  assert.equal(comp.text, lp.text);
  assert.ok(comp.chunks > 3);

  // Streaming is real and requests interleave: the short request, sent after the stream's first chunk, was
  // generated while the stream still was (the server counts 2 generations at once), and answers as it does alone.
  const cc = by["concurrent while streaming"];
  assert.deepEqual(cc.events, ["stream first chunk", "short response", "stream end"]);
  assert.equal(cc.short, cc.short_alone);
  assert.equal(cc.stream_texts, 24);
  assert.equal(cc.distinct_stream_texts, 1, "24 greedy samples of one prompt are one text");
  assert.ok(cc.chunks > 24 * 10);
  assert.equal(cc.threads_equal_solo, true);
  assert.match(srv.stderr(), /at most [2-9] generating at once/);

  const bad = by["chat response_format → 400"];
  assert.equal(bad.status, 400);
  assert.match(bad.message, /unsupported field response_format/);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { buildPrompt, inferModelKind } from "../../src/rollout/prompts.js";
import { GSM8K_EXEMPLARS } from "../../src/rollout/exemplars.js";
import { evaluateExpression } from "../../src/rollout/arithmetic.js";

test("lm-eval zero-shot prompt is exactly `Question: …\\nAnswer:` with lm-eval's stop sequences", () => {
  const p = buildPrompt("How many?");
  assert.equal(p.kind, "raw");
  assert.ok(p.kind === "raw");
  assert.equal(p.prompt, "Question: How many?\nAnswer:");
  assert.deepEqual(p.stop, ["Question:", "</s>", "<|im_end|>"]);
  assert.deepEqual(p.warnings, []);
});

test("few-shot lm-eval joins shots with a blank line and ends each solution with #### N", () => {
  const p = buildPrompt("Last?", { fewShot: 2 });
  assert.ok(p.kind === "raw");
  const blocks = p.prompt.split("\n\n");
  assert.equal(blocks.length, 3);
  const e = GSM8K_EXEMPLARS[0];
  assert.equal(blocks[0], `Question: ${e.question}\nAnswer: ${e.reasoning}\n#### ${e.answer}`);
  assert.equal(blocks[2], "Question: Last?\nAnswer:");
});

test("CoT style uses `Q: … A:` and `The answer is N.` with stop at Q:", () => {
  const p = buildPrompt("Go?", { style: "cot", fewShot: 1 });
  assert.ok(p.kind === "raw");
  assert.match(p.prompt, /^Q: Tom has .*\nA: .* The answer is 29\.\n\nQ: Go\?\nA:$/s);
  assert.equal(p.stop[0], "Q:");
});

test("built-in exemplars are arithmetically right: every `a op b = c` step and the final answer check out", () => {
  for (const e of GSM8K_EXEMPLARS) {
    const steps = [...e.reasoning.matchAll(/([\d][\d\s*/+-]*[\d]) = (\d+)/g)];
    assert.ok(steps.length > 0, e.question);
    for (const [, lhs, rhs] of steps) assert.equal(evaluateExpression(lhs).value, Number(rhs), `${lhs} = ${rhs}`);
    assert.equal(steps[steps.length - 1][2], e.answer);
  }
});

test("chat prompts carry a system instruction and few-shot turns as user/assistant pairs", () => {
  const p = buildPrompt("Q?", { chat: true, fewShot: 2, modelKind: "instruct" });
  assert.ok(p.kind === "chat");
  assert.deepEqual(p.messages.map((m) => m.role), ["system", "user", "assistant", "user", "assistant", "user"]);
  assert.equal(p.messages.at(-1)!.content, "Q?");
  assert.deepEqual(p.stop, []);
  assert.deepEqual(p.warnings, []);
});

test("warns when a raw base-model prompt has no stop sequence and when a chat template meets a base model", () => {
  const raw = buildPrompt("Q?", { stop: [], modelKind: "base" });
  assert.equal(raw.warnings.length, 1);
  assert.match(raw.warnings[0], /no stop sequence/);
  assert.deepEqual(buildPrompt("Q?", { stop: [], modelKind: "instruct" }).warnings, []);
  const chat = buildPrompt("Q?", { chat: true, modelKind: "base" });
  assert.match(chat.warnings[0], /chat template applied to a model flagged as base/);
});

test("minerva style for MATH and option validation that says how to fix", () => {
  const p = buildPrompt("Find x.", { style: "minerva", fewShot: 1 });
  assert.ok(p.kind === "raw");
  assert.match(p.prompt, /\\boxed\{\\frac\{7\}\{8\}\}\$\.\n\nProblem:\nFind x\.\n\nSolution:$/);
  assert.throws(() => buildPrompt("x", { style: "minerva", fewShot: 6 }), /fewShot is larger than the number of built-in exemplars/);
});

test("inferModelKind reads instruct/base markers from model ids", () => {
  assert.equal(inferModelKind("Qwen/Qwen2.5-0.5B-Instruct"), "instruct");
  assert.equal(inferModelKind("meta-llama/Llama-3-8b-chat"), "instruct");
  assert.equal(inferModelKind("google/gemma-2-2b-it"), "instruct");
  assert.equal(inferModelKind("Qwen3-4B-Base"), "base");
  assert.equal(inferModelKind("Qwen/Qwen2.5-0.5B"), "unknown");
});

test("evaluateExpression follows precedence and parentheses; junk throws", () => {
  const e = evaluateExpression("12 + 7 * (3 - 1)");
  assert.equal(e.value, 26);
  assert.deepEqual(e.steps, ["3 - 1 = 2", "7 * 2 = 14", "12 + 14 = 26"]);
  assert.equal(evaluateExpression("-4 × 2 ÷ 8").value, -1);
  assert.throws(() => evaluateExpression("1 / 0"), /division by zero/);
  assert.throws(() => evaluateExpression("2 +"), /expected a number/);
  assert.throws(() => evaluateExpression("2 3"), /unexpected/);
});

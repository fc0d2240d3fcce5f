/**
 * lm-evaluation-harness (0.4.x, peers venv) against `rlvr serve --checkpoint` (the shipped base), started
 * through the bin link on port 0:
 *   1. local-completions with its defaults (tokenizer backend auto → the server's /tokenizer_info and
 *      /tokenize, token-id requests): a loglikelihood (multiple_choice) task and a generate_until task;
 *   2. local-completions with the exported HF tokenizer (`tokenizer_backend=huggingface`, `add_bos_token=True`);
 *   3. local-chat-completions with --apply_chat_template on the generate_until task.
 * Tasks are tiny local YAML + JSONL (arithmetic problems, no downloads). Each loglikelihood lm-eval reports is
 * recomputed from the tfjs policy's training path (GPT.tokenLogprobs) and must agree to 1e-4.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { PEER_PYTHON, peerSkip } from "../helpers/peers.js";
import { repo, RLVR_BIN, startServe } from "../helpers/serveProcess.js";
import { initBackend } from "../../src/policy/backend.js";
import { GPT } from "../../src/policy/gpt.js";
import { generateArithProblems } from "../../src/tasks/arith.js";

const BASE = join(repo, "data", "checkpoints", "base");
const skip = peerSkip(["lm_eval", "transformers", "tenacity", "aiohttp"]);

/** 20 one-step problems; the multiple choice offers the right worked solution and two off-by-one ones. */
function writeTasks(dir: string): void {
  const ps = generateArithProblems({ seed: 3, n: 20, split: "test", levels: [1, 2] });
  const rows = ps.map((p, i) => {
    const sol = (p.metadata as { solution: string }).solution;
    const a = Number(p.gold);
    const expr = sol.split("=")[0];
    const choices = [sol, ...[a + 1, a + 2].map((w) => `${expr}=${w}\n#### ${w}`)];
    const k = i % 3;
    [choices[0], choices[k]] = [choices[k], choices[0]];
    return { question: p.question, choices, label: k, answer: p.gold };
  });
  writeFileSync(join(dir, "arith.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const head = (task: string, type: string) => `task: ${task}\ndataset_path: json\ndataset_kwargs:\n  data_files:\n    test: ${join(dir, "arith.jsonl")}\noutput_type: ${type}\ntest_split: test\ndoc_to_text: "{{question}}\\n"\ntarget_delimiter: ""\n`;
  writeFileSync(join(dir, "rlvr_arith_mc.yaml"), head("rlvr_arith_mc", "multiple_choice") + `doc_to_choice: "{{choices}}"\ndoc_to_target: label\nmetric_list:\n  - metric: acc\n    aggregation: mean\n    higher_is_better: true\nmetadata:\n  version: 1.0\n`);
  writeFileSync(
    join(dir, "rlvr_arith_gen.yaml"),
    head("rlvr_arith_gen", "generate_until") +
      `doc_to_target: "{{answer}}"\ngeneration_kwargs:\n  until: ["\\n\\n"]\n  do_sample: false\n  temperature: 0.0\n  max_gen_toks: 32\nfilter_list:\n  - name: strict-match\n    filter:\n      - function: regex\n        regex_pattern: "#### (\\\\-?[0-9]+)"\n      - function: take_first\nmetric_list:\n  - metric: exact_match\n    aggregation: mean\n    higher_is_better: true\nmetadata:\n  version: 1.0\n`,
  );
}

/**
 * Σ log p(continuation | context) from the training code path; `bos` prepends the policy's BOS. As lm-eval's
 * `TemplateLM._encode_pair` does, trailing whitespace of the context (here the question's "\n") moves to the
 * continuation.
 */
function loglikelihood(model: GPT, context: string, continuation: string, bos: boolean): number {
  const n = context.length - context.trimEnd().length;
  if (n > 0) [context, continuation] = [context.slice(0, -n), context.slice(-n) + continuation];
  const ctx = bos ? model.tokenizer.encodePrompt(context) : model.tokenizer.encode(context);
  const ids = [...ctx, ...model.tokenizer.encode(continuation)];
  const { logprobs, entropy } = model.tokenLogprobs(tf.tensor2d([ids], [1, ids.length], "int32"));
  const lp = Array.from(logprobs.dataSync()).slice(ctx.length - 1);
  tf.dispose([logprobs, entropy]);
  return lp.reduce((a, b) => a + b, 0);
}

function contextContinuation(args: unknown): [string, string] {
  if (Array.isArray(args)) return [String(args[0]), String(args[1])];
  const a = Object.values(args as Record<string, Record<string, string>>)[0];
  return [a.arg_0, a.arg_1];
}

test("lm-eval local-completions (defaults and HF tokenizer) and local-chat-completions run against rlvr serve; loglikelihoods match the policy", { skip, timeout: 900_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "rlvr-lmeval-"));
  const srv = await startServe(["--checkpoint", BASE]);
  console.log(`rlvr serve listening on ${srv.url}`);
  const runs: Record<string, any> = {};
  try {
    writeTasks(dir);
    assert.equal(spawnSync(RLVR_BIN, ["export", "--format", "hf", BASE, join(dir, "hf")], { cwd: repo, encoding: "utf8" }).status, 0);
    for (const config of ["completions-defaults", "completions-hf-tokenizer", "chat"]) {
      const r = spawnSync(PEER_PYTHON!, [join(repo, "tests", "peers", "lmeval_run.py"), config, dir, srv.url, join(dir, "hf")], { encoding: "utf8", timeout: 400_000, maxBuffer: 64 * 2 ** 20 });
      const last = r.stdout.trim().split("\n").at(-1) ?? "";
      assert.equal(r.status, 0, `${config}: ${r.stderr.slice(-3000)}`);
      runs[config] = JSON.parse(last);
      const res = runs[config].results;
      console.log(`lm-eval ${runs[config].model} (${config}): ${Object.entries(res).map(([t, m]: [string, any]) => `${t} ${JSON.stringify(Object.fromEntries(Object.entries(m).filter(([k]) => /acc|exact/.test(k))))}`).join("; ")}`);
    }
  } finally {
    assert.equal(await srv.stop(), 0, srv.stderr());
  }
  await initBackend();
  const model = await GPT.load(BASE);
  try {
    for (const [config, bos] of [["completions-defaults", false], ["completions-hf-tokenizer", true]] as const) {
      const mc = runs[config].samples.rlvr_arith_mc;
      assert.equal(mc.length, 20);
      let maxDiff = 0;
      for (const s of mc) {
        s.arguments.forEach((args: unknown, j: number) => {
          const [ctx, cont] = contextContinuation(args);
          const ll = s.resps[j][0][0];
          maxDiff = Math.max(maxDiff, Math.abs(ll - loglikelihood(model, ctx, cont, bos)));
        });
      }
      console.log(`${config}: max |loglikelihood(lm-eval) − loglikelihood(policy)| = ${maxDiff.toExponential(2)} over ${mc.length * 3} requests`);
      assert.ok(maxDiff < 1e-4, `${config}: ${maxDiff}`);
      const gen = runs[config].samples.rlvr_arith_gen;
      assert.equal(gen.length, 20);
      assert.ok(gen.every((s: any) => typeof s.resps[0][0] === "string"));
    }
    const chat = runs.chat.samples.rlvr_arith_gen;
    assert.equal(chat.length, 20);
    // The chat template maps a user turn onto the raw prompt: chat answers equal the BOS-tokenised raw ones.
    const raw = runs["completions-hf-tokenizer"].samples.rlvr_arith_gen;
    const byDoc = new Map(raw.map((s: any) => [s.doc_id, s.resps[0][0]]));
    assert.ok(chat.every((s: any) => s.resps[0][0] === byDoc.get(s.doc_id)), "chat and raw+BOS generations agree");
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

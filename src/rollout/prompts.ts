/**
 * Prompt builders for sweeps: zero-shot or few-shot, raw (base model) or chat (instruct model).
 *
 * Styles (raw text; the chat form uses the same question/answer text as alternating turns):
 * - `lm-eval` — lm-eval-harness `gsm8k`: `Question: {q}\nAnswer: {reasoning}\n#### {a}` shots joined by
 *   `\n\n`, then `Question: {q}\nAnswer:`; stop at `Question:`, `</s>`, `<|im_end|>`.
 * - `cot` — lm-eval `gsm8k_cot` style: `Q: {q}\nA: {reasoning} The answer is {a}.` shots joined by
 *   `\n\n`, then `Q: {q}\nA:`; stop at `Q:`, `</s>`, `<|im_end|>`.
 * - `minerva` — MATH: `Problem:\n{q}\n\nSolution:` with `The final answer is $\boxed{a}$.`; stop at `Problem:`.
 *
 * Warnings are returned (and printed by the CLI), never thrown: a raw prompt for a base model without a
 * stop sequence (the model writes the next few-shot turn and runs to max_tokens), and a chat template on
 * a model flagged as base (it has never seen the template's special tokens).
 */
import { z } from "zod";
import type { ChatMessage } from "./chatTemplate.js";
import { GSM8K_EXEMPLARS, MATH_EXEMPLARS, type Exemplar } from "./exemplars.js";

export const PromptStyle = z.enum(["lm-eval", "cot", "minerva"]);
export type PromptStyle = z.infer<typeof PromptStyle>;
export const ModelKind = z.enum(["base", "instruct", "unknown"]);
export type ModelKind = z.infer<typeof ModelKind>;

export const PromptOptions = z.object({
  style: PromptStyle.default("lm-eval"),
  /** Number of built-in exemplars placed before the question (0 = zero-shot). */
  fewShot: z.number().int().min(0).max(8).default(0),
  chat: z.boolean().default(false),
  modelKind: ModelKind.default("unknown"),
  /** Replaces the style's stop sequences (an empty list means none). */
  stop: z.array(z.string()).optional(),
  /** System message for chat prompts; default: an instruction that names the answer format. */
  system: z.string().optional(),
}).refine((o) => o.fewShot <= (o.style === "minerva" ? MATH_EXEMPLARS.length : GSM8K_EXEMPLARS.length), {
  message: "fewShot is larger than the number of built-in exemplars for this style (8 for lm-eval/cot, 4 for minerva)",
  path: ["fewShot"],
});
export type PromptOptions = z.input<typeof PromptOptions>;

export type BuiltPrompt =
  | { kind: "raw"; prompt: string; stop: string[]; warnings: string[] }
  | { kind: "chat"; messages: ChatMessage[]; stop: string[]; warnings: string[] };

interface StyleDef {
  q: (q: string) => string;
  a: string;
  answer: (e: Exemplar) => string;
  stop: string[];
  system: string;
  exemplars: readonly Exemplar[];
}

const STYLES: Record<PromptStyle, StyleDef> = {
  "lm-eval": {
    q: (q) => `Question: ${q}\nAnswer:`,
    a: " ",
    answer: (e) => `${e.reasoning}\n#### ${e.answer}`,
    stop: ["Question:", "</s>", "<|im_end|>"],
    system: "Solve the problem step by step. End with a final line of the form `#### <number>`.",
    exemplars: GSM8K_EXEMPLARS,
  },
  cot: {
    q: (q) => `Q: ${q}\nA:`,
    a: " ",
    answer: (e) => `${e.reasoning.replace(/\n/g, " ")} The answer is ${e.answer}.`,
    stop: ["Q:", "</s>", "<|im_end|>"],
    system: "Solve the problem step by step. End with `The answer is <number>.`",
    exemplars: GSM8K_EXEMPLARS,
  },
  minerva: {
    q: (q) => `Problem:\n${q}\n\nSolution:`,
    a: " ",
    answer: (e) => `${e.reasoning}\nThe final answer is $\\boxed{${e.answer}}$.`,
    stop: ["Problem:", "</s>", "<|im_end|>"],
    system: "Solve the problem step by step. Put the final answer in \\boxed{}.",
    exemplars: MATH_EXEMPLARS,
  },
};

/** Guess whether a model id names a base or an instruct model (`-Instruct`, `-chat`, `-it` → instruct; `base` → base). */
export function inferModelKind(model: string): ModelKind {
  if (/instruct|chat|(^|[-_/])it($|[-_])|(^|[-_/])rl($|[-_])|sft/i.test(model)) return "instruct";
  if (/(^|[-_/.])base($|[-_/.])/i.test(model)) return "base";
  return "unknown";
}

/** Build the prompt for one question (see module comment for the styles). Throws on invalid options. */
export function buildPrompt(question: string, options: PromptOptions = {}): BuiltPrompt {
  const r = PromptOptions.safeParse(options);
  if (!r.success) throw new Error(`invalid prompt options: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const o = r.data;
  const st = STYLES[o.style];
  const shots = st.exemplars.slice(0, o.fewShot);
  const warnings: string[] = [];
  if (o.chat) {
    if (o.modelKind === "base") {
      warnings.push("chat template applied to a model flagged as base: base models have not learned the template's turn markers; use a raw prompt (drop --chat) or an instruct model");
    }
    const messages: ChatMessage[] = [{ role: "system", content: o.system ?? st.system }];
    for (const e of shots) {
      messages.push({ role: "user", content: e.question }, { role: "assistant", content: st.answer(e) });
    }
    messages.push({ role: "user", content: question });
    return { kind: "chat", messages, stop: o.stop ?? [], warnings };
  }
  const stop = o.stop ?? st.stop;
  if (stop.length === 0 && o.modelKind !== "instruct") {
    warnings.push("raw prompt for a base model has no stop sequence: the model will continue with an invented next question until max_tokens (finish_reason \"length\"); keep the style's stop sequences");
  }
  const parts = shots.map((e) => `${st.q(e.question)}${st.a}${st.answer(e)}`);
  parts.push(st.q(question));
  return { kind: "raw", prompt: parts.join("\n\n"), stop, warnings };
}

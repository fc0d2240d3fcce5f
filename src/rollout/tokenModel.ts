/**
 * TokenModel: what a real (tokenised) policy gives the server, and how one prompt becomes OpenAI choices.
 *
 * The server never imports a model library: the CLI (`rlvr serve --checkpoint`) adapts the tfjs policy to
 * this interface (src/cli/policyModel.ts), so `rollout` stays free of tfjs (DESIGN.md import directions).
 *
 * One prompt, n samples (`tokenChoices`):
 *  1. ids = the given token ids as they are, or `[bos, …encode(text)]` for a text prompt (specials such as
 *     `<eos>` in the text are parsed as their ids, as HF tokenizers do); more than contextLength − 1 ids is
 *     an error naming the limit.
 *  2. generate n samples with budget min(max_tokens, contextLength − |ids|) — a request asking for more than
 *     the context holds is clamped and finishes with "length" (vLLM would refuse; lm-eval's default
 *     max_gen_toks of 256 would then never work against a 96-token policy);
 *  3. keep the sampled tokens whose text is in the returned text (a stop string is cut out) and a final EOS
 *     (it adds no text but is a token: lm-eval's loglikelihood drops the last token of an echo, assuming one);
 *  4. when logprobs or echo are asked for, score `ids ++ kept` once (`score`): every token's raw logprob and
 *     its top alternatives; echo returns the prompt's tokens too (the first one, with no context, has null).
 *
 * A model with `generateSteps` is generated incrementally: the server advances it one decoding step at a time
 * through its StepScheduler (stepScheduler.ts), so concurrent requests interleave and streams are written as
 * tokens are drawn (tokenStream.ts); `tokenChoices` with `samples` given builds the choices from its result.
 */
import type { NormalizedMessage, Sampling } from "./openaiRequest.js";

export interface TokenScore {
  id: number;
  logprob: number | null;
  top: { id: number; logprob: number }[];
}

export interface ServedTokenizer {
  vocabSize: number;
  bosToken: string | null;
  eosToken: string;
  padToken: string | null;
  /** Text → ids; special-token strings become their ids. Throws an Error naming what cannot be encoded. */
  encode(text: string): number[];
  /** Ids → text without special tokens. */
  decode(ids: readonly number[]): string;
  /** Display text of one id (special tokens by name, e.g. `<eos>`). */
  tokenText(id: number): string;
  idOf(token: string): number | undefined;
}

export interface TokenSample {
  /** Sampled ids (may include a final EOS and the tokens that completed a stop string). */
  ids: number[];
  /** Text of the sample, already cut before the first stop string. */
  text: string;
  finishReason: "stop" | "length";
}

export interface TokenModel {
  /** Model id listed by /v1/models. */
  id: string;
  contextLength: number;
  tokenizer: ServedTokenizer;
  /** The model's chat template source (Jinja), reported by /tokenizer_info. */
  chatTemplate: string | null;
  /** Render chat messages with the model's template (with the generation prompt). */
  renderChat(messages: NormalizedMessage[]): string;
  generate(promptIds: number[], o: GenerateOptions): TokenSample[];
  /**
   * Optional incremental form of `generate`: each `next()` runs one decoding step of the n samples and yields
   * the token each drew (null: that sample had finished), scored from the distribution it was drawn from (raw
   * logprob and `topN` alternatives); the return value is what `generate` returns. Must be run to the end.
   */
  generateSteps?(promptIds: number[], o: GenerateOptions & { topN: number }): Iterator<(TokenScore | null)[], TokenSample[]>;
  score(ids: number[], topN: number): TokenScore[];
}

export interface GenerateOptions {
  n: number;
  seed: number;
  temperature: number;
  topP: number;
  topK: number;
  maxTokens: number;
  stop: string[];
}

/** Generation budget of a prompt (module step 2). */
export function budgetOf(model: TokenModel, prompt: { ids: number[] }, s: Sampling): number {
  return Math.min(s.maxTokens, model.contextLength - prompt.ids.length);
}

/** The sampler's options for one prompt of a request. */
export function generateOptions(model: TokenModel, prompt: { ids: number[] }, s: Sampling): GenerateOptions {
  return { n: s.n, seed: s.seed, temperature: s.temperature, topP: s.topP, topK: s.topK, maxTokens: budgetOf(model, prompt, s), stop: s.stop };
}

/** Ids of a sample that belong to its returned text (module step 3): stop-string tokens dropped, a final EOS kept. */
export function keptIds(t: ServedTokenizer, sample: TokenSample): number[] {
  const kept: number[] = [];
  let text = "";
  for (const id of sample.ids) {
    if (t.tokenText(id) === t.eosToken) {
      kept.push(id); // listed in logprobs (as vLLM and OpenAI's legacy endpoint do), adds no text
      break;
    }
    const next = text + t.decode([id]);
    if (next.length > sample.text.length) break;
    kept.push(id);
    text = next;
  }
  return kept;
}

/** A request's finish reason: a clamped budget that ran out is "length" whatever the sampler says. */
export function finishOf(model: TokenModel, prompt: { ids: number[] }, s: Sampling, sample: TokenSample): "stop" | "length" {
  return budgetOf(model, prompt, s) < s.maxTokens && sample.finishReason === "length" ? "length" : sample.finishReason;
}

/** A token of a response: its text, raw logprob (null: first prompt token) and top alternatives. */
export interface OutToken {
  text: string;
  /** Characters it adds to the response text (0 for special tokens, which decode to nothing). */
  chars: number;
  logprob: number | null;
  top: { text: string; logprob: number }[] | null;
}

/** One choice before it is shaped as a completion/chat response or stream. */
export interface InternalChoice {
  text: string;
  finish: "stop" | "length";
  tokens: OutToken[];
  /** With echo: the prompt's text and tokens, placed before the completion. */
  echo?: { text: string; tokens: OutToken[] };
  promptTokens: number;
}

export class RequestError extends Error {
  constructor(message: string, readonly param: string | null = null) {
    super(message);
  }
}

/** Prompt ids for a text or token-id prompt (module step 1). `echoFrom`: first id shown by echo. */
export function promptIds(model: TokenModel, prompt: string | number[], param: string, addBos = true): { ids: number[]; echoFrom: number } {
  let ids: number[];
  let echoFrom = 0;
  if (typeof prompt === "string") {
    try {
      ids = model.tokenizer.encode(prompt);
    } catch (err) {
      throw new RequestError(`${param}: ${(err as Error).message}`, param);
    }
    const bos = model.tokenizer.bosToken === null ? undefined : model.tokenizer.idOf(model.tokenizer.bosToken);
    if (addBos && bos !== undefined && ids[0] !== bos) (ids = [bos, ...ids]), (echoFrom = 1);
  } else {
    ids = prompt;
    const bad = ids.find((id) => id >= model.tokenizer.vocabSize);
    if (bad !== undefined) throw new RequestError(`${param}: token id ${bad} is outside the vocabulary (size ${model.tokenizer.vocabSize})`, param);
  }
  if (ids.length === 0) throw new RequestError(`${param}: the prompt is empty`, param);
  if (ids.length >= model.contextLength) {
    throw new RequestError(`${param}: the prompt has ${ids.length} tokens; this model's context is ${model.contextLength} tokens and at least one must be left for the completion`, param);
  }
  return { ids, echoFrom };
}

export function outTokens(model: TokenModel, scores: TokenScore[], withTop: boolean): OutToken[] {
  const t = model.tokenizer;
  return scores.map((s) => {
    let top: OutToken["top"] = null;
    if (withTop && s.logprob !== null) {
      top = s.top.map((a) => ({ text: t.tokenText(a.id), logprob: a.logprob }));
      // vLLM and OpenAI's legacy endpoint also list the chosen token when it is not among the top ones.
      if (!s.top.some((a) => a.id === s.id)) top.push({ text: t.tokenText(s.id), logprob: s.logprob });
    }
    return { text: t.tokenText(s.id), chars: t.decode([s.id]).length, logprob: s.logprob, top };
  });
}

/** Module steps 2–4 for one prompt (`samples`: the result of generateSteps, when the caller ran it). */
export function tokenChoices(model: TokenModel, prompt: { ids: number[]; echoFrom: number }, s: Sampling, samples?: TokenSample[]): InternalChoice[] {
  const t = model.tokenizer;
  const budget = budgetOf(model, prompt, s);
  samples ??= budget > 0
    ? model.generate(prompt.ids, generateOptions(model, prompt, s))
    : Array.from({ length: s.n }, () => ({ ids: [], text: "", finishReason: "length" as const }));
  const want = s.logprobs !== null || s.echo;
  return samples.map((sample) => {
    const kept = keptIds(t, sample);
    const finish = finishOf(model, prompt, s, sample);
    const scores = want ? model.score([...prompt.ids, ...kept], s.logprobs ?? 0) : [...prompt.ids, ...kept].map((id) => ({ id, logprob: null, top: [] }));
    const gen = scores.slice(prompt.ids.length);
    const choice: InternalChoice = { text: sample.text, finish, tokens: outTokens(model, gen, s.logprobs !== null), promptTokens: prompt.ids.length };
    if (s.echo) {
      const shown = scores.slice(prompt.echoFrom, prompt.ids.length);
      choice.echo = { text: t.decode(prompt.ids.slice(prompt.echoFrom)), tokens: outTokens(model, shown, s.logprobs !== null) };
    }
    return choice;
  });
}

/**
 * policyTokenModel: the tiny tfjs GPT (src/policy) as the server's TokenModel (src/rollout/tokenModel.ts).
 * It lives in cli because it joins two folders that must not import each other (DESIGN.md).
 *
 * - tokenizer: the CharTokenizer, with `<pad>`/`<bos>`/`<eos>` in a text parsed as their ids (HF behaviour);
 *   a character outside the alphabet is an error that names it;
 * - chat: the HF export's chat template (src/hf/charTokenizer.ts) rendered with @huggingface/jinja;
 * - generate: `GPT.sample` on n copies of the prompt with the request seed (sequence j uses
 *   hashSeed(seed, j), so a sample depends only on (weights, prompt, settings, seed, j));
 * - generateSteps: the same through `sampleSteps`, one decoding step a `next()`, each drawn token scored from
 *   the logits it was drawn from (`logSoftmax`, `topLogprobs`) — what `rlvr serve` streams and interleaves;
 * - score: `scoreTokens` (raw logprobs and top alternatives, one forward pass).
 */
import { BOS, CHAR_CHAT_TEMPLATE, EOS, PAD } from "../hf/charTokenizer.js";
import { renderChatTemplate } from "../hf/chatTemplate.js";
import type { GPT } from "../policy/gpt.js";
import { sampleSteps } from "../policy/sample.js";
import { logSoftmax } from "../policy/sampling.js";
import { scoreTokens, topLogprobs } from "../policy/score.js";
import type { GenerateOptions, TokenModel, TokenSample, TokenScore } from "../rollout/tokenModel.js";

const SPECIAL = /(<pad>|<bos>|<eos>)/;

const sampleOptions = (o: GenerateOptions) => ({ maxTokens: o.maxTokens, temperature: o.temperature, topP: o.topP, topK: o.topK, stop: o.stop.filter((s) => s !== ""), seed: o.seed });

export function policyTokenModel(model: GPT, id: string): TokenModel {
  const tk = model.tokenizer;
  const specials = new Map([[PAD, tk.padId], [BOS, tk.bosId], [EOS, tk.eosId]]);
  const encode = (text: string): number[] => {
    const ids: number[] = [];
    for (const part of text.split(SPECIAL)) {
      if (part === "") continue;
      const sp = specials.get(part);
      if (sp !== undefined) ids.push(sp);
      else ids.push(...tk.encode(part));
    }
    return ids;
  };
  return {
    id,
    contextLength: model.config.blockSize,
    chatTemplate: CHAR_CHAT_TEMPLATE,
    tokenizer: {
      vocabSize: tk.vocabSize,
      bosToken: BOS,
      eosToken: EOS,
      padToken: PAD,
      encode: (text) => {
        try {
          return encode(text);
        } catch (err) {
          throw new Error(`${(err as Error).message.replace(/^CharTokenizer\.encode: /, "")} of model ${id}; it knows printable ASCII and newline`);
        }
      },
      decode: (ids) => tk.decode(ids),
      tokenText: (i) => tk.idToString(i),
      idOf: (t) => specials.get(t) ?? (Array.from(t).length === 1 ? tk.encode(t)[0] : undefined),
    },
    renderChat: (messages) =>
      renderChatTemplate(CHAR_CHAT_TEMPLATE, messages, { addGenerationPrompt: true, specialTokens: { bos_token: BOS, eos_token: EOS, pad_token: PAD } }),
    generate: (promptIds, o) => {
      const prompts = Array.from({ length: o.n }, () => promptIds);
      return model.sample(prompts, sampleOptions(o)).map((r) => ({ ids: r.ids, text: r.text, finishReason: r.finishReason }));
    },
    generateSteps: function* (promptIds, o): Generator<(TokenScore | null)[], TokenSample[]> {
      const V = tk.vocabSize;
      const steps = sampleSteps(model, Array.from({ length: o.n }, () => promptIds), sampleOptions(o));
      for (;;) {
        const r = steps.next();
        if (r.done) return r.value.map((x) => ({ ids: x.ids, text: x.text, finishReason: x.finishReason }));
        const drawn: (TokenScore | null)[] = new Array(o.n).fill(null);
        r.value.tokens.forEach((id, b) => {
          if (id === null) return;
          const lp = logSoftmax(r.value.logits.subarray(b * V, (b + 1) * V));
          drawn[r.value.prompts[b]] = { id, logprob: lp[id], top: topLogprobs(lp, o.topN) };
        });
        yield drawn;
      }
    },
    score: (ids, topN) => scoreTokens(model, ids, topN),
  };
}

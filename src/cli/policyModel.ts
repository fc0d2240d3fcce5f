/**
 * policyTokenModel: the tiny tfjs GPT (src/policy) as the server's TokenModel (src/rollout/tokenModel.ts).
 * It lives in cli because it joins two folders that must not import each other (DESIGN.md).
 *
 * - tokenizer: the CharTokenizer, with `<pad>`/`<bos>`/`<eos>` in a text parsed as their ids (HF behaviour);
 *   a character outside the alphabet is an error that names it;
 * - chat: the HF export's chat template (src/hf/charTokenizer.ts) rendered with @huggingface/jinja;
 * - generate: `GPT.sample` on n copies of the prompt with the request seed (sequence j uses
 *   hashSeed(seed, j), so a sample depends only on (weights, prompt, settings, seed, j));
 * - score: `scoreTokens` (raw logprobs and top alternatives, one forward pass).
 */
import { BOS, CHAR_CHAT_TEMPLATE, EOS, PAD } from "../hf/charTokenizer.js";
import { renderChatTemplate } from "../hf/chatTemplate.js";
import type { GPT } from "../policy/gpt.js";
import { scoreTokens } from "../policy/score.js";
import type { TokenModel } from "../rollout/tokenModel.js";

const SPECIAL = /(<pad>|<bos>|<eos>)/;

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
      return model.sample(prompts, { maxTokens: o.maxTokens, temperature: o.temperature, topP: o.topP, topK: o.topK, stop: o.stop.filter((s) => s !== ""), seed: o.seed }).map((r) => ({ ids: r.ids, text: r.text, finishReason: r.finishReason }));
    },
    score: (ids, topN) => scoreTokens(model, ids, topN),
  };
}

/**
 * streamTokenChoices: a `stream: true` request to a tokenised model, written as the tokens are drawn.
 *
 * The prompts of a request are generated one after the other, each through `run` (the server's
 * StepScheduler: `TokenModel.generateSteps`, one decoding step a round), and after every step each of the n samples
 * writes the tokens that are now certain to be part of its text:
 *
 *  - a token is held back while the text ends with a proper prefix of a stop string (it may yet become the
 *    stop string, which is cut out of the text, as vLLM holds it back);
 *  - the newest token is held back too, so the last token's chunk can carry the finish_reason (the shape of a
 *    finished response: completions put it on the last piece, chat sends an empty delta after);
 *  - when the sample ends, the tokens `keptIds` keeps (tokenModel.ts: stop-string tokens dropped, a final EOS
 *    kept) are flushed, then any text no token covers, then the finish (on an empty completions piece when
 *    every kept token had already left).
 *
 * Logprobs of a streamed token come from the distribution it was drawn from (the sampler's logits, with the
 * KV cache), not from a second forward pass: they equal `score`'s up to float32 rounding.
 */
import type { Sampling } from "./openaiRequest.js";
import type { SseWriter, Usage } from "./responses.js";
import { budgetOf, finishOf, generateOptions, keptIds, outTokens, type TokenModel, type TokenScore } from "./tokenModel.js";

/** Longest proper prefix of a stop string that `text` ends with. */
export function heldBackChars(text: string, stop: readonly string[]): number {
  let hold = 0;
  for (const st of stop) {
    for (let k = Math.min(st.length - 1, text.length); k > hold; k--) {
      if (text.endsWith(st.slice(0, k))) {
        hold = k;
        break;
      }
    }
  }
  return hold;
}

interface SampleState {
  index: number;
  scores: TokenScore[];
  /** Text of the non-EOS tokens so far, uncut; ends[k]: its length after token k. */
  text: string;
  ends: number[];
  emitted: number;
  offset: number;
}

export async function streamTokenChoices(model: TokenModel, prompts: { ids: number[]; echoFrom: number }[], s: Sampling, run: <S, R>(it: Iterator<S, R>, onStep: (s: S) => void) => Promise<R>, w: SseWriter, kind: "completion" | "chat"): Promise<Usage> {
  const t = model.tokenizer;
  const stop = s.stop.filter((x) => x !== "");
  const withTop = s.logprobs !== null;
  const isEos = (id: number) => t.tokenText(id) === t.eosToken;
  let promptTokens = 0;
  let completionTokens = 0;
  for (let i = 0; i < prompts.length; i++) {
    const prompt = prompts[i];
    promptTokens += prompt.ids.length;
    const states: SampleState[] = Array.from({ length: s.n }, (_, j) => ({ index: i * s.n + j, scores: [], text: "", ends: [], emitted: 0, offset: 0 }));
    for (const st of states) {
      w.role(st.index);
      if (s.echo && kind === "completion") {
        const shown = (withTop ? model.score(prompt.ids, s.logprobs ?? 0) : prompt.ids.map((id) => ({ id, logprob: null, top: [] }))).slice(prompt.echoFrom);
        const text = t.decode(prompt.ids.slice(prompt.echoFrom));
        w.echo(st.index, { text, tokens: outTokens(model, shown, withTop) });
        st.offset = text.length;
      }
    }
    const emit = (st: SampleState, upTo: number, finish: string | null = null) => {
      for (; st.emitted < upTo; st.emitted++) {
        const k = st.emitted;
        const piece = t.decode([st.scores[k].id]);
        w.piece(st.index, piece, outTokens(model, [st.scores[k]], withTop)[0], st.offset, k === upTo - 1 ? finish : null);
        st.offset += piece.length;
      }
    };
    const onStep = (drawn: (TokenScore | null)[]) => {
      drawn.forEach((score, j) => {
        if (!score) return;
        const st = states[j];
        st.scores.push(score);
        if (!isEos(score.id)) st.text += t.decode([score.id]);
        st.ends.push(st.text.length);
        if (isEos(score.id) || stop.some((x) => st.text.includes(x))) return; // the sample ends: flushed below
        const safe = st.text.length - heldBackChars(st.text, stop);
        let upTo = st.emitted;
        while (upTo < st.scores.length - 1 && st.ends[upTo] <= safe) upTo++;
        emit(st, upTo);
      });
    };
    const budget = budgetOf(model, prompt, s);
    const samples = budget > 0
      ? await run(model.generateSteps!(prompt.ids, { ...generateOptions(model, prompt, s), topN: s.logprobs ?? 0 }), onStep)
      : states.map(() => ({ ids: [] as number[], text: "", finishReason: "length" as const }));
    samples.forEach((sample, j) => {
      const st = states[j];
      const kept = keptIds(t, sample).length;
      const covered = kept > 0 ? st.ends[kept - 1] : 0;
      const rest = sample.text.slice(covered);
      const finish = finishOf(model, prompt, s, sample);
      const carrier = kind === "completion" ? finish : null;
      const carried = kind === "completion" && (st.emitted < kept || rest !== ""); // else the last piece already left (held back behind a stop prefix)
      emit(st, kept, rest ? null : carrier);
      if (rest) w.piece(st.index, rest, null, st.offset, carrier);
      w.finish(st.index, finish, carried);
      completionTokens += kept;
    });
  }
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

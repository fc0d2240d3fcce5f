/**
 * checkTemplate(tokenizer, options): the chat-template and special-token mistakes that cost days, as findings.
 *
 * | id | severity | what it catches |
 * | --- | --- | --- |
 * | `chat-template-on-base-model` | warning | a chat template on a model whose name says base (or `modelKind: "base"`): it never saw the turn markers |
 * | `no-chat-template` | info | no template: chat requests cannot be rendered; send raw prompts |
 * | `pad-is-eos` | error | pad == eos: masking pad positions (labels = −100 where id == pad) also masks the real end of every answer, so the model never learns to stop (padMask.ts reproduces it) |
 * | `pad-is-real-token` | error | the pad token is an ordinary vocabulary entry (not an added/special token): real text containing it is masked |
 * | `no-pad-token` | info | no pad token: batching code will often default it to eos (see pad-is-eos) |
 * | `missing-generation-prompt` | error | `add_generation_prompt` does not open the assistant turn: the render of [user] with it is not the prefix of [user, assistant] up to the reply, so the model must write its own header |
 * | `stop-mismatch` | warning | the template ends an assistant turn with a token (e.g. `<|im_end|>`) that is neither an eos id of generation_config nor one of the given stop strings: generation runs past the turn |
 * | `doubled-bos` | warning | the template writes `bos_token` and the tokenizer adds one too: encoding the render with add_special_tokens (what a server does with a text prompt, e.g. vLLM's /v1/completions) gives BOS BOS; apply_chat_template(tokenize=True) does not add it, and `rlvr serve` adds none to a prompt that starts with BOS |
 *
 * The generation-prompt check renders with the template's defaults and, when the template reads
 * `enable_thinking`, also with `enable_thinking: false` (Qwen3 puts an empty think block in past assistant turns):
 * the finding needs every variant to fail.
 */
import type { ModelTokenizer } from "./modelTokenizer.js";

export interface Finding {
  id: string;
  severity: "error" | "warning" | "info";
  message: string;
}

export interface CheckOptions {
  /** Overrides the name-based guess. */
  modelKind?: "base" | "instruct";
  /** Stop strings a sweep or client would send. */
  stop?: string[];
}

const USER = "What is 2 + 3?";
const REPLY = "2 + 3 = 5. #### 5";

function looksBase(name: string): boolean {
  return /(^|[-_/.])base($|[-_/.])/i.test(name) && !/instruct|chat|(^|[-_/])it($|[-_])/i.test(name);
}

export function checkTemplate(t: ModelTokenizer, o: CheckOptions = {}): Finding[] {
  const out: Finding[] = [];
  const add = (id: string, severity: Finding["severity"], message: string) => out.push({ id, severity, message });
  const base = o.modelKind ? o.modelKind === "base" : looksBase(t.name);

  // Special tokens.
  if (t.padToken === null) add("no-pad-token", "info", "no pad_token: batching code often sets pad = eos, which masks the real end of each answer; set a dedicated pad token");
  else if (t.eosToken !== null && t.padToken === t.eosToken) {
    add("pad-is-eos", "error", `pad_token is the eos_token ${JSON.stringify(t.eosToken)}: masking pad positions also masks the real ${t.eosToken} at the end of every answer, so fine-tuning never teaches the model to stop; use a distinct pad token`);
  } else if (!t.addedTokens.has(t.padToken)) {
    const id = t.idOf(t.padToken);
    add("pad-is-real-token", "error", `pad_token ${JSON.stringify(t.padToken)}${id !== undefined ? ` (id ${id})` : ""} is an ordinary vocabulary entry, not a special token: real text containing it gets masked as padding; add a dedicated special pad token`);
  }

  if (!t.chatTemplate) {
    add("no-chat-template", "info", "no chat_template: chat requests cannot be rendered for this model; send raw prompts");
    return out;
  }
  if (base) add("chat-template-on-base-model", "warning", `${t.name} looks like a base model but carries a chat template: a base model has not learned its turn markers; use raw prompts (or an instruct model)`);

  // Generation prompt and end-of-turn.
  const variants: Record<string, unknown>[] = [{}];
  if (/enable_thinking/.test(t.chatTemplate)) variants.push({ enable_thinking: false });
  let prefixOk = false;
  let endOfTurn: string | null = null;
  let detail = "";
  for (const kwargs of variants) {
    let a: string;
    let b: string;
    let noGen: string;
    try {
      a = t.render([{ role: "user", content: USER }], { addGenerationPrompt: true, kwargs });
      noGen = t.render([{ role: "user", content: USER }], { addGenerationPrompt: false, kwargs });
      b = t.render([{ role: "user", content: USER }, { role: "assistant", content: REPLY }], { addGenerationPrompt: false, kwargs });
    } catch (err) {
      add("template-error", "error", (err as Error).message);
      return out;
    }
    const at = b.indexOf(REPLY);
    if (at >= 0 && endOfTurn === null) endOfTurn = b.slice(at + REPLY.length).trim().split(/\s/)[0] || null;
    if (at >= 0 && b.slice(0, at) === a) prefixOk = true;
    else if (at >= 0) detail = a === noGen ? ` (add_generation_prompt changes nothing; the assistant turn starts with ${JSON.stringify(b.slice(noGen.length, at))})` : ` (the prompt ends ${JSON.stringify(a.slice(-30))}, the assistant turn starts ${JSON.stringify(b.slice(Math.max(0, at - 30), at))})`;
  }
  if (!prefixOk) add("missing-generation-prompt", "error", `add_generation_prompt does not open the assistant turn${detail}: the model would have to write its own header`);

  if (endOfTurn) {
    const eosTexts = t.eosIds.map((id) => t.decode([id]));
    const stops = o.stop ?? [];
    if (!eosTexts.includes(endOfTurn) && !stops.some((s) => s && endOfTurn!.startsWith(s))) {
      add("stop-mismatch", "warning", `assistant turns end with ${JSON.stringify(endOfTurn)} but generation stops at ${eosTexts.length ? eosTexts.map((s) => JSON.stringify(s)).join(", ") : "no eos id"}${stops.length ? ` and the stop strings ${JSON.stringify(stops)}` : ""}: the model runs past its turn; add stop ${JSON.stringify(endOfTurn)} (or its id to generation_config eos_token_id)`);
    }
  }

  // Doubled BOS.
  if (t.bosToken) {
    const bosId = t.idOf(t.bosToken);
    const ids = t.encode(t.render([{ role: "user", content: USER }]), { addSpecialTokens: true });
    if (bosId !== undefined && ids[0] === bosId && ids[1] === bosId) {
      add("doubled-bos", "warning", `the template writes ${t.bosToken} and the tokenizer adds another: a rendered chat sent as a text prompt to a server that adds special tokens starts with ${t.bosToken}${t.bosToken}; encode it with add_special_tokens=False (as apply_chat_template(tokenize=True) does) or send token ids`);
    }
  }
  return out;
}

/**
 * renderChatTemplate: a model's Jinja chat template rendered as transformers' `apply_chat_template(…,
 * tokenize=False)` does (transformers 5.x, `utils/chat_template_utils.py` `render_jinja_template` and
 * `tokenization_utils_base.py`), with `@huggingface/jinja`:
 *
 *   context = {special tokens (bos_token, eos_token, pad_token, unk_token …), messages, tools, documents,
 *              add_generation_prompt, …template kwargs (e.g. enable_thinking)}      kwargs win over tokens
 *   environment: trim_blocks and lstrip_blocks on (both engines), `raise_exception(msg)` throws,
 *   `strftime_now(fmt)` is provided by @huggingface/jinja.
 *
 * The peers test renders the same messages with transformers and compares byte for byte (Qwen3's
 * template with and without a system message, add_generation_prompt and enable_thinking; the tiny
 * policy's template).
 */
import { Template } from "@huggingface/jinja";

export interface ChatTurn {
  role: string;
  content: string;
}

export interface RenderOptions {
  addGenerationPrompt?: boolean;
  /** Special tokens by name (`bos_token`, `eos_token`, …), as the tokenizer's special_tokens_map. */
  specialTokens?: Record<string, string | null | undefined>;
  /** Extra template variables, e.g. `{ enable_thinking: false }`. */
  kwargs?: Record<string, unknown>;
}

const cache = new Map<string, Template>();

/** Render `messages` with `template` (see module comment). Template errors are rethrown with "chat template:" in front. */
export function renderChatTemplate(template: string, messages: ChatTurn[], o: RenderOptions = {}): string {
  let t = cache.get(template);
  if (!t) {
    try {
      t = new Template(template);
    } catch (err) {
      throw new Error(`chat template: cannot parse: ${(err as Error).message}`);
    }
    if (cache.size > 32) cache.clear();
    cache.set(template, t);
  }
  const tokens = Object.fromEntries(Object.entries(o.specialTokens ?? {}).filter(([, v]) => v != null));
  try {
    return t.render({ ...tokens, messages, add_generation_prompt: o.addGenerationPrompt ?? false, ...(o.kwargs ?? {}) });
  } catch (err) {
    throw new Error(`chat template: ${(err as Error).message}`);
  }
}

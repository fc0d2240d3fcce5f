/**
 * The tiny policy's character tokenizer as Hugging Face files (`tokenizer.json` for the `tokenizers` library /
 * `PreTrainedTokenizerFast`, `tokenizer_config.json` for transformers), read against tokenizers 0.22 and
 * transformers 5.x in the peers venv:
 *
 *   ids 0 `<pad>`, 1 `<bos>`, 2 `<eos>` (added special tokens), 3… the alphabet in order (src/policy/tokenizer.ts)
 *   model          BPE with the alphabet as vocabulary and no merges, no pre-tokenizer: every character is one
 *                  token, spaces and newlines included, whatever its script (BPE splits a word into Unicode
 *                  characters, astral ones included: `é`, `中`, an emoji of a custom alphabet round-trip)
 *   `<unk>`        id V = alphabet + 3, one past the model's vocabulary (config.json `vocab_size` stays V):
 *                  a character outside the alphabet encodes to it, one per character, instead of vanishing
 *                  (without an unk token `tokenizers` drops it silently, @lenml/tokenizers returns an undefined
 *                  id). The policy has no id for such a character: CharTokenizer.encode throws naming it, the
 *                  server answers 400, and the exported model refuses id V too (an index error in
 *                  transformers' embedding) — refused everywhere, never silently rewritten
 *   post_processor TemplateProcessing `<bos> $A`: `encode(text)` (add_special_tokens) gives
 *                  `[bos, …chars]`, exactly `CharTokenizer.encodePrompt`
 *   decoder        Fuse: tokens are joined without separators
 *
 * The chat template (CHAR_CHAT_TEMPLATE) maps chat onto the policy's only format, `{question}\n` then the
 * answer and EOS (src/tasks/arith.ts): a user turn is `trim(content)\n` (lm-eval's chat requests end the question
 * with the task's own newline: without the trim the policy would see `\n\n`), an assistant turn `content<eos>`, and the
 * generation prompt is empty (the reply starts right after the question's newline). System and developer
 * messages are dropped — the policy was never trained with one. It starts with `bos_token`, so rendered
 * chats are encoded without adding another BOS (apply_chat_template's own convention).
 */

export const PAD = "<pad>";
export const BOS = "<bos>";
export const EOS = "<eos>";
export const UNK = "<unk>";

export const CHAR_CHAT_TEMPLATE =
  "{{- bos_token }}" +
  "{%- for message in messages %}" +
  "{%- if message['role'] == 'user' %}{{- (message['content'] | trim) + '\\n' }}" +
  "{%- elif message['role'] == 'assistant' %}{{- message['content'] + eos_token }}" +
  "{%- endif %}" +
  "{%- endfor %}";

const added = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/** `tokenizer.json` for an alphabet (see module comment). */
export function charTokenizerJson(alphabet: string): Record<string, unknown> {
  const vocab: Record<string, number> = { [PAD]: 0, [BOS]: 1, [EOS]: 2 };
  const chars = Array.from(alphabet);
  chars.forEach((c, i) => (vocab[c] = i + 3));
  const unk = chars.length + 3;
  vocab[UNK] = unk;
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [added(0, PAD), added(1, BOS), added(2, EOS), added(unk, UNK)],
    normalizer: null,
    pre_tokenizer: null,
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: BOS, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
      pair: [{ SpecialToken: { id: BOS, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }],
      special_tokens: { [BOS]: { id: BOS, ids: [1], tokens: [BOS] } },
    },
    decoder: { type: "Fuse" },
    model: { type: "BPE", dropout: null, unk_token: UNK, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges: [] },
  };
}

/** `tokenizer_config.json`: special tokens, the chat template and the context length (`alphabet`: where `<unk>` goes). */
export function charTokenizerConfig(contextLength: number, alphabet: string): Record<string, unknown> {
  const unk = Array.from(alphabet).length + 3;
  return {
    tokenizer_class: "PreTrainedTokenizerFast",
    bos_token: BOS,
    eos_token: EOS,
    pad_token: PAD,
    unk_token: UNK,
    add_bos_token: true,
    add_eos_token: false,
    clean_up_tokenization_spaces: false,
    model_max_length: contextLength,
    padding_side: "left",
    chat_template: CHAR_CHAT_TEMPLATE,
    added_tokens_decoder: Object.fromEntries(([[0, PAD], [1, BOS], [2, EOS], [unk, UNK]] as const).map(([i, c]) => [String(i), { content: c, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true }])),
  };
}

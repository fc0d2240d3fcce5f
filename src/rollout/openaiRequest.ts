/**
 * Request bodies of the server's two generation endpoints, read from the `openai` Python package 2.x types
 * (`openai/types/completion_create_params.py`, `openai/types/chat/completion_create_params.py`,
 * `chat_completion_*_message_param.py`, `chat_completion_content_part_text_param.py`):
 *
 * | field | /v1/completions | /v1/chat/completions |
 * | --- | --- | --- |
 * | prompt | string, string[], token ids, token-id lists | — |
 * | messages | — | roles system, developer, user, assistant; content a string or a list of `{type: "text", text}` |
 * | n, temperature, top_p, seed, stop, stream, stream_options.include_usage, user | yes | yes |
 * | max_tokens | yes (0 allowed with echo: scoring only) | yes, and `max_completion_tokens` (wins) |
 * | logprobs | integer 0…20 (top alternatives per token) | boolean, with `top_logprobs` 0…20 |
 * | echo | prompt tokens and their logprobs before the completion | — |
 * | top_k (vLLM extension) | yes | yes |
 *
 * Fields that would change the output but are not implemented get a 400 that names them, never silent
 * ignoring: penalties other than 0, a non-empty `logit_bias`, `best_of` other than 1/n, `suffix`, tools,
 * response formats, audio, …. `stream_options` without `stream: true` is a 400 too (as OpenAI and vLLM do).
 */
import { z } from "zod";

const Stop = z.union([z.string(), z.array(z.string()).max(16)]).nullable().optional();
const StreamOptions = z.object({ include_usage: z.boolean().nullable().optional(), include_obfuscation: z.boolean().nullable().optional() }).strict().nullable().optional();
const zeroOnly = (name: string) => z.number().refine((v) => v === 0, `${name} is not supported (only 0)`).nullable().optional();

const Common = {
  model: z.string().min(1).default("rlvr-synthetic"),
  n: z.number().int().min(1).max(128).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().gt(0).max(1).nullable().optional(),
  top_k: z.number().int().min(-1).nullable().optional(),
  stop: Stop,
  seed: z.number().int().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: StreamOptions,
  user: z.string().optional(),
  frequency_penalty: zeroOnly("frequency_penalty"),
  presence_penalty: zeroOnly("presence_penalty"),
  logit_bias: z.record(z.string(), z.number()).refine((o) => Object.keys(o).length === 0, "logit_bias is not supported").nullable().optional(),
};

const TokenIds = z.array(z.number().int().min(0)).min(1);
export const CompletionRequest = z
  .object({
    ...Common,
    prompt: z.union([z.string(), z.array(z.string()).min(1), TokenIds, z.array(TokenIds).min(1)]),
    max_tokens: z.number().int().min(0).nullable().optional(),
    logprobs: z.number().int().min(0).max(20).nullable().optional(),
    echo: z.boolean().nullable().optional(),
    best_of: z.number().int().min(1).nullable().optional(),
    suffix: z.null().optional(),
  })
  .strict();
export type CompletionRequest = z.output<typeof CompletionRequest>;

const TextPart = z.object({ type: z.literal("text"), text: z.string() }).passthrough();
const Content = z.union([z.string(), z.array(TextPart)]);
const Message = z
  .object({
    role: z.enum(["system", "developer", "user", "assistant"]),
    content: Content.nullable(),
    name: z.string().optional(),
  })
  .strict();

export const ChatRequest = z
  .object({
    ...Common,
    messages: z.array(Message).min(1),
    max_tokens: z.number().int().min(1).nullable().optional(),
    max_completion_tokens: z.number().int().min(1).nullable().optional(),
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
    store: z.literal(false).nullable().optional(),
    metadata: z.record(z.string(), z.string()).nullable().optional(),
  })
  .strict();
export type ChatRequest = z.output<typeof ChatRequest>;

/** A chat message after normalisation: `developer` is the system role (as OpenAI maps it for non-reasoning models), parts joined. */
export interface NormalizedMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export function normalizeMessages(messages: ChatRequest["messages"]): NormalizedMessage[] {
  return messages.map((m) => ({
    role: m.role === "developer" ? "system" : m.role,
    content: m.content === null ? "" : typeof m.content === "string" ? m.content : m.content.map((p) => p.text).join(""),
  }));
}

/** The settings both endpoints share, with OpenAI's defaults. */
export interface Sampling {
  model: string;
  n: number;
  temperature: number;
  topP: number;
  topK: number;
  maxTokens: number;
  stop: string[];
  seed: number;
  stream: boolean;
  includeUsage: boolean;
  /** Top alternatives per token; null = no logprobs requested. */
  logprobs: number | null;
  echo: boolean;
}

export const DEFAULT_MAX_TOKENS = 256;

/**
 * Parse a body for `kind`; the error names the offending field (`prompt`, `messages.1.content.0.type`,
 * "unsupported field tools"). Cross-field rules: stream_options needs stream; best_of must be 1 or n;
 * max_tokens 0 only with echo.
 */
export function parseRequest(kind: "completion" | "chat", raw: unknown): { ok: true; body: CompletionRequest | ChatRequest; sampling: Sampling } | { ok: false; message: string; param: string | null } {
  const parsed = (kind === "chat" ? ChatRequest : CompletionRequest).safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    if (i.code === "unrecognized_keys") {
      const keys = (i as { keys: string[] }).keys;
      const where = i.path.length ? `${i.path.join(".")}.` : "";
      return { ok: false, message: `unsupported field ${keys.map((k) => where + k).join(", ")}: this server does not implement it (remove it from the request)`, param: where + keys[0] };
    }
    const param = i.path.join(".") || null;
    return { ok: false, message: `${param ?? "body"}: ${i.message}`, param };
  }
  const b = parsed.data as Partial<CompletionRequest> & Partial<ChatRequest> & { model: string; stream_options?: { include_usage?: boolean | null } | null };
  if (b.stream_options && !b.stream) return { ok: false, message: "stream_options: only allowed with stream: true", param: "stream_options" };
  const n = b.n ?? 1;
  if (kind === "completion" && b.best_of != null && b.best_of !== 1 && b.best_of !== n) {
    return { ok: false, message: "best_of: only 1 (or equal to n) is supported", param: "best_of" };
  }
  const echo = kind === "completion" && b.echo === true;
  const maxTokens = (kind === "chat" ? b.max_completion_tokens : null) ?? b.max_tokens ?? DEFAULT_MAX_TOKENS;
  if (maxTokens === 0 && !echo) return { ok: false, message: "max_tokens: must be at least 1 (0 only with echo: true)", param: "max_tokens" };
  let logprobs: number | null = null;
  if (kind === "chat") {
    const c = parsed.data as ChatRequest;
    if (c.top_logprobs != null && c.logprobs !== true) return { ok: false, message: "top_logprobs: requires logprobs: true", param: "top_logprobs" };
    if (c.logprobs === true) logprobs = c.top_logprobs ?? 0;
  } else if ((parsed.data as CompletionRequest).logprobs != null) logprobs = (parsed.data as CompletionRequest).logprobs!;
  return {
    ok: true,
    body: parsed.data,
    sampling: {
      model: b.model,
      n,
      temperature: b.temperature ?? 1,
      topP: b.top_p ?? 1,
      topK: b.top_k == null || b.top_k < 0 ? 0 : b.top_k,
      maxTokens,
      stop: b.stop == null ? [] : typeof b.stop === "string" ? [b.stop] : b.stop,
      seed: b.seed ?? Math.floor(Math.random() * 2 ** 32),
      stream: b.stream === true,
      includeUsage: b.stream_options?.include_usage === true,
      logprobs,
      echo,
    },
  };
}

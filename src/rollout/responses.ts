/**
 * Response shapes of the generation endpoints, from the `openai` Python package 2.x types
 * (`completion.py`, `completion_choice.py`, `chat/chat_completion.py`, `chat/chat_completion_chunk.py`,
 * `chat/chat_completion_token_logprob.py`, `completion_usage.py`):
 *
 * - completions: `choices[i] = {index, text, finish_reason, logprobs: {tokens, token_logprobs,
 *   top_logprobs: [{token: logprob}], text_offset} | null}`; with echo the prompt's tokens come first
 *   (the first one of a token-id prompt has logprob null and top_logprobs null);
 * - chat: `choices[i] = {index, message: {role, content}, finish_reason, logprobs: {content: [{token,
 *   logprob, bytes, top_logprobs: [{token, logprob, bytes}]}], refusal: null} | null}`;
 * - streams (server-sent events, `data: {json}\n\n`, then `data: [DONE]\n\n`): completions send
 *   `text_completion` chunks of the same shape as the response, one token each; chat sends
 *   `chat.completion.chunk`s whose first delta carries the role, then one content token each, then an
 *   empty delta with the finish_reason. With `stream_options.include_usage` every chunk has `usage: null`
 *   and a last chunk has `choices: []` and the usage of the whole request.
 * `SseWriter` writes those chunks one at a time: a tokenised model streams them as tokens are drawn
 * (tokenStream.ts); `writeStream` writes a finished response (the synthetic model, injected faults).
 */
import type { ServerResponse } from "node:http";
import type { InternalChoice, OutToken } from "./tokenModel.js";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function usageOf(choices: InternalChoice[], promptTokens: number): Usage {
  const completion = choices.reduce((s, c) => s + c.tokens.length, 0);
  return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion };
}

const bytes = (s: string) => [...Buffer.from(s, "utf8")];

function legacyLogprobs(tokens: OutToken[], start: number): Record<string, unknown> {
  let off = start;
  return {
    tokens: tokens.map((t) => t.text),
    token_logprobs: tokens.map((t) => t.logprob),
    top_logprobs: tokens.map((t) => (t.top ? Object.fromEntries(t.top.map((a) => [a.text, a.logprob])) : null)),
    text_offset: tokens.map((t) => ((off += t.chars), off - t.chars)),
  };
}

function chatLogprobs(tokens: OutToken[]): Record<string, unknown> {
  return {
    content: tokens.map((t) => ({
      token: t.text,
      logprob: t.logprob ?? 0,
      bytes: bytes(t.text),
      top_logprobs: (t.top ?? []).map((a) => ({ token: a.text, logprob: a.logprob, bytes: bytes(a.text) })),
    })),
    refusal: null,
  };
}

export interface Meta {
  id: string;
  created: number;
  model: string;
  /** Whether logprobs were requested (else the field is null). */
  logprobs: boolean;
}

export function completionBody(m: Meta, choices: InternalChoice[], usage: Usage): Record<string, unknown> {
  return {
    id: m.id,
    object: "text_completion",
    created: m.created,
    model: m.model,
    system_fingerprint: null,
    choices: choices.map((c, index) => {
      const all = c.echo ? [...c.echo.tokens, ...c.tokens] : c.tokens;
      return { index, text: (c.echo?.text ?? "") + c.text, finish_reason: c.finish, logprobs: m.logprobs ? legacyLogprobs(all, 0) : null };
    }),
    usage,
  };
}

export function chatBody(m: Meta, choices: InternalChoice[], usage: Usage): Record<string, unknown> {
  return {
    id: m.id,
    object: "chat.completion",
    created: m.created,
    model: m.model,
    system_fingerprint: null,
    choices: choices.map((c, index) => ({
      index,
      message: { role: "assistant", content: c.text, refusal: null },
      finish_reason: c.finish,
      logprobs: m.logprobs ? chatLogprobs(c.tokens) : null,
    })),
    usage,
  };
}

/** Split a choice's text into per-token pieces whose concatenation is exactly `text`. */
function pieces(c: InternalChoice): { text: string; token: OutToken | null }[] {
  const out: { text: string; token: OutToken | null }[] = [];
  let rest = c.text;
  for (const t of c.tokens) {
    const piece = rest.slice(0, t.chars);
    out.push({ text: piece, token: t });
    rest = rest.slice(piece.length);
  }
  if (rest) out.push({ text: rest, token: null });
  return out;
}

/** Server-sent events of one response, chunk by chunk (see module comment). */
export class SseWriter {
  private readonly base: Record<string, unknown>;
  constructor(private readonly res: ServerResponse, private readonly kind: "completion" | "chat", private readonly m: Meta, private readonly includeUsage: boolean) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.on("error", () => {}); // a client that hung up mid-stream: the generation still runs to its end (its tensors are freed there)
    this.base = { id: m.id, object: kind === "chat" ? "chat.completion.chunk" : "text_completion", created: m.created, model: m.model, system_fingerprint: null };
  }
  private event(choice: Record<string, unknown> | null, extra: Record<string, unknown> = {}): void {
    this.res.write(`data: ${JSON.stringify({ ...this.base, choices: choice ? [choice] : [], ...(this.includeUsage ? { usage: null } : {}), ...extra })}\n\n`);
  }
  /** Chat: the first delta of a choice (its role). */
  role(index: number): void {
    if (this.kind === "chat") this.event({ index, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null });
  }
  /** Completions with echo: the prompt's text and tokens first. */
  echo(index: number, echo: NonNullable<InternalChoice["echo"]>): void {
    this.event({ index, text: echo.text, logprobs: this.m.logprobs ? legacyLogprobs(echo.tokens, 0) : null, finish_reason: null });
  }
  /** One token's text (`token` null: text without a token). Completions carry `finish` on the last piece; chat sends it with `finish()`. `offset`: text_offset of the piece. */
  piece(index: number, text: string, token: OutToken | null, offset: number, finish: string | null = null): void {
    if (this.kind === "chat") this.event({ index, delta: { content: text }, logprobs: this.m.logprobs && token ? chatLogprobs([token]) : null, finish_reason: null });
    else this.event({ index, text, logprobs: this.m.logprobs && token ? legacyLogprobs([token], offset) : null, finish_reason: finish });
  }
  /** The end of a choice: chat's empty delta with the finish_reason; completions' empty piece when no token carried it. */
  finish(index: number, reason: string, carried: boolean): void {
    if (this.kind === "chat") this.event({ index, delta: {}, logprobs: null, finish_reason: reason });
    else if (!carried) this.event({ index, text: "", logprobs: null, finish_reason: reason });
  }
  end(usage: Usage): void {
    if (this.includeUsage) this.res.write(`data: ${JSON.stringify({ ...this.base, choices: [], usage })}\n\n`);
    this.res.end("data: [DONE]\n\n");
  }
}

/** Write a finished response as server-sent events (see module comment). */
export function writeStream(res: ServerResponse, kind: "completion" | "chat", m: Meta, choices: InternalChoice[], usage: Usage, includeUsage: boolean): void {
  const w = new SseWriter(res, kind, m, includeUsage);
  choices.forEach((c, index) => {
    w.role(index);
    let offset = 0;
    if (c.echo && kind === "completion") {
      w.echo(index, c.echo);
      offset = c.echo.text.length;
    }
    const ps = pieces(c);
    ps.forEach((p, j) => {
      w.piece(index, p.text, p.token, offset, kind === "completion" && j === ps.length - 1 ? c.finish : null);
      offset += p.text.length;
    });
    w.finish(index, c.finish, kind === "completion" && ps.length > 0);
  });
  w.end(usage);
}

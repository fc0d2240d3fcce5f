/**
 * `startOpenAIServer(options)`: the project's own OpenAI-compatible HTTP server (node:http) on 127.0.0.1.
 *
 * Endpoints: `GET /v1/models`, `POST /v1/completions` (raw `prompt`, string or array), `POST
 * /v1/chat/completions` (`messages`, rendered with chatTemplate.ts). Honoured sampling fields: `n`,
 * `temperature`, `top_p`, `max_tokens` (chat also `max_completion_tokens`), `stop`, `seed`, `logprobs`
 * (completions: an integer → `{tokens, token_logprobs, top_logprobs, text_offset}`; chat: `true` →
 * `{content: [{token, logprob, bytes, top_logprobs}]}`).
 *
 * Text comes from `options.generate` (a `GenerateFn`; default: the deterministic synthetic generator,
 * generator.ts), then the server applies the stop sequences (cut before the earliest match,
 * finish_reason "stop") and `max_tokens` (keep the first max_tokens tokens, finish_reason "length"),
 * so a served policy gets the same OpenAI semantics for free. Faults (faults.ts) are injected on the
 * two generation endpoints only. `stats` counts requests, faults and the peak number in flight.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { applyChatTemplate, ChatMessage } from "./chatTemplate.js";
import { FaultPlan, type FaultKind, type FaultOptions } from "./faults.js";
import { syntheticGenerator, type GenerateFn, type GeneratedSample, type SyntheticOptions } from "./generator.js";
import { createRng, hashSeed } from "../stats/rng.js";

export interface OpenAIServerOptions {
  /** Port to listen on; 0 (default) picks a free one. Always bound to 127.0.0.1. */
  port?: number;
  /** Model ids listed by /v1/models. When given, requests for any other model get a 404. */
  models?: string[];
  /** Text generator; default `syntheticGenerator(synthetic)`. */
  generate?: GenerateFn;
  /** Options of the default synthetic generator. */
  synthetic?: SyntheticOptions;
  /** Fault injection (see faults.ts). */
  faults?: FaultOptions;
  /** Extra latency added to every generation response, milliseconds. */
  latencyMs?: number;
}

export interface ServerStats {
  /** Generation requests received (completions + chat). */
  requests: number;
  inFlight: number;
  /** Highest number of generation requests in flight at once. */
  maxInFlight: number;
  faults: Record<string, number>;
  /** Choices returned in successful responses. */
  choices: number;
}

export interface OpenAIServer {
  url: string;
  stats: ServerStats;
  resetStats(): void;
  close(): Promise<void>;
}

const Stop = z.union([z.string(), z.array(z.string())]).nullable().optional();
const Sampling = {
  model: z.string().default("rlvr-synthetic"),
  n: z.number().int().min(1).max(128).default(1),
  temperature: z.number().min(0).max(2).default(1),
  top_p: z.number().gt(0).max(1).default(1),
  max_tokens: z.number().int().min(1).nullable().optional(),
  stop: Stop,
  seed: z.number().int().nullable().optional(),
};
const CompletionRequest = z.object({
  ...Sampling,
  prompt: z.union([z.string(), z.array(z.string()).min(1)]),
  logprobs: z.number().int().min(0).max(20).nullable().optional(),
});
const ChatRequest = z.object({
  ...Sampling,
  messages: z.array(ChatMessage).min(1),
  max_completion_tokens: z.number().int().min(1).nullable().optional(),
  logprobs: z.boolean().nullable().optional(),
});

const DEFAULT_MAX_TOKENS = 256;
const TOKEN = /\s*\S+|\s+$/g;

/** Whitespace-led word tokens; joining them gives back the text. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Apply stop sequences then max_tokens (see module comment). */
export function finishText(sample: GeneratedSample, stop: string[], maxTokens: number): { text: string; finish: "stop" | "length"; tokens: string[]; logprobs?: number[] } {
  let text = sample.text;
  let tokens = sample.tokens;
  let cut = -1;
  for (const s of stop) {
    if (s === "") continue;
    const at = text.indexOf(s);
    if (at >= 0 && (cut < 0 || at < cut)) cut = at;
  }
  let finish: "stop" | "length" = sample.finishReason;
  if (cut >= 0) {
    text = text.slice(0, cut);
    finish = "stop";
    tokens = undefined;
  }
  tokens ??= tokenize(text);
  let logprobs = sample.logprobs && sample.tokens && tokens === sample.tokens ? sample.logprobs : undefined;
  if (tokens.length > maxTokens) {
    tokens = tokens.slice(0, maxTokens);
    logprobs = logprobs?.slice(0, maxTokens);
    text = tokens.join("");
    finish = "length";
  }
  return { text, finish, tokens, logprobs };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function apiError(res: ServerResponse, status: number, message: string, type: string, headers?: Record<string, string>): void {
  send(res, status, { error: { message, type, param: null, code: null } }, headers);
}

async function readBody(req: IncomingMessage, limit = 10 * 2 ** 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw new Error("request body too large");
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Start the server; resolves once it listens. `url` is `http://127.0.0.1:PORT` (no trailing slash). */
export async function startOpenAIServer(options: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  const generate = options.generate ?? syntheticGenerator(options.synthetic);
  const models = options.models ?? ["rlvr-synthetic"];
  const plan = new FaultPlan(options.faults ?? {});
  const fresh = (): ServerStats => ({ requests: 0, inFlight: 0, maxInFlight: 0, faults: {}, choices: 0 });
  const stats = fresh();
  let counter = 0;

  async function generation(kind: "completion" | "chat", raw: unknown, res: ServerResponse, req: IncomingMessage): Promise<void> {
    const parsed = (kind === "chat" ? ChatRequest : CompletionRequest).safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return apiError(res, 400, `${i.path.join(".") || "body"}: ${i.message}`, "invalid_request_error");
    }
    const body = parsed.data as z.output<typeof CompletionRequest> & z.output<typeof ChatRequest>;
    if (options.models && !models.includes(body.model)) {
      return apiError(res, 404, `The model "${body.model}" does not exist (served: ${models.join(", ")})`, "model_not_found");
    }
    const fault: FaultKind = plan.next();
    if (fault !== "ok") stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
    if (options.latencyMs) await sleep(options.latencyMs);
    if (fault === "slow") await sleep(plan.options.slowMs);
    if (fault === "reset") return void req.socket.destroy();
    if (fault === "500") return apiError(res, 500, "injected internal server error", "server_error");
    if (fault === "503") return apiError(res, 503, "injected: service unavailable", "server_error", { "retry-after": "0" });
    if (fault === "429") return apiError(res, 429, "injected: rate limit reached", "rate_limit_error", { "retry-after": "0" });
    if (fault === "malformed") return send(res, 200, '{"id":"cmpl-broken","object":"text_completion","choices":[{"text":"');

    const prompts = kind === "chat" ? [applyChatTemplate(body.messages)] : typeof body.prompt === "string" ? [body.prompt] : body.prompt;
    const maxTokens = (kind === "chat" ? body.max_completion_tokens : null) ?? body.max_tokens ?? DEFAULT_MAX_TOKENS;
    const stop = body.stop == null ? [] : typeof body.stop === "string" ? [body.stop] : body.stop;
    const baseSeed = body.seed ?? Math.floor(Math.random() * 2 ** 32);
    const lp = (parsed.data as { logprobs?: unknown }).logprobs;
    const wantLogprobs = kind === "chat" ? lp === true : typeof lp === "number";
    const choices: unknown[] = [];
    let promptTokens = 0;
    let completionTokens = 0;
    for (const prompt of prompts) {
      promptTokens += tokenize(prompt).length;
      // Sample j of a request: seed j = 0 is the request seed itself, later ones are derived from it.
      const seeds = Array.from({ length: body.n }, (_, j) => (j === 0 ? baseSeed : hashSeed(baseSeed, "sample", j)));
      const samples = await generate({ prompt, kind, model: body.model, seeds, temperature: body.temperature, topP: body.top_p, maxTokens, stop, logprobs: wantLogprobs });
      samples.forEach((s, j) => {
        let f = finishText(s, stop, maxTokens);
        if (fault === "length") {
          const half = f.tokens.slice(0, Math.max(1, Math.floor(f.tokens.length / 2)));
          f = { text: half.join(""), finish: "length", tokens: half, logprobs: f.logprobs?.slice(0, half.length) };
        }
        completionTokens += f.tokens.length;
        const rng = createRng(hashSeed("logprobs", baseSeed, prompt, j));
        const lps = f.logprobs ?? f.tokens.map(() => Math.log(0.2 + 0.8 * rng()));
        const index = choices.length;
        if (kind === "chat") {
          choices.push({
            index,
            message: { role: "assistant", content: f.text },
            finish_reason: f.finish,
            logprobs: wantLogprobs ? { content: f.tokens.map((t, k) => ({ token: t, logprob: lps[k], bytes: null, top_logprobs: [] })) } : null,
          });
        } else {
          let off = prompt.length;
          const offsets = f.tokens.map((t) => ((off += t.length), off - t.length));
          choices.push({
            index,
            text: f.text,
            finish_reason: f.finish,
            logprobs: wantLogprobs ? { tokens: f.tokens, token_logprobs: lps, top_logprobs: null, text_offset: offsets } : null,
          });
        }
      });
    }
    stats.choices += choices.length;
    send(res, 200, {
      id: `${kind === "chat" ? "chatcmpl" : "cmpl"}-${++counter}`,
      object: kind === "chat" ? "chat.completion" : "text_completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices,
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  }

  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0].replace(/\/+$/, "");
    try {
      if (path === "/v1/models" && req.method === "GET") {
        return send(res, 200, { object: "list", data: models.map((id) => ({ id, object: "model", created: 0, owned_by: "rlvr-lab" })) });
      }
      const kind = path === "/v1/completions" ? "completion" : path === "/v1/chat/completions" ? "chat" : null;
      if (!kind) return apiError(res, 404, `no route ${req.method} ${path}`, "not_found");
      if (req.method !== "POST") return apiError(res, 405, `use POST for ${path}`, "invalid_request_error");
      stats.requests++;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        let raw: unknown;
        try {
          raw = JSON.parse(await readBody(req));
        } catch (err) {
          return apiError(res, 400, `request body is not valid JSON (${(err as Error).message})`, "invalid_request_error");
        }
        await generation(kind, raw, res, req);
      } finally {
        stats.inFlight--;
      }
    } catch (err) {
      if (!res.headersSent) apiError(res, 500, `generator failed: ${(err as Error).message}`, "server_error");
      else res.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    resetStats() {
      Object.assign(stats, fresh(), { inFlight: stats.inFlight });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

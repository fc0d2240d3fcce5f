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
 *
 * A tokenised model with `generateSteps` is generated through one StepScheduler (stepScheduler.ts): concurrent
 * requests advance a decoding step each in turn, the event loop serves sockets between steps, and `stream: true`
 * writes each token's chunk as it is drawn (tokenStream.ts). `stats.maxGenerating` is the most generations
 * that were in progress at once.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { applyChatTemplate } from "./chatTemplate.js";
import { ChatRequest, normalizeMessages, parseRequest, type CompletionRequest, type Sampling } from "./openaiRequest.js";
import { chatBody, completionBody, SseWriter, usageOf, writeStream } from "./responses.js";
import { budgetOf, generateOptions, promptIds, RequestError, tokenChoices, type InternalChoice, type TokenModel, type TokenSample } from "./tokenModel.js";
import { StepScheduler } from "./stepScheduler.js";
import { streamTokenChoices } from "./tokenStream.js";
import { FaultPlan, type FaultKind, type FaultOptions } from "./faults.js";
import { syntheticGenerator, type GenerateFn, type GeneratedSample, type SyntheticOptions } from "./generator.js";
import { createRng, hashSeed } from "../stats/rng.js";

export interface OpenAIServerOptions {
  /** Port to listen on; 0 (default) picks a free one. Always bound to 127.0.0.1. */
  port?: number;
  /** Model ids listed by /v1/models. When given, requests for any other model get a 404. */
  models?: string[];
  /** A tokenised policy (e.g. the tiny GPT, adapted by `rlvr serve --checkpoint`); when given, it serves every request. */
  tokenModel?: TokenModel;
  /** Text generator; default `syntheticGenerator(synthetic)`. */
  generate?: GenerateFn;
  /** Options of the default synthetic generator. */
  synthetic?: SyntheticOptions;
  /** Fault injection (see faults.ts). */
  faults?: FaultOptions;
  /** Called once per kind of questionable request (e.g. token-id prompts without the model's BOS). */
  onWarning?: (message: string) => void;
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
  /** Token-id prompts that did not start with the model's BOS. */
  promptsWithoutBos: number;
  /** Most tokenised-model generations in progress at the same time (interleaved by the scheduler). */
  maxGenerating: number;
}

export interface OpenAIServer {
  url: string;
  stats: ServerStats;
  resetStats(): void;
  close(): Promise<void>;
}

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

function apiError(res: ServerResponse, status: number, message: string, type: string, headers?: Record<string, string>, param: string | null = null): void {
  send(res, status, { error: { message, type, param, code: null } }, headers);
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
  const tokenModel = options.tokenModel ?? null;
  const models = options.models ?? [tokenModel?.id ?? "rlvr-synthetic"];
  const plan = new FaultPlan(options.faults ?? {});
  const fresh = (): ServerStats => ({ requests: 0, inFlight: 0, maxInFlight: 0, faults: {}, choices: 0, promptsWithoutBos: 0, maxGenerating: 0 });
  let warnedBos = false;
  const stats = fresh();
  let counter = 0;
  const scheduler = new StepScheduler();

  /** Run a tokenised generation through the scheduler (stats.maxGenerating counts it). */
  function scheduled<S, R>(it: Iterator<S, R>, onStep?: (s: S) => void): Promise<R> {
    const done = scheduler.run(it, onStep);
    stats.maxGenerating = Math.max(stats.maxGenerating, scheduler.size);
    return done;
  }

  /** Samples of one prompt from a model that generates step by step (undefined: let tokenChoices call generate). */
  async function tokenSamples(m: TokenModel, prompt: { ids: number[] }, sm: Sampling): Promise<TokenSample[] | undefined> {
    if (!m.generateSteps || budgetOf(m, prompt, sm) <= 0) return undefined;
    return scheduled(m.generateSteps(prompt.ids, { ...generateOptions(m, prompt, sm), topN: 0 }));
  }

  /** The synthetic generator's choices for one text prompt (whitespace-word tokens, synthetic logprobs). */
  async function syntheticChoices(kind: "completion" | "chat", prompt: string, sm: Sampling): Promise<InternalChoice[]> {
    // Sample j of a request: seed j = 0 is the request seed itself, later ones are derived from it.
    const seeds = Array.from({ length: sm.n }, (_, j) => (j === 0 ? sm.seed : hashSeed(sm.seed, "sample", j)));
    const samples = sm.maxTokens === 0 ? seeds.map(() => ({ text: "", finishReason: "length" as const })) : await generate({ prompt, kind, model: sm.model, seeds, temperature: sm.temperature, topP: sm.topP, maxTokens: sm.maxTokens, stop: sm.stop, logprobs: sm.logprobs !== null });
    const promptWords = tokenize(prompt);
    return samples.map((s, j) => {
      const f = sm.maxTokens === 0 ? { text: "", finish: "length" as const, tokens: [] as string[], logprobs: undefined } : finishText(s, sm.stop, sm.maxTokens);
      const rng = createRng(hashSeed("logprobs", sm.seed, prompt, j));
      const lps = f.logprobs ?? f.tokens.map(() => Math.log(0.2 + 0.8 * rng()));
      const out = (t: string, lp: number | null) => ({ text: t, chars: t.length, logprob: lp, top: lp === null ? null : [{ text: t, logprob: lp }] });
      const c: InternalChoice = { text: f.text, finish: f.finish, tokens: f.tokens.map((t, k) => out(t, lps[k])), promptTokens: promptWords.length };
      if (sm.echo) c.echo = { text: prompt, tokens: promptWords.map((t, k) => out(t, k === 0 ? null : Math.log(0.2 + 0.8 * rng()))) };
      return c;
    });
  }

  async function generation(kind: "completion" | "chat", raw: unknown, res: ServerResponse, req: IncomingMessage): Promise<void> {
    const parsed = parseRequest(kind, raw);
    if (!parsed.ok) return apiError(res, 400, parsed.message, "invalid_request_error", undefined, parsed.param);
    const sm = parsed.sampling;
    if (options.models && !models.includes(sm.model)) {
      return apiError(res, 404, `The model "${sm.model}" does not exist (served: ${models.join(", ")})`, "model_not_found", undefined, "model");
    }
    // Prompts: chat messages are rendered by the model's template (or the synthetic server's own).
    let prompts: (string | number[])[];
    if (kind === "chat") {
      const messages = normalizeMessages((parsed.body as ChatRequest).messages);
      prompts = [tokenModel ? tokenModel.renderChat(messages) : applyChatTemplate(messages)];
    } else {
      const p = (parsed.body as CompletionRequest).prompt;
      prompts = typeof p === "string" ? [p] : typeof p[0] === "number" ? [p as number[]] : (p as (string | number[])[]);
    }
    let tokenPrompts: { ids: number[]; echoFrom: number }[] | null = null;
    try {
      if (tokenModel) {
        tokenPrompts = prompts.map((p, i) => promptIds(tokenModel, p, kind === "chat" ? "messages" : prompts.length > 1 ? `prompt.${i}` : "prompt", kind !== "chat"));
        const bos = tokenModel.tokenizer.bosToken === null ? undefined : tokenModel.tokenizer.idOf(tokenModel.tokenizer.bosToken);
        const missing = prompts.filter((p, i) => typeof p !== "string" && bos !== undefined && tokenPrompts![i].ids[0] !== bos).length;
        if (missing > 0) {
          stats.promptsWithoutBos += missing;
          if (!warnedBos) {
            warnedBos = true;
            options.onWarning?.(`token-id prompts without ${tokenModel.tokenizer.bosToken} (the first was ${JSON.stringify(tokenModel.tokenizer.tokenText(tokenPrompts!.find((x) => x.ids[0] !== bos)!.ids[0]))}): they are scored as given, but this model adds ${tokenModel.tokenizer.bosToken} to text prompts and was trained with it first; lm-eval: add add_bos_token=True with tokenizer_backend=huggingface,tokenizer=<rlvr export dir>`);
          }
        }
      }
      else if (prompts.some((p) => typeof p !== "string")) throw new RequestError("prompt: token-id prompts need a tokenizer; the synthetic model only reads text (serve a checkpoint: rlvr serve --checkpoint DIR)", "prompt");
    } catch (err) {
      if (err instanceof RequestError) return apiError(res, 400, err.message, "invalid_request_error", undefined, err.param);
      throw err;
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

    const meta = { id: `${kind === "chat" ? "chatcmpl" : "cmpl"}-${++counter}`, created: Math.floor(Date.now() / 1000), model: sm.model, logprobs: sm.logprobs !== null };
    if (sm.stream && tokenModel?.generateSteps && tokenPrompts && fault !== "length") {
      const w = new SseWriter(res, kind, meta, sm.includeUsage);
      const usage = await streamTokenChoices(tokenModel, tokenPrompts, sm, scheduled, w, kind);
      stats.choices += tokenPrompts.length * sm.n;
      return w.end(usage);
    }
    const choices: InternalChoice[] = [];
    let promptTokens = 0;
    for (let i = 0; i < prompts.length; i++) {
      const cs = tokenModel && tokenPrompts ? tokenChoices(tokenModel, tokenPrompts[i], sm, await tokenSamples(tokenModel, tokenPrompts[i], sm)) : await syntheticChoices(kind, prompts[i] as string, sm);
      promptTokens += cs[0]?.promptTokens ?? 0;
      for (let c of cs) {
        if (fault === "length") {
          const half = c.tokens.slice(0, Math.max(1, Math.floor(c.tokens.length / 2)));
          c = { ...c, text: half.map((t) => t.text).join(""), finish: "length", tokens: half };
        }
        choices.push(c);
      }
    }
    stats.choices += choices.length;
    const usage = usageOf(choices, promptTokens);
    if (sm.stream) return writeStream(res, kind, meta, choices, usage, sm.includeUsage);
    send(res, 200, kind === "chat" ? chatBody(meta, choices, usage) : completionBody(meta, choices, usage));
  }

  /** vLLM's tokenizer endpoints (what lm-eval's remote tokenizer backend uses): /tokenizer_info, /tokenize, /detokenize. */
  function tokenizerRoute(path: string, method: string, raw: unknown, res: ServerResponse): void {
    const m = tokenModel!;
    const t = m.tokenizer;
    if (path === "/tokenizer_info" && method === "GET") {
      return send(res, 200, { tokenizer_class: "PreTrainedTokenizerFast", bos_token: t.bosToken, eos_token: t.eosToken, pad_token: t.padToken, chat_template: m.chatTemplate, model_max_length: m.contextLength, vocab_size: t.vocabSize });
    }
    if (method !== "POST") return apiError(res, 405, `use POST for ${path}`, "invalid_request_error");
    const body = (raw ?? {}) as { prompt?: unknown; messages?: unknown; add_special_tokens?: unknown; tokens?: unknown };
    try {
      if (path === "/tokenize") {
        let ids: number[];
        if (Array.isArray(body.messages)) {
          const r = ChatRequest.shape.messages.safeParse(body.messages);
          if (!r.success) return apiError(res, 400, `messages: ${r.error.issues[0].message}`, "invalid_request_error", undefined, "messages");
          ids = t.encode(m.renderChat(normalizeMessages(r.data)));
        } else if (typeof body.prompt === "string") {
          ids = t.encode(body.prompt);
          const bos = t.bosToken === null ? undefined : t.idOf(t.bosToken);
          if (body.add_special_tokens !== false && bos !== undefined && ids[0] !== bos) ids = [bos, ...ids];
        } else return apiError(res, 400, "prompt: give a string (or messages)", "invalid_request_error", undefined, "prompt");
        return send(res, 200, { count: ids.length, max_model_len: m.contextLength, tokens: ids, token_strs: null });
      }
      if (path === "/detokenize") {
        if (!Array.isArray(body.tokens) || !body.tokens.every((x) => Number.isInteger(x))) return apiError(res, 400, "tokens: give a list of token ids", "invalid_request_error", undefined, "tokens");
        return send(res, 200, { prompt: t.decode(body.tokens as number[]) });
      }
    } catch (err) {
      return apiError(res, 400, (err as Error).message, "invalid_request_error");
    }
    return apiError(res, 404, `no route ${method} ${path}`, "not_found");
  }

  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0].replace(/\/+$/, "");
    try {
      if (path === "/v1/models" && req.method === "GET") {
        return send(res, 200, { object: "list", data: models.map((id) => ({ id, object: "model", created: 0, owned_by: "rlvr-lab" })) });
      }
      if (tokenModel && ["/tokenizer_info", "/tokenize", "/detokenize"].includes(path)) {
        let raw: unknown = null;
        if (req.method === "POST") {
          try {
            raw = JSON.parse(await readBody(req));
          } catch (err) {
            return apiError(res, 400, `request body is not valid JSON (${(err as Error).message})`, "invalid_request_error");
          }
        }
        return tokenizerRoute(path, req.method ?? "GET", raw, res);
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

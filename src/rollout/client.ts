/**
 * Fetch-based client for OpenAI-compatible servers (vLLM, SGLang, llama.cpp, the project's own).
 *
 * Retries with exponential backoff and full jitter (AWS architecture blog, "Exponential Backoff And
 * Jitter"): before retry a (a = 1, 2, …) it sleeps
 *
 *   delay_a = U(0, min(backoffMaxMs, backoffBaseMs · 2^(a−1)))      (at least Retry-After, if sent)
 *
 * Retried: HTTP 408/409/429/5xx, timeouts (AbortController per attempt), network errors (ECONNRESET,
 * refused, socket closed) and malformed bodies (not JSON, or no `choices` array). Not retried: other
 * 4xx (a bad request stays bad). A call never throws for these: it resolves with `ok: false`, the last
 * error message and every attempt's error, so a sweep can record the sample as finish_reason "error"
 * instead of dropping it.
 */
import { z } from "zod";
import { createRng } from "../stats/rng.js";
import type { ChatMessage } from "./chatTemplate.js";

export interface ClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:8000` or `http://host:8000/v1` (a trailing /v1 is accepted). */
  baseUrl: string;
  apiKey?: string;
  /** Per-attempt timeout, milliseconds. */
  timeoutMs?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Seed of the jitter generator (reproducible test timings). */
  seed?: number;
}

export const CLIENT_DEFAULTS = { timeoutMs: 120_000, maxRetries: 5, backoffBaseMs: 250, backoffMaxMs: 10_000, seed: 0 } as const;

export interface SamplingParams {
  model: string;
  n?: number;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string[];
  seed?: number;
  logprobs?: number | boolean;
}

const Choice = z.object({
  index: z.number().int(),
  text: z.string().optional(),
  message: z.object({ content: z.string().nullable() }).optional(),
  finish_reason: z.string().nullable(),
  logprobs: z.unknown().optional(),
});
const ResponseBody = z.object({
  choices: z.array(Choice),
  usage: z.object({ completion_tokens: z.number() }).partial().nullable().optional(),
});

/** One generated choice, the same shape for completions and chat. */
export interface ClientChoice {
  index: number;
  text: string;
  finishReason: string | null;
  /** Per-token log-probabilities when requested and returned. */
  logprobs?: number[];
}

export type ClientResult =
  | { ok: true; choices: ClientChoice[]; attempts: number; errors: string[]; ms: number; completionTokens?: number }
  | { ok: false; error: string; attempts: number; errors: string[]; ms: number };

class AttemptError extends Error {
  constructor(message: string, readonly retryable: boolean, readonly retryAfterMs?: number) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Per-token logprobs of a choice (completions or chat shape); undefined when absent or not all finite (JSON cannot hold ±Infinity/NaN). */
function tokenLogprobs(lp: unknown): number[] | undefined {
  if (!lp || typeof lp !== "object") return undefined;
  const o = lp as { token_logprobs?: unknown; content?: unknown };
  let xs: number[] | undefined;
  if (Array.isArray(o.token_logprobs)) xs = o.token_logprobs.map((x) => (x === null ? NaN : Number(x)));
  else if (Array.isArray(o.content)) xs = o.content.map((c) => Number((c as { logprob?: unknown }).logprob ?? NaN));
  return xs && xs.every(Number.isFinite) ? xs : undefined;
}

const TLS = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(VERIFY|GET)_|EPROTO$)/;

/**
 * Why a fetch failed, in words a user can act on: connection refused, DNS lookup failed, TLS error,
 * connection reset, socket closed — with the system code in parentheses (undici puts it in `err.cause`).
 */
export function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string; hostname?: string } }).cause;
  const code = cause?.code ?? "";
  const what =
    code === "ECONNREFUSED" ? "connection refused (nothing listens there)"
    : code === "ENOTFOUND" || code === "EAI_AGAIN" ? `DNS lookup failed${cause?.hostname ? ` for ${cause.hostname}` : ""}`
    : TLS.test(code) ? `TLS error: ${/routines:[^:]*:([^:]+)/.exec(cause?.message ?? "")?.[1] ?? (cause?.message ?? code).slice(0, 160).trim()}${code === "ERR_SSL_WRONG_VERSION_NUMBER" ? " (an http:// server behind an https:// URL?)" : ""}`
    : code === "ECONNRESET" ? "connection reset by the server"
    : code === "UND_ERR_SOCKET" ? "the server closed the connection"
    : code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT" ? "connect timed out"
    : code === "EHOSTUNREACH" || code === "ENETUNREACH" ? "host unreachable"
    : (cause?.message ?? (err as Error).message);
  return code ? `${what} (${code})` : what;
}

/** Codes of a reused keep-alive connection that the server closed as the request went out (a retry is safe for a GET). */
const STALE_SOCKET = new Set(["ECONNRESET", "UND_ERR_SOCKET", "EPIPE"]);

/**
 * GET `url` within `timeoutMs`, once more if the first try died on a connection the server had just closed
 * (an idle keep-alive socket reused as the server's keep-alive timer fired: uvicorn's and Node's are 5 s, and
 * a loaded client can sit longer than that between two requests). Refused connections and timeouts are not retried.
 */
export async function getIdempotent(url: string, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code ?? "";
    if (!STALE_SOCKET.has(code)) throw err;
    return await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  }
}

export class OpenAIClient {
  readonly options: Required<Omit<ClientOptions, "apiKey">> & { apiKey?: string };
  private readonly rng: () => number;
  /** Totals over the client's life: attempts made and errors seen (including retried ones). */
  readonly stats = { attempts: 0, errors: 0, retries: 0, failed: 0 };

  constructor(options: ClientOptions) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ClientOptions;
    this.options = { ...CLIENT_DEFAULTS, ...given, baseUrl: options.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "") };
    this.rng = createRng(this.options.seed);
  }

  /** Full-jitter backoff delay before retry number `retry` (1-based). */
  backoffMs(retry: number): number {
    const cap = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** (retry - 1));
    return this.rng() * cap;
  }

  completions(prompt: string, params: SamplingParams, signal?: AbortSignal): Promise<ClientResult> {
    const body = { ...params, prompt, logprobs: params.logprobs === true ? 1 : params.logprobs || undefined };
    return this.post("/v1/completions", body, signal);
  }

  chat(messages: ChatMessage[], params: SamplingParams, signal?: AbortSignal): Promise<ClientResult> {
    const body = { ...params, messages, logprobs: params.logprobs ? true : undefined };
    return this.post("/v1/chat/completions", body, signal);
  }

  async models(): Promise<string[]> {
    const r = await fetch(`${this.options.baseUrl}/v1/models`, { headers: this.headers(), signal: AbortSignal.timeout(this.options.timeoutMs) });
    if (!r.ok) throw new Error(`GET /v1/models: HTTP ${r.status}`);
    const j = (await r.json()) as { data?: { id: string }[] };
    return (j.data ?? []).map((m) => m.id);
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { "content-type": "application/json" };
    if (this.options.apiKey) h.authorization = `Bearer ${this.options.apiKey}`;
    return h;
  }

  private async post(path: string, body: unknown, signal?: AbortSignal): Promise<ClientResult> {
    const t0 = performance.now();
    const errors: string[] = [];
    const payload = JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      this.stats.attempts++;
      try {
        const r = await this.attempt(path, payload, signal);
        const ms = performance.now() - t0;
        return { ok: true, ...r, attempts: attempt, errors, ms };
      } catch (err) {
        const e = err instanceof AttemptError ? err : new AttemptError((err as Error).message, false);
        this.stats.errors++;
        errors.push(`attempt ${attempt}: ${e.message}`);
        if (!e.retryable || attempt > this.options.maxRetries || signal?.aborted) {
          this.stats.failed++;
          return { ok: false, error: e.message, attempts: attempt, errors, ms: performance.now() - t0 };
        }
        this.stats.retries++;
        const wait = Math.max(this.backoffMs(attempt), Math.min(e.retryAfterMs ?? 0, this.options.backoffMaxMs));
        await sleep(wait);
      }
    }
  }

  private async attempt(path: string, payload: string, outer?: AbortSignal): Promise<{ choices: ClientChoice[]; completionTokens?: number }> {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(new Error("timeout")), this.options.timeoutMs);
    const signal = outer ? AbortSignal.any([ctl.signal, outer]) : ctl.signal;
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const r = await fetch(`${this.options.baseUrl}${path}`, { method: "POST", headers: this.headers(), body: payload, signal });
      status = r.status;
      retryAfter = r.headers.get("retry-after");
      text = await r.text();
    } catch (err) {
      if (outer?.aborted) throw new AttemptError("aborted by caller", false);
      if (ctl.signal.aborted) throw new AttemptError(`timeout after ${this.options.timeoutMs} ms`, true);
      throw new AttemptError(`network error: ${describeNetworkError(err)}`, true);
    } finally {
      clearTimeout(timer);
    }
    if (status < 200 || status >= 300) {
      let msg = text.slice(0, 300);
      try {
        msg = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? msg;
      } catch {
        // keep the raw text
      }
      const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
      const ra = retryAfter !== null && Number.isFinite(Number(retryAfter)) ? Number(retryAfter) * 1000 : undefined;
      throw new AttemptError(`HTTP ${status}: ${msg}`, retryable, ra);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new AttemptError(`malformed response body (${(err as Error).message}): ${JSON.stringify(text.slice(0, 80))}`, true);
    }
    const parsed = ResponseBody.safeParse(json);
    if (!parsed.success) throw new AttemptError(`malformed response: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`, true);
    const choices = parsed.data.choices
      .map((c) => ({ index: c.index, text: c.text ?? c.message?.content ?? "", finishReason: c.finish_reason, logprobs: tokenLogprobs(c.logprobs) }))
      .sort((a, b) => a.index - b.index);
    return { choices, completionTokens: parsed.data.usage?.completion_tokens };
  }
}

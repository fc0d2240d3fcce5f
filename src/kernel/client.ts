/**
 * A small Jupyter client over ZeroMQ (messaging protocol 5.3), used by `rlvr notebook run`, the
 * kernel tests and the round-trip benchmark. It works with any Jupyter kernel, not only ours.
 *
 *   shell/control: DEALER sockets; a reply is matched to its request by `parent_header.msg_id`
 *   iopub:         SUB socket subscribed to everything; messages are grouped by parent msg_id
 *   hb:            REQ socket (`ping()`)
 *
 * `execute()` resolves when both the execute_reply and the iopub `status: idle` for the request have
 * arrived, so the returned outputs are complete.
 */
import { randomUUID } from "node:crypto";
import { endpoint, type ConnectionInfo } from "./connection.js";
import { SendQueue, decodeMessage, encodeMessage, newHeader, type Message } from "./wire.js";

export interface ExecuteOptions {
  silent?: boolean;
  storeHistory?: boolean;
  stopOnError?: boolean;
  /** Reject after this many ms (the kernel keeps running; interrupt it if you need to). */
  timeoutMs?: number;
  /** Called for each output message (stream, display_data, execute_result, error, ...) as it arrives. */
  onOutput?: (msg: Message) => void;
}

export interface ExecuteResult {
  reply: Message;
  /** iopub messages of this request, except status and execute_input, in arrival order. */
  outputs: Message[];
  executeInput: Message | null;
}

export class TimeoutError extends Error {}

interface Pending {
  resolve(m: Message): void;
  reject(e: Error): void;
}

interface IopubWaiter {
  messages: Message[];
  idle: boolean;
  onMessage?: (m: Message) => void;
  wake?: () => void;
}

export class KernelClient {
  readonly session = randomUUID();
  private sockets: { shell: any; control: any; iopub: any; hb: any } | null = null;
  private queues!: { shell: SendQueue; control: SendQueue; hb: SendQueue };
  private readonly pending = new Map<string, Pending>();
  private readonly iopubWaiters = new Map<string, IopubWaiter>();
  private closed = false;

  constructor(readonly info: ConnectionInfo) {}

  async connect(): Promise<this> {
    const z = await import("zeromq");
    const shell = new z.Dealer({ routingId: this.session, linger: 0 });
    const control = new z.Dealer({ routingId: `${this.session}-control`, linger: 0 });
    const iopub = new z.Subscriber({ linger: 0 });
    const hb = new z.Request({ linger: 0, receiveTimeout: 2000, sendTimeout: 2000 });
    shell.connect(endpoint(this.info, this.info.shell_port));
    control.connect(endpoint(this.info, this.info.control_port));
    iopub.connect(endpoint(this.info, this.info.iopub_port));
    iopub.subscribe();
    hb.connect(endpoint(this.info, this.info.hb_port));
    this.sockets = { shell, control, iopub, hb };
    this.queues = { shell: new SendQueue(shell), control: new SendQueue(control), hb: new SendQueue(hb) };
    void this.readReplies(shell);
    void this.readReplies(control);
    void this.readIopub(iopub);
    return this;
  }

  private async readReplies(sock: AsyncIterable<Buffer[]>): Promise<void> {
    try {
      for await (const frames of sock) {
        const msg = this.decode(frames);
        const id = msg?.parent_header.msg_id;
        if (!msg || !id) continue;
        const p = this.pending.get(id);
        if (p) {
          this.pending.delete(id);
          p.resolve(msg);
        }
      }
    } catch (err) {
      if (!this.closed) this.failAll(err as Error);
    }
  }

  private async readIopub(sock: AsyncIterable<Buffer[]>): Promise<void> {
    try {
      for await (const frames of sock) {
        const msg = this.decode(frames);
        const id = msg?.parent_header.msg_id;
        if (!msg || !id) continue;
        const w = this.iopubWaiters.get(id);
        if (!w) continue;
        if (msg.header.msg_type === "status" && msg.content.execution_state === "idle") w.idle = true;
        else {
          w.messages.push(msg);
          w.onMessage?.(msg);
        }
        w.wake?.();
      }
    } catch (err) {
      if (!this.closed) this.failAll(err as Error);
    }
  }

  private decode(frames: Buffer[]): Message | null {
    try {
      return decodeMessage(this.info.key, frames);
    } catch {
      return null;
    }
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /**
   * Send a request and wait for its reply. With `watchIopub`, iopub messages with this request as
   * parent are collected too (read them with `iopubOf`).
   */
  async request(
    channel: "shell" | "control",
    msgType: string,
    content: object,
    options: { timeoutMs?: number; watchIopub?: boolean; onOutput?: (m: Message) => void } = {},
  ): Promise<Message> {
    if (!this.sockets) throw new Error("KernelClient is not connected: call connect() first");
    const header = newHeader(msgType, this.session, "rlvr");
    if (options.watchIopub) this.iopubWaiters.set(header.msg_id, { messages: [], idle: false, onMessage: options.onOutput });
    const frames = encodeMessage(this.info.key, { header, parent_header: {}, metadata: {}, content });
    const reply = new Promise<Message>((resolve, reject) => this.pending.set(header.msg_id, { resolve, reject }));
    await this.queues[channel].send(frames);
    return withTimeout(reply, options.timeoutMs, `${msgType} got no reply`, () => this.pending.delete(header.msg_id));
  }

  /** Wait for the iopub idle status of a request sent with `watchIopub`; returns its messages. */
  async iopubOf(msgId: string, timeoutMs?: number): Promise<Message[]> {
    const w = this.iopubWaiters.get(msgId);
    if (!w) return [];
    const done = new Promise<void>((resolve) => {
      const check = () => (w.idle ? resolve() : (w.wake = check));
      check();
    });
    await withTimeout(done, timeoutMs, "no idle status on iopub");
    this.iopubWaiters.delete(msgId);
    return w.messages;
  }

  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const start = Date.now();
    const reply = await this.request(
      "shell",
      "execute_request",
      {
        code,
        silent: options.silent ?? false,
        store_history: options.storeHistory ?? true,
        user_expressions: {},
        allow_stdin: false,
        stop_on_error: options.stopOnError ?? true,
      },
      { timeoutMs: options.timeoutMs, watchIopub: true, onOutput: options.onOutput },
    );
    const left = options.timeoutMs === undefined ? undefined : Math.max(1, options.timeoutMs - (Date.now() - start));
    const all = await this.iopubOf(String(reply.parent_header.msg_id), left ?? 10_000);
    const executeInput = all.find((m) => m.header.msg_type === "execute_input") ?? null;
    const outputs = all.filter((m) => m.header.msg_type !== "execute_input" && m.header.msg_type !== "status");
    return { reply, outputs, executeInput };
  }

  /**
   * Wait until the kernel answers kernel_info on shell AND its iopub messages reach us (a PUB socket
   * drops messages sent before the subscription is live, so a reply alone is not enough).
   */
  async waitForReady(timeoutMs = 30_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new TimeoutError(`kernel not ready after ${timeoutMs} ms`);
      const header = newHeader("kernel_info_request", this.session, "rlvr");
      this.iopubWaiters.set(header.msg_id, { messages: [], idle: false });
      const frames = encodeMessage(this.info.key, { header, parent_header: {}, metadata: {}, content: {} });
      const reply = new Promise<Message>((resolve, reject) => this.pending.set(header.msg_id, { resolve, reject }));
      await this.queues.shell.send(frames);
      try {
        const r = await withTimeout(reply, Math.min(left, 2000), "no kernel_info reply");
        await this.iopubOf(header.msg_id, Math.min(Math.max(1, deadline - Date.now()), 500));
        return r;
      } catch (err) {
        this.iopubWaiters.delete(header.msg_id);
        if (!(err instanceof TimeoutError)) throw err;
      }
    }
  }

  /** Heartbeat round trip in ms. */
  async ping(): Promise<number> {
    const t = performance.now();
    await this.queues.hb.send([Buffer.from("ping")]);
    await this.sockets!.hb.receive();
    return performance.now() - t;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of Object.values(this.sockets ?? {})) s.close();
    this.failAll(new Error("KernelClient closed"));
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number | undefined, what: string, onTimeout?: () => void): Promise<T> {
  if (ms === undefined || !Number.isFinite(ms)) return p;
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => {
      onTimeout?.();
      reject(new TimeoutError(`${what} within ${ms} ms`));
    }, ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/**
 * The rlvr-lab Jupyter kernel: five ZeroMQ sockets speaking messaging protocol 5.3 around an
 * Evaluator (tslab's converter/executor).
 *
 *   shell   ROUTER  execute / complete / inspect / is_complete / history / kernel_info / comm_info
 *   control ROUTER  shutdown / interrupt / kernel_info (answered at once, never queued behind a cell)
 *   iopub   PUB     status busy→idle around every request, execute_input, stream, display_data,
 *                   execute_result, error, clear_output
 *   stdin   ROUTER  input_request / input_reply for `await input("prompt")` (src/kernel/display.ts), when the
 *                   execute_request allowed stdin
 *   hb      REP     echo
 *
 * Shell requests run one at a time in arrival order and every one gets a reply. After a failing cell
 * the execute_requests that were *already queued* with `stop_on_error` (ipykernel's rule, used by
 * "Run All") get `status: "aborted"`; anything sent after the error reply runs normally — unlike
 * tslab, which drops every request for 200 ms after a failure.
 */
import { randomUUID } from "node:crypto";
import { endpoint, portOf, writeConnectionFile, type Channel, type ConnectionInfo } from "./connection.js";
import { Evaluator, describeThrown } from "./evaluator.js";
import { History } from "./history.js";
import { toDisplayContent, type DisplayContent } from "./mimebundle.js";
import { OutputRouter, KERNEL_HOOK as KERNEL_HOOK_SYMBOL } from "./outputRouter.js";
import { kernelInfo } from "./kernelInfo.js";
import { useProjectTypeScript } from "./typescriptForTslab.js";
import { SendQueue, decodeMessage, encodeMessage, newHeader, type Message } from "./wire.js";

type Zmq = typeof import("zeromq");

export { KERNEL_HOOK } from "./outputRouter.js";

export interface KernelOptions {
  /** Where to log kernel problems (never stdout, which belongs to cells). */
  log?: (line: string) => void;
}

interface Queued {
  msg: Message;
  /** Set when a failing cell aborts the execute_requests queued behind it. */
  aborted: boolean;
}

export class KernelServer {
  readonly session = randomUUID();
  private zmq!: Zmq;
  private sockets!: { shell: any; control: any; iopub: any; stdin: any; hb: any };
  private sendQueues!: { shell: SendQueue; control: SendQueue; iopub: SendQueue; hb: SendQueue };
  private stdinQueue!: SendQueue;
  /** Created after the first kernel_info reply (see warmUp), or on first use. */
  private evaluatorInstance: Evaluator | null = null;
  private warmStarted = false;
  private readonly history = new History();
  private executionCount = 0;
  private queue: Queued[] = [];
  private working = false;
  /** The request whose outputs iopub messages currently belong to (last cell, like ipykernel). */
  private current: Message | null = null;
  private readonly output = new OutputRouter((type, content) => void this.publish(type, content, this.current));
  private closed = false;
  private readonly log: (line: string) => void;
  readonly originalStderrWrite = process.stderr.write.bind(process.stderr);
  private onClosed: (() => void)[] = [];
  /** The pending `input()` of the running cell: resolved by the input_reply on stdin. */
  private pendingInput: { resolve: (v: string) => void; reject: (e: Error) => void } | null = null;

  constructor(private info: ConnectionInfo, options: KernelOptions = {}) {
    this.log = options.log ?? ((line) => this.originalStderrWrite(`[rlvr-kernel] ${line}\n`));
    // Before anything loads a tslab module (the output router loads tslab's jupyter.js, which loads its
    // converter and, with it, a TypeScript): cells use the project's compiler (./typescriptForTslab.ts).
    useProjectTypeScript();
  }

  /** The TypeScript evaluator; creating it (the language service) takes ~1–2 s of CPU. */
  private get evaluator(): Evaluator {
    this.evaluatorInstance ??= new Evaluator(process.cwd());
    return this.evaluatorInstance;
  }

  /**
   * Start-up order: bind, answer kernel_info at once (that is "Kernel ready" in a front end), then build the
   * evaluator and pre-load the rlvr-lab library — its declarations into the type checker and its modules into
   * Node — while the user reads the notebook, so the first `import … from "rlvr-lab"` cell does not pay for
   * them. Requests that arrive meanwhile wait in the queue as they would behind a cell. Started after the first
   * kernel_info reply, or 1.5 s after start if no client asks.
   */
  private warmUp(): void {
    if (this.warmStarted || this.closed) return;
    this.warmStarted = true;
    const step = (fn: () => void, next?: () => void) =>
      setImmediate(() => {
        if (this.closed) return;
        try {
          fn();
        } catch (err) {
          this.log(`warm-up: ${(err as Error).message}`);
        }
        next?.();
      });
    step(() => void this.evaluator, () => step(() => this.evaluator.warmUp()));
  }

  get connection(): ConnectionInfo {
    return this.info;
  }

  /** Bind the sockets (free ports where the connection says 0), then start serving. */
  async start(connectionFileToWrite?: string): Promise<void> {
    this.zmq = await import("zeromq");
    const z = this.zmq;
    this.sockets = {
      shell: new z.Router(),
      control: new z.Router(),
      iopub: new z.Publisher(),
      stdin: new z.Router(),
      hb: new z.Reply(),
    };
    for (const ch of Object.keys(this.sockets) as Channel[]) {
      const sock = this.sockets[ch];
      sock.linger = 0;
      await sock.bind(endpoint(this.info, portOf(this.info, ch)));
      const port = Number(String(sock.lastEndpoint).split(":").pop());
      if (this.info.transport === "tcp") this.info = { ...this.info, [`${ch}_port`]: port };
    }
    this.sendQueues = {
      shell: new SendQueue(this.sockets.shell),
      control: new SendQueue(this.sockets.control),
      iopub: new SendQueue(this.sockets.iopub),
      hb: new SendQueue(this.sockets.hb),
    };
    this.stdinQueue = new SendQueue(this.sockets.stdin);
    if (connectionFileToWrite) writeConnectionFile(connectionFileToWrite, this.info);
    this.output.install();
    void this.serve("shell");
    void this.serve("control");
    void this.serveStdin();
    (globalThis as Record<symbol, any>)[KERNEL_HOOK_SYMBOL].input = (prompt: string, password: boolean) => this.requestInput(prompt, password);
    void this.heartbeat();
    this.publish("status", { execution_state: "starting" }, null);
    setTimeout(() => this.warmUp(), 1500).unref();
  }

  /** Resolves when the kernel has shut down (shutdown_request or close()). */
  closedPromise(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((r) => this.onClosed.push(r));
  }

  /**
   * Ask the front end for a line of input (Jupyter's input_request on stdin, sent to the client that sent
   * the running execute_request). Rejects when that request had `allow_stdin: false` (nbconvert, papermill),
   * when no cell is running, or when the cell is interrupted.
   */
  requestInput(prompt: string, password: boolean): Promise<string> {
    const parent = this.current;
    if (!parent || !this.working) return Promise.reject(new Error("input() needs a running cell"));
    if (parent.content.allow_stdin !== true) {
      return Promise.reject(new Error("input(): this front end does not accept input (the execute_request has allow_stdin: false)"));
    }
    if (this.pendingInput) return Promise.reject(new Error("input(): another input() is already waiting"));
    this.output.flush();
    return new Promise<string>((resolve, reject) => {
      this.pendingInput = { resolve, reject };
      const frames = encodeMessage(this.info.key, {
        identities: parent.identities,
        header: newHeader("input_request", this.session, parent.header.username ?? "kernel"),
        parent_header: parent.header,
        metadata: {},
        content: { prompt, password },
      });
      void this.stdinQueue.send(frames);
    });
  }

  private async serveStdin(): Promise<void> {
    try {
      for await (const frames of this.sockets.stdin) {
        let msg: Message;
        try {
          msg = decodeMessage(this.info.key, frames as Buffer[]);
        } catch (err) {
          this.log(`dropped a stdin message: ${(err as Error).message}`);
          continue;
        }
        if (msg.header.msg_type !== "input_reply" || !this.pendingInput) continue;
        const p = this.pendingInput;
        this.pendingInput = null;
        p.resolve(String(msg.content.value ?? ""));
      }
    } catch (err) {
      if (!this.closed) this.log(`stdin loop stopped: ${(err as Error).message}`);
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      for await (const frames of this.sockets.hb) await this.sendQueues.hb.send(frames as Buffer[]);
    } catch (err) {
      if (!this.closed) this.log(`heartbeat stopped: ${(err as Error).message}`);
    }
  }

  private async serve(channel: "shell" | "control"): Promise<void> {
    try {
      for await (const frames of this.sockets[channel]) {
        let msg: Message;
        try {
          msg = decodeMessage(this.info.key, frames as Buffer[]);
        } catch (err) {
          this.log(`dropped a ${channel} message: ${(err as Error).message}`);
          continue;
        }
        if (channel === "control") void this.handleControl(msg);
        else {
          this.queue.push({ msg, aborted: false });
          void this.pump();
        }
      }
    } catch (err) {
      if (!this.closed) this.log(`${channel} loop stopped: ${(err as Error).message}`);
    }
  }

  private async pump(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const item = this.queue.shift()!;
        try {
          await this.handleShell(item);
        } catch (err) {
          this.log(`error handling ${item.msg.header.msg_type}: ${(err as Error).stack ?? err}`);
        }
      }
    } finally {
      this.working = false;
    }
  }

  // ---------------------------------------------------------------- sending

  private send(channel: "shell" | "control", parent: Message, msgType: string, content: object): Promise<void> {
    const frames = encodeMessage(this.info.key, {
      identities: parent.identities,
      header: newHeader(msgType, this.session, parent.header.username ?? "kernel"),
      parent_header: parent.header,
      metadata: {},
      content,
    });
    return this.sendQueues[channel].send(frames);
  }

  private publish(msgType: string, content: object, parent: Message | null): Promise<void> {
    if (this.closed) return Promise.resolve();
    const frames = encodeMessage(this.info.key, {
      identities: [Buffer.from(`kernel.${this.session}.${msgType}`)],
      header: newHeader(msgType, this.session),
      parent_header: parent?.header ?? {},
      metadata: {},
      content,
    });
    return this.sendQueues.iopub.send(frames);
  }

  // ---------------------------------------------------------------- handlers

  private async handleControl(msg: Message): Promise<void> {
    const type = msg.header.msg_type;
    await this.publish("status", { execution_state: "busy" }, msg);
    if (type === "interrupt_request") {
      this.rejectInput();
      this.evaluatorInstance?.interrupt();
      await this.send("control", msg, "interrupt_reply", { status: "ok" });
    } else if (type === "shutdown_request") {
      await this.send("control", msg, "shutdown_reply", { status: "ok", restart: Boolean(msg.content.restart) });
      await this.publish("status", { execution_state: "idle" }, msg);
      await this.close();
      return;
    } else if (type === "kernel_info_request") {
      await this.send("control", msg, "kernel_info_reply", kernelInfo());
      this.warmUp();
    } else {
      this.log(`unsupported control message ${type}`);
    }
    await this.publish("status", { execution_state: "idle" }, msg);
  }

  private async handleShell(item: Queued): Promise<void> {
    const { msg } = item;
    const type = msg.header.msg_type;
    await this.publish("status", { execution_state: "busy" }, msg);
    try {
      switch (type) {
        case "execute_request":
          if (item.aborted) {
            // ipykernel's aborted reply carries no execution_count: the cell never ran, so a front end
            // must not label it with a number.
            await this.send("shell", msg, "execute_reply", { status: "aborted" });
          } else await this.execute(msg);
          break;
        case "kernel_info_request":
          await this.send("shell", msg, "kernel_info_reply", kernelInfo());
          this.warmUp();
          break;
        case "is_complete_request":
          await this.send("shell", msg, "is_complete_reply", this.evaluator.isComplete(String(msg.content.code ?? "")));
          break;
        case "complete_request": {
          const code = String(msg.content.code ?? "");
          const c = this.evaluator.complete(code, Number(msg.content.cursor_pos ?? code.length));
          await this.send("shell", msg, "complete_reply", { status: "ok", ...c, metadata: {} });
          break;
        }
        case "inspect_request": {
          const code = String(msg.content.code ?? "");
          const text = this.evaluator.inspect(code, Number(msg.content.cursor_pos ?? code.length));
          await this.send("shell", msg, "inspect_reply", {
            status: "ok",
            found: text !== null,
            data: text === null ? {} : { "text/plain": text },
            metadata: {},
          });
          break;
        }
        case "history_request":
          await this.send("shell", msg, "history_reply", { status: "ok", history: this.history.query(msg.content) });
          break;
        case "comm_info_request":
          await this.send("shell", msg, "comm_info_reply", { status: "ok", comms: {} });
          break;
        case "comm_open":
          // No comm targets are registered (widgets are not supported): close it at once, as ipykernel does
          // for an unknown target_name, so the front end does not wait on a comm that will never answer.
          this.log(`comm_open for unknown target ${JSON.stringify(msg.content.target_name)}: closed`);
          await this.publish("comm_close", { comm_id: msg.content.comm_id, data: {} }, msg);
          break;
        case "comm_msg":
        case "comm_close":
          break; // no comms are open: nothing to deliver (ipykernel logs and drops these too)
        case "shutdown_request":
          await this.send("shell", msg, "shutdown_reply", { status: "ok", restart: Boolean(msg.content.restart) });
          await this.publish("status", { execution_state: "idle" }, msg);
          await this.close();
          return;
        default:
          this.log(`unsupported shell message ${type}`);
      }
    } finally {
      if (!this.closed) await this.publish("status", { execution_state: "idle" }, msg);
    }
  }

  private async execute(msg: Message): Promise<void> {
    const code = String(msg.content.code ?? "");
    const silent = Boolean(msg.content.silent);
    const storeHistory = silent ? false : msg.content.store_history !== false;
    const stopOnError = msg.content.stop_on_error !== false;
    if (storeHistory) {
      this.executionCount++;
      this.history.add(this.executionCount, code);
    }
    // ipykernel's numbering: execute_input/execute_result show the count this cell runs as; the reply
    // carries the last *stored* count, so a store_history=false cell does not consume a number.
    const count = storeHistory ? this.executionCount : this.executionCount + 1;
    const replyCount = this.executionCount;
    this.output.flush();
    this.current = msg;
    if (!silent) await this.publish("execute_input", { code, execution_count: count }, msg);
    const outcome = await this.evaluator.execute(code, `Cell In[${count}]`);
    this.output.flush();
    for (const w of outcome.status === "ok" ? outcome.warnings : []) {
      await this.publish("stream", { name: "stderr", text: w + "\n" }, msg);
    }
    if (outcome.status === "ok") {
      if (outcome.hasValue && !silent) {
        let content: DisplayContent;
        try {
          content = toDisplayContent(outcome.value);
        } catch (err) {
          content = { data: { "text/plain": `<unprintable value: ${describeThrown(err).evalue}>` }, metadata: {} };
        }
        if (storeHistory) this.history.setOutput(count, String(content.data["text/plain"]));
        await this.publish("execute_result", { execution_count: count, ...content }, msg);
      }
      await this.sendQueues.iopub.drained();
      await this.send("shell", msg, "execute_reply", {
        status: "ok",
        execution_count: replyCount,
        payload: [],
        user_expressions: {},
      });
      return;
    }
    const { ename, evalue, traceback } = outcome;
    await this.publish("error", { ename, evalue, traceback }, msg);
    if (stopOnError && !silent) await this.abortQueuedExecutes();
    await this.sendQueues.iopub.drained();
    await this.send("shell", msg, "execute_reply", { status: "error", execution_count: replyCount, ename, evalue, traceback });
  }

  /** Let ZeroMQ deliver what the client sent before it could know of the error, then mark those aborted. */
  private async abortQueuedExecutes(): Promise<void> {
    let before = -1;
    for (let i = 0; i < 5 && before !== this.queue.length; i++) {
      before = this.queue.length;
      await new Promise((r) => setImmediate(r));
    }
    for (const q of this.queue) {
      if (q.msg.header.msg_type === "execute_request" && q.msg.content.stop_on_error !== false) q.aborted = true;
    }
  }

  private rejectInput(): void {
    const p = this.pendingInput;
    this.pendingInput = null;
    p?.reject(new Error("Interrupted asynchronously"));
  }

  /** Interrupt the running cell (SIGINT handler and interrupt_request). */
  interrupt(): void {
    this.rejectInput();
    this.evaluatorInstance?.interrupt();
  }

  /** Close sockets and the TypeScript service; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.sendQueues?.iopub.drained();
    this.closed = true;
    this.output.flush();
    for (const s of Object.values(this.sockets ?? {})) s.close();
    try {
      this.evaluatorInstance?.close();
    } catch {
      // The language service may already be gone; nothing left to release.
    }
    for (const r of this.onClosed.splice(0)) r();
  }
}


/**
 * Worker entry of the verifier pool (`pool.ts`): a registry of named job handlers and a message loop.
 *
 * Protocol (structured-clone messages):
 *   main → worker  `{ id, name, payload }` or an array of them   run in arrival order, one at a time
 *   worker → main  `{ type: "ready" }`                           after the `preload` handlers' modules loaded
 *                  `{ type: "fatal", message }`                  a preload failed; the pool fails its jobs
 *                  `{ type: "result", id, ok: true, value }`     the handler returned (or resolved)
 *                  `{ type: "result", id, ok: false, message }`  the handler threw: the pool reports "error"
 *
 * The worker never enforces time limits itself: a handler that loops forever is stopped by the pool with
 * `worker.terminate()`, which is the only way to interrupt synchronous JavaScript.
 *
 * Handler modules load lazily (a pool that only runs `selftest/*` jobs respawns in ~40 ms instead of
 * paying for the math stack); `workerData.preload` names handlers to load before reporting ready, so a
 * job's time limit never includes module loading.
 *
 * When the pool runs from TypeScript sources (tests via tsx), this file is transpiled once by the pool
 * and started from a `data:` URL: `workerData.base` is then the URL this file would have, and
 * `workerData.tsx` the tsx ESM API to register before importing any other `.ts` module (Node 20 does not
 * apply `--import tsx` from `execArgv` inside workers).
 */
import { parentPort, workerData } from "node:worker_threads";

type Handler = (payload: any) => unknown;

interface WorkerConfig {
  base?: string;
  tsx?: string;
  preload?: string[];
}

const config: WorkerConfig = (workerData as WorkerConfig | undefined) ?? {};
const base = config.base ?? import.meta.url;

let tsxRegistered: Promise<void> | null = null;

/** Import a sibling module, registering tsx first when running from sources. */
async function importSibling(relative: string): Promise<any> {
  if (config.tsx) {
    tsxRegistered ??= import(config.tsx).then((api: { register: () => unknown }) => {
      api.register();
    });
    await tsxRegistered;
  }
  return import(new URL(relative, base).href);
}

/** Busy-loop for `ms` milliseconds without yielding: the diagnostic that proves hard timeouts. */
function spin(ms: number): number {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) n++;
  return n;
}

type Loader = () => Promise<Handler>;

/** name → loader of the handler (lazy so that unused stacks are never loaded). */
const LOADERS: Record<string, Loader> = {
  "selftest/noop": async () => (payload) => payload,
  "selftest/spin": async () => (payload: { ms: number }) => ({ iterations: spin(Number(payload?.ms ?? 0)) }),
  "selftest/throw": async () => (payload: { message?: string }) => {
    throw new Error(String(payload?.message ?? "selftest/throw"));
  },
  /** Kills the worker thread outright (an uncaught crash, not a thrown handler error). */
  "selftest/exit": async () => (payload: { code?: number }) => process.exit(Number(payload?.code ?? 3)),
  verifyMath: async () => {
    const math = await importSibling("./math/index.js");
    return (p: { gold: string; completion: string; options?: unknown }) => math.verifyMath(p.gold, p.completion, p.options);
  },
};

const handlers = new Map<string, Handler>();

async function getHandler(name: string): Promise<Handler> {
  let h = handlers.get(name);
  if (h) return h;
  const load = LOADERS[name];
  if (!load) throw new Error(`unknown job "${name}" (known: ${Object.keys(LOADERS).join(", ")})`);
  h = await load();
  handlers.set(name, h);
  return h;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("verifiers/worker.ts must run inside a worker thread (see pool.ts)");
  try {
    for (const name of config.preload ?? []) await getHandler(name);
  } catch (err) {
    port.postMessage({ type: "fatal", message: `preloading handlers failed: ${errorMessage(err)}` });
    return;
  }
  // Jobs run strictly one after another in arrival order (the pool pipelines several into one worker and
  // times only the running one): loaded synchronous handlers run at once, anything async holds the line.
  type Msg = { id: number; name: string; payload: unknown };
  const waiting: Msg[] = [];
  let busy = false;
  port.on("message", (msg: Msg | Msg[]) => {
    const batch = Array.isArray(msg) ? msg : [msg];
    for (const m of batch) {
      if (busy) waiting.push(m);
      else runJob(m);
    }
  });
  function runJob(msg: Msg): void {
    const h = handlers.get(msg.name);
    if (h) {
      let value: unknown;
      try {
        value = h(msg.payload);
      } catch (err) {
        port!.postMessage({ type: "result", id: msg.id, ok: false, message: errorMessage(err) });
        return;
      }
      if (value instanceof Promise) settle(msg.id, value);
      else post(msg.id, value);
      return;
    }
    settle(
      msg.id,
      getHandler(msg.name).then((handler) => handler(msg.payload)),
    );
  }
  port.postMessage({ type: "ready" });

  function post(id: number, value: unknown): void {
    try {
      port!.postMessage({ type: "result", id, ok: true, value });
    } catch (err) {
      port!.postMessage({ type: "result", id, ok: false, message: `result not transferable: ${errorMessage(err)}` });
    }
  }
  function settle(id: number, p: Promise<unknown>): void {
    busy = true;
    p.then(
      (value) => post(id, value),
      (err) => port!.postMessage({ type: "result", id, ok: false, message: errorMessage(err) }),
    ).finally(() => {
      busy = false;
      while (!busy && waiting.length > 0) runJob(waiting.shift()!);
    });
  }
}

void main();

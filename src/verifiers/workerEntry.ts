/**
 * How the pool starts a worker, from wherever this folder was loaded.
 *
 * From `dist/` the compiled `worker.js` is started directly. From TypeScript sources (tests and benches
 * run through tsx) Node 20 does not apply `--import tsx` inside workers (measured: the worker fails with
 * ERR_UNKNOWN_FILE_EXTENSION), and loading tsx in every worker costs ~250 ms a start; so `worker.ts` is
 * transpiled once with esbuild (tsx's own dependency) and started from a `data:` URL, with tsx flags
 * stripped from its `execArgv`; the worker registers tsx itself only before it imports another `.ts`
 * module (see worker.ts). Without esbuild it falls back to a bootstrap that registers tsx first (slower).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export interface WorkerEntry {
  url: URL | string;
  eval?: boolean;
  workerData: { base?: string; tsx?: string };
}

let cachedEntry: WorkerEntry | null = null;

/**
 * The parent's `execArgv` minus what must not reach a worker: tsx's loader flags (Node 20 workers load
 * `--import tsx`, ~250 ms a start, without applying it; worker.ts registers tsx itself when it needs
 * it), the entry-point flags `-e/--eval/-p/--print/--input-type` (a worker rejects them) and `--test*`.
 */
export function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const isLoaderFlag = /^--(import|require|loader|experimental-loader)$/.test(a) || a === "-r";
    if (isLoaderFlag && i + 1 < argv.length && /tsx/.test(argv[i + 1])) {
      i++;
      continue;
    }
    if (/^--(import|require|loader|experimental-loader)=.*tsx/.test(a)) continue;
    if (/^(-e|--eval|-p|--print)$/.test(a)) {
      i++; // its code argument
      continue;
    }
    if (/^--(eval|print|input-type|test)/.test(a)) continue;
    out.push(a);
  }
  return out;
}

/** How to start worker.ts/worker.js from wherever this module was loaded (see the module comment). */
export function resolveWorkerEntry(): WorkerEntry {
  if (cachedEntry) return cachedEntry;
  const here = import.meta.url;
  if (!here.endsWith(".ts")) {
    cachedEntry = { url: new URL("./worker.js", here), workerData: {} };
    return cachedEntry;
  }
  const workerTs = new URL("./worker.ts", here);
  const tsx = import.meta.resolve("tsx/esm/api");
  try {
    const require = createRequire(here);
    const esbuild = require("esbuild") as { transformSync(src: string, o: object): { code: string } };
    const js = esbuild.transformSync(readFileSync(fileURLToPath(workerTs), "utf8"), {
      loader: "ts",
      format: "esm",
      target: "node20",
    }).code;
    cachedEntry = {
      url: new URL(`data:text/javascript;base64,${Buffer.from(js).toString("base64")}`),
      workerData: { base: workerTs.href, tsx },
    };
  } catch {
    const boot = `import(${JSON.stringify(tsx)}).then((a) => { a.register(); return import(${JSON.stringify(workerTs.href)}); })`;
    cachedEntry = { url: boot, eval: true, workerData: {} };
  }
  return cachedEntry;
}

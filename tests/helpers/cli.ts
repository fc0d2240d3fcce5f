/**
 * Run `rlvr` the way a user does: through the `node_modules/.bin/rlvr` symlink that `npm install` creates
 * (what `npx rlvr` resolves), executed directly so its shebang, its exec bit and the symlink all count.
 * Needs dist/ (npm test builds it first); `binSkip` says how to get it otherwise.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = join(REPO, "node_modules", ".bin", "rlvr");

export const binSkip: false | string =
  existsSync(BIN) && existsSync(join(REPO, "dist", "cli", "main.js"))
    ? false
    : "node_modules/.bin/rlvr or dist/ missing: run npm install && npm run build (npm test does both)";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Run this executable instead of the bin link (a global `npm link` path, `node dist/cli/main.js`). */
  command?: string;
  prefixArgs?: string[];
}

/** Spawn `rlvr ARGS…` through the bin link and collect its output; never throws on a non-zero exit. */
export function rlvr(args: string[], o: CliOptions = {}): Promise<CliResult> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(o.command ?? BIN, [...(o.prefixArgs ?? []), ...args], {
      cwd: o.cwd ?? REPO,
      env: { ...process.env, ...o.env, NO_COLOR: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 120_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
    child.stdin.on("error", () => {}); // the command may exit before reading stdin
    child.stdin.end(o.input ?? "");
  });
}

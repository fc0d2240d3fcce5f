/**
 * Start `rlvr serve …` the way a user runs it — through the installed bin link node_modules/.bin/rlvr
 * (dist/ must be built: `npm test` builds first) — on port 0, and read the chosen URL from its
 * `listening on URL` line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const repo = fileURLToPath(new URL("../..", import.meta.url));
export const RLVR_BIN = join(repo, "node_modules", ".bin", "rlvr");

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<number | null>;
}

export function startServe(args: string[], timeoutMs = 60_000): Promise<ServeProcess> {
  const child = spawn(RLVR_BIN, ["serve", "--port", "0", ...args], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`rlvr serve did not print "listening on" within ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`rlvr serve exited with ${code} before listening; stderr: ${err}`));
    });
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({
        url: m[1],
        child,
        stderr: () => err,
        stop: () =>
          new Promise((res) => {
            if (child.exitCode !== null) return res(child.exitCode);
            child.once("exit", (code) => res(code));
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

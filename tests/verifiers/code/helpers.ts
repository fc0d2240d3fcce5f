/** Shared pieces of the code-verifier tests: data locations, the sandbox skip, process counting. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";
import { probeSandbox, slotUids } from "../../../src/verifiers/code/sandbox.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const dataDir = join(repoRoot, "..", "shared", "data");

/** Why the sandbox tests must skip here (null: they run). */
export function sandboxSkip(): string | null {
  const p = probeSandbox();
  return p.ok ? null : `code sandbox unavailable: ${p.reason}`;
}

export function readJsonlFile(file: string): any[] {
  // MBPP's copy has CRLF line endings and no final newline.
  return readFileSync(file, "utf8")
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

export function dataFile(name: string): string | null {
  const f = join(dataDir, name);
  return existsSync(f) ? f : null;
}

/**
 * Processes that belong to this test process's sandboxes: its direct children, and anything running
 * under one of the sandbox uids of this pid (slots 0..63).
 */
export function strayProcesses(): { pid: number; uid: number; ppid: number; name: string }[] {
  const lo = slotUids(0).candidate;
  const hi = slotUids(63).judge;
  const out: { pid: number; uid: number; ppid: number; name: string }[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    let status: string;
    try {
      status = readFileSync(`/proc/${e}/status`, "utf8");
    } catch {
      continue;
    }
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
    const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? "?";
    // Children of this process that the sandbox starts (unshare); tsx's esbuild service is not ours.
    const ours = ppid === process.pid && (name === "unshare" || name === "sh");
    if ((uid >= lo && uid <= hi) || ours) out.push({ pid: Number(e), uid, ppid, name });
  }
  return out;
}

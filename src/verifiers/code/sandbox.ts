/**
 * The sandbox: the only place in rlvr-lab that starts processes for untrusted code (DESIGN.md, "Which way
 * imports run"). One run = a trusted *judge* and an untrusted *candidate*, each a child process, joined by
 * two pipes; the judge's verdict records come back on fd 3, which the candidate never holds.
 *
 * What is enforced, and how (Linux, as root — `probeSandbox()` says whether this machine can):
 *
 * | property                    | mechanism                                                                 |
 * |-----------------------------|---------------------------------------------------------------------------|
 * | own process tree, killed    | `unshare --pid --fork --kill-child` in a new session (own process group): |
 * |   whole on timeout          |   SIGKILL to the group kills unshare, its child is pid 1 of a new pid     |
 * |                             |   namespace, and the kernel kills every process in it                     |
 * | no network                  | `unshare --net`: a new network namespace with only a down loopback        |
 * | fresh directory, no writes  | `unshare --mount` + `chroot` into a new root: /usr bound read-only, /dev  |
 * |   outside it                |   null/zero/random/urandom, a private /proc, /work = a size-limited tmpfs |
 * |                             |   owned by the candidate (also /tmp); nothing else of the host is visible |
 * | judge ≠ candidate           | `setpriv`: two fresh uids per slot, no groups, no capabilities,           |
 * |                             |   no_new_privs; the candidate cannot signal, ptrace or open the judge's   |
 * |                             |   fds, nor read /judge (mode 0700, the tests)                             |
 * | wall clock                  | a timer here; CPU seconds: RLIMIT_CPU (prlimit)                           |
 * | memory, file size, fork     | RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_NPROC (per fresh uid: 1 = no fork),       |
 * |                             |   RLIMIT_NOFILE, RLIMIT_CORE=0                                            |
 * | environment                 | `env -i` with PATH, HOME=/work, TMPDIR=/work, LANG only                   |
 * | output                      | stdout/stderr kept up to `keepOutputBytes`; past `maxOutputBytes` killed  |
 *
 * Concurrency: at most `slots` runs at once (SandboxSlots; the code verifier sizes it from the worker-pool
 * settings). Without root or without `unshare`, `runInSandbox` refuses (status `unavailable`) instead of
 * running untrusted code unisolated.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync, chmodSync, chownSync, existsSync, lstatSync, readlinkSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

/** Resource limits of one run; defaults live here and only here. */
export const SandboxLimits = z.object({
  /** Wall-clock limit of the whole run (start-up included), ms. */
  timeoutMs: z.number().int().positive().max(600_000).default(10_000),
  /** RLIMIT_CPU of each process, seconds (default: the wall-clock limit rounded up). */
  cpuSeconds: z.number().int().positive().max(3600).optional(),
  /** RLIMIT_AS of each process, MiB. */
  memoryMb: z.number().int().min(64).max(65_536).default(1024),
  /** RLIMIT_FSIZE, MiB (largest file a process may write). */
  fileSizeMb: z.number().int().min(0).max(4096).default(16),
  /** Size of the candidate's /work tmpfs, MiB. */
  workMb: z.number().int().min(1).max(4096).default(64),
  /** RLIMIT_NPROC of the candidate's uid: processes + threads (1: it cannot fork or start threads). */
  processes: z.number().int().min(1).max(4096).default(1),
  /** RLIMIT_NOFILE of each process. */
  openFiles: z.number().int().min(16).max(65_536).default(64),
  /** stdout/stderr bytes kept for display (each). */
  keepOutputBytes: z.number().int().min(0).max(16 << 20).default(64 << 10),
  /** Total stdout+stderr past which the run is killed. */
  maxOutputBytes: z.number().int().min(1024).max(1 << 30).default(8 << 20),
});
export type SandboxLimits = z.input<typeof SandboxLimits>;
export type ResolvedSandboxLimits = z.output<typeof SandboxLimits>;

export interface SandboxProbe {
  ok: boolean;
  /** Why not, and how to fix it (when !ok). */
  reason?: string;
  /** What is enforced, for verdict flags and docs (e.g. "netns", "pidns", "chroot", "uid-split"). */
  enforced: string[];
}

export interface SandboxJob {
  /** Files for the judge's private /judge directory (mode 0700, the judge's uid). */
  judgeFiles: Record<string, string>;
  /** Files readable by both (in /io, read-only), e.g. the harness. */
  sharedFiles: Record<string, string>;
  /** argv of the judge (absolute paths inside the sandbox root); it gets fd 3 (results), 5 (requests), 6 (replies). */
  judge: string[];
  /** argv of the candidate; it gets fd 3 (requests), 4 (replies). */
  candidate: string[];
  /** RLIMIT_NPROC for the candidate (overrides limits.processes; node needs threads). */
  candidateProcesses?: number;
  /** RLIMIT_NPROC for the judge (default 1). */
  judgeProcesses?: number;
}

export interface SandboxResult {
  status: "exited" | "timeout" | "output-limit" | "unavailable" | "failed";
  /** Records the judge wrote on fd 3, then the launcher's `{"launcher": {judge, candidate}}` exit codes. */
  results: string;
  stdout: string;
  stderr: string;
  outputBytes: number;
  ms: number;
  /** Exit code of the outer process (unshare), null when killed. */
  exitCode: number | null;
  message?: string;
  enforced: string[];
}

const UID_BASE = 1_000_000_000;
const TOOLS = ["unshare", "prlimit", "setpriv", "chroot", "mount", "mkfifo", "env"];

let probed: SandboxProbe | null = null;

/** Can this machine isolate runs as the table above says? Cached; costs one short unshare the first time. */
export function probeSandbox(): SandboxProbe {
  if (probed) return probed;
  const enforced = ["pidns", "netns", "mountns", "chroot", "uid-split", "rlimits", "env-scrubbed", "pgroup-kill"];
  if (process.platform !== "linux") return (probed = { ok: false, reason: `the code sandbox needs Linux (this is ${process.platform})`, enforced: [] });
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    return (probed = { ok: false, reason: "the code sandbox needs root (it switches to fresh uids and mounts a private root); run as root or in a container", enforced: [] });
  }
  for (const t of TOOLS) {
    const r = spawnSync("sh", ["-c", `command -v ${t}`], { encoding: "utf8" });
    if (r.status !== 0) return (probed = { ok: false, reason: `the code sandbox needs \`${t}\` (util-linux / coreutils) on PATH`, enforced: [] });
  }
  const r = spawnSync("unshare", ["--net", "--pid", "--fork", "--kill-child", "--mount", "--propagation", "private", "true"], { encoding: "utf8", timeout: 10_000 });
  if (r.status !== 0) {
    return (probed = { ok: false, reason: `unshare --net --pid --mount failed here (${(r.stderr || r.error?.message || "").trim()}); the platform does not allow namespaces`, enforced: [] });
  }
  return (probed = { ok: true, enforced });
}

/** Is `path` (an interpreter) visible inside the sandbox root, i.e. under /usr after resolving links? */
export function insideSandboxRoot(path: string): boolean {
  try {
    return realpathSync(path).startsWith("/usr/");
  } catch {
    return false;
  }
}

/** At most `size` runs at once; each holds a slot index (its uids derive from it and this process's pid). */
export class SandboxSlots {
  private readonly free: number[];
  private readonly waiters: ((slot: number) => void)[] = [];
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1 || size > 64) throw new Error(`sandbox slots must be an integer in [1, 64], got ${size}`);
    this.free = Array.from({ length: size }, (_, i) => i);
  }
  acquire(): Promise<number> {
    const s = this.free.shift();
    if (s !== undefined) return Promise.resolve(s);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(slot: number): void {
    const w = this.waiters.shift();
    if (w) w(slot);
    else this.free.push(slot);
  }
}

/** The two uids of a slot: unique per (this process, slot), so concurrent runs never share an RLIMIT_NPROC count. */
export function slotUids(slot: number, pid = process.pid): { candidate: number; judge: number } {
  const base = UID_BASE + (pid * 64 + slot) * 2;
  return { candidate: base, judge: base + 1 };
}

const LAUNCHER = String.raw`set -eu
W="$1"; CU="$2"; JU="$3"; WORK_KB="$4"; AS="$5"; CPU="$6"; FSIZE="$7"; NPROC="$8"; NOFILE="$9"
R="$W/root"
ro() { mount --bind "$1" "$2"; mount -o remount,bind,ro,nosuid,nodev "$2"; }
ro /usr "$R/usr"
for d in bin lib lib64 sbin lib32 libx32; do
  if [ -d "/$d" ] && [ ! -L "/$d" ]; then ro "/$d" "$R/$d"; fi
done
for n in null urandom; do mount --bind "/dev/$n" "$R/dev/$n"; done
mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
mount -t tmpfs -o "size=$WORK_KB"k,mode=0700,uid="$CU",gid="$CU",nosuid,nodev rlvr-work "$R/work"
mkfifo -m 600 "$W/fifo/req" "$W/fifo/resp"
set +e
LIM="--as=$AS --cpu=$CPU:$((CPU + 1)) --fsize=$FSIZE --nofile=$NOFILE --core=0"
ENV="PATH=/usr/bin:/bin HOME=/work TMPDIR=/work LANG=C.UTF-8 LC_ALL=C.UTF-8"
DROP="--clear-groups --no-new-privs --bounding-set=-all --inh-caps=-all"
shift 9
JNPROC="$1"; shift
NC="$1"; shift
CAND=""; i=0
while [ $i -lt "$NC" ]; do CAND="$CAND $1"; shift; i=$((i + 1)); done
chroot "$R" /usr/bin/env -i $ENV /usr/bin/prlimit $LIM --nproc="$NPROC" /usr/bin/setpriv --reuid="$CU" --regid="$CU" $DROP -- $CAND \
  3<"$W/fifo/req" 4>"$W/fifo/resp" </dev/null &
CP=$!
chroot "$R" /usr/bin/env -i $ENV /usr/bin/prlimit $LIM --nproc="$JNPROC" /usr/bin/setpriv --reuid="$JU" --regid="$JU" $DROP -- "$@" \
  5>"$W/fifo/req" 6<"$W/fifo/resp" </dev/null
JS=$?
exec 2>/dev/null
kill -KILL "$CP"
wait "$CP"
CS=$?
printf '{"launcher":{"judge":%d,"candidate":%d}}\n' "$JS" "$CS" >&3
`;

function prepareRoot(job: SandboxJob, uids: { candidate: number; judge: number }): string {
  const w = mkdtempSync(join(tmpdir(), "rlvr-sbx-"));
  chmodSync(w, 0o711);
  const r = join(w, "root");
  mkdirSync(r, { mode: 0o755 });
  for (const d of ["usr", "work", "dev", "proc", "io"]) mkdirSync(join(r, d), { mode: 0o755 });
  for (const d of ["bin", "lib", "lib64", "sbin", "lib32", "libx32"]) {
    const host = `/${d}`;
    if (!existsSync(host)) continue;
    if (lstatSync(host).isSymbolicLink()) symlinkSync(readlinkSync(host), join(r, d));
    else mkdirSync(join(r, d), { mode: 0o755 });
  }
  symlinkSync("work", join(r, "tmp"));
  for (const n of ["null", "urandom"]) writeFileSync(join(r, "dev", n), "");
  for (const [name, text] of Object.entries(job.sharedFiles)) writeFileSync(join(r, "io", name), text, { mode: 0o644 });
  // /judge lives in the root directly (no mount): mode 0700, owned by the judge's uid.
  const judgeDir = join(r, "judge");
  mkdirSync(judgeDir, { mode: 0o700 });
  for (const [name, text] of Object.entries(job.judgeFiles)) {
    writeFileSync(join(judgeDir, name), text, { mode: 0o600 });
    chownSync(join(judgeDir, name), uids.judge, uids.judge);
  }
  chownSync(judgeDir, uids.judge, uids.judge);
  mkdirSync(join(w, "fifo"), { mode: 0o700 });
  return w;
}

/** Run one judge/candidate pair under the limits; resolves whatever happens (never rejects). */
export async function runInSandbox(job: SandboxJob, limits: SandboxLimits, slot: number): Promise<SandboxResult> {
  const t0 = performance.now();
  const probe = probeSandbox();
  const base = { results: "", stdout: "", stderr: "", outputBytes: 0, exitCode: null, enforced: probe.enforced };
  if (!probe.ok) return { ...base, status: "unavailable", ms: 0, message: probe.reason };
  const lim = SandboxLimits.parse(limits);
  const uids = slotUids(slot);
  let w: string;
  try {
    w = prepareRoot(job, uids);
  } catch (err) {
    return { ...base, status: "failed", ms: performance.now() - t0, message: `cannot prepare the sandbox directory: ${(err as Error).message}` };
  }
  const cpu = lim.cpuSeconds ?? Math.max(1, Math.ceil(lim.timeoutMs / 1000));
  const args = [
    "--net", "--pid", "--fork", "--kill-child", "--mount", "--propagation", "private",
    "sh", "-c", LAUNCHER, "rlvr-sandbox",
    w, String(uids.candidate), String(uids.judge), String(lim.workMb * 1024), String(lim.memoryMb * 1024 * 1024),
    String(cpu), String(lim.fileSizeMb * 1024 * 1024), String(job.candidateProcesses ?? lim.processes), String(lim.openFiles), String(job.judgeProcesses ?? 1),
    String(job.candidate.length), ...job.candidate, ...job.judge,
  ];
  try {
    return await new Promise<SandboxResult>((resolve) => {
      const child = spawn("unshare", args, { detached: true, stdio: ["ignore", "pipe", "pipe", "pipe"], env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" } });
      const out = { stdout: [] as Buffer[], stderr: [] as Buffer[], kept: { stdout: 0, stderr: 0 }, total: 0 };
      const results: Buffer[] = [];
      let resultBytes = 0;
      let status: SandboxResult["status"] = "exited";
      let done = false;
      const killGroup = () => {
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      };
      const timer = setTimeout(() => {
        if (status === "exited") status = "timeout";
        killGroup();
      }, lim.timeoutMs);
      const collect = (which: "stdout" | "stderr") => (chunk: Buffer) => {
        out.total += chunk.length;
        const room = lim.keepOutputBytes - out.kept[which];
        if (room > 0) {
          out[which].push(room >= chunk.length ? chunk : chunk.subarray(0, room));
          out.kept[which] += Math.min(room, chunk.length);
        }
        if (out.total > lim.maxOutputBytes && status === "exited") {
          status = "output-limit";
          killGroup();
        }
      };
      child.stdout!.on("data", collect("stdout"));
      child.stderr!.on("data", collect("stderr"));
      const fd3 = child.stdio[3] as NodeJS.ReadableStream;
      fd3.on("data", (chunk: Buffer) => {
        resultBytes += chunk.length;
        if (resultBytes <= 16 << 20) results.push(chunk);
      });
      child.on("error", (err) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ ...base, status: "failed", ms: performance.now() - t0, message: `cannot start unshare: ${err.message}` });
      });
      // 'close' fires once every holder of the pipes has exited: the whole namespace is gone by then.
      child.on("close", (code) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({
          status,
          results: Buffer.concat(results).toString("utf8"),
          stdout: Buffer.concat(out.stdout).toString("utf8"),
          stderr: Buffer.concat(out.stderr).toString("utf8"),
          outputBytes: out.total,
          ms: performance.now() - t0,
          exitCode: code,
          enforced: probe.enforced,
        });
      });
    });
  } finally {
    rmSync(w, { recursive: true, force: true });
  }
}

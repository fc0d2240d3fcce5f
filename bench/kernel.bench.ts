// Cell round trip of the rlvr-lab kernel: execute `1+1` → execute_reply + iopub idle, as a Jupyter
// client sees it. Baselines in the same run: the bare ZeroMQ round trip of kernel_info_request on the
// same kernel (no evaluation at all), tslab's own kernel executing the same cell (timed to its
// execute_reply: tslab sends iopub messages without awaiting zeromq's send, so under a tight loop its
// idle status can be lost and a reply+idle timing would hang), and — when
// /usr/bin/python3 has jupyter_client — the same measurement from jupyter_client.
// Run: npx tsc -p tsconfig.build.json && node scripts/run-bench.mjs kernel   (RLVR_BENCH_N=… to change n)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launchKernel, type RunningKernel } from "../src/kernel/launcher.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const N = Number(process.env.RLVR_BENCH_N ?? 200);
const WARMUP = 20;

interface Stats {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  return { n: s.length, p50: q(0.5), p99: q(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function time(n: number, fn: () => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return stats(xs);
}

const executeOnePlusOne = (k: RunningKernel) => async () => {
  const r = await k.client.execute("1+1", { timeoutMs: 30_000 });
  if (r.reply.content.status !== "ok") throw new Error(`1+1 failed: ${JSON.stringify(r.reply.content)}`);
};

/** Time to the execute_reply only (tslab sometimes loses its iopub idle status under load). */
const executeReplyOnly = (k: RunningKernel) => async () => {
  const r = await k.client.request("shell", "execute_request", { code: "1+1", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, { timeoutMs: 30_000 });
  if (r.content.status !== "ok") throw new Error(`1+1 failed: ${JSON.stringify(r.content)}`);
};

const rows: [string, Stats][] = [];

const ours = await launchKernel({ cwd: root });
try {
  rows.push(["rlvr-lab kernel: execute 1+1 (TS client)", await time(N, executeOnePlusOne(ours))]);
  rows.push(["rlvr-lab kernel: execute 1+1, execute_reply only", await time(N, executeReplyOnly(ours))]);
  rows.push([
    "baseline: kernel_info_request round trip (same kernel)",
    await time(N, () => ours.client.request("shell", "kernel_info_request", {}, { timeoutMs: 30_000 })),
  ]);
} finally {
  await ours.shutdown();
}

const tslabBin = `${root}node_modules/tslab/bin/tslab`;
if (existsSync(tslabBin)) {
  const tslab = await launchKernel({
    cwd: root,
    argv: [process.execPath, tslabBin, "kernel", "--config-path", "{connection_file}"],
    allocatePorts: true,
  });
  try {
    rows.push(["baseline: tslab 1.0.22: execute 1+1, execute_reply only", await time(N, executeReplyOnly(tslab))]);
  } finally {
    await tslab.shutdown();
  }
}

const py = "/usr/bin/python3";
if (existsSync(py) && spawnSync(py, ["-c", "import jupyter_client"]).status === 0) {
  const script = `
import json, sys, time
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="rlvr-lab")
def once():
    mid = kc.execute("1+1")
    kc.get_shell_msg(timeout=30)
    while True:
        m = kc.get_iopub_msg(timeout=30)
        if m["parent_header"].get("msg_id") == mid and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return
for _ in range(${WARMUP}): once()
xs = []
for _ in range(int(sys.argv[1])):
    t = time.perf_counter(); once(); xs.append((time.perf_counter() - t) * 1000)
kc.stop_channels(); km.shutdown_kernel(now=True)
print(json.dumps(xs))
`;
  const r = spawnSync(py, ["-c", script, String(Math.min(N, 100))], {
    cwd: root,
    env: { ...process.env, JUPYTER_PATH: root },
    encoding: "utf8",
    timeout: 300_000,
  });
  if (r.status === 0) rows.push(["rlvr-lab kernel: execute 1+1 (python jupyter_client)", stats(JSON.parse(r.stdout.trim().split("\n").pop()!))]);
  else console.log(`jupyter_client run failed: ${r.stderr.slice(-500)}`);
}

const base = rows[2]![1].p50;
console.log(`cell round trip, ms (n per row as shown, ${WARMUP} warm-up runs each)`);
console.log(`${"what".padEnd(58)} ${"n".padStart(4)} ${"p50".padStart(8)} ${"p99".padStart(8)} ${"mean".padStart(8)}  p50 / kernel_info p50`);
for (const [name, s] of rows) {
  console.log(
    `${name.padEnd(58)} ${String(s.n).padStart(4)} ${s.p50.toFixed(2).padStart(8)} ${s.p99.toFixed(2).padStart(8)} ${s.mean.toFixed(2).padStart(8)}  ${(s.p50 / base).toFixed(2)}×`,
  );
}
const ourP50 = rows[0]![1].p50;
console.log(`target p50 < 20 ms: ${ourP50 < 20 ? "met" : "NOT met"} (${ourP50.toFixed(2)} ms)`);

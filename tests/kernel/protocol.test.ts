// The kernel over ZeroMQ with the project's own Jupyter client: results, counts, errors, queueing,
// interrupts, history/complete/inspect, shutdown, and exit when the parent dies.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchKernel, type RunningKernel } from "../../src/kernel/launcher.js";
import { KernelClient } from "../../src/kernel/client.js";
import { readConnectionFile } from "../../src/kernel/connection.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(root, "dist/cli/main.js");
let k: RunningKernel;

before(async () => {
  k = await launchKernel({ cwd: root });
});
after(async () => {
  await k?.shutdown();
});

const types = (r: { outputs: { header: { msg_type: string } }[] }) => r.outputs.map((m) => m.header.msg_type);

test("kernel_info_reply has status ok, protocol 5.3 and typescript language_info", () => {
  assert.equal(k.kernelInfo.status, "ok");
  assert.equal(k.kernelInfo.protocol_version, "5.3");
  assert.equal(k.kernelInfo.language_info.name, "typescript");
  assert.equal(k.kernelInfo.language_info.file_extension, ".ts");
});

test("execute_result carries the last value and execution counts increase like Jupyter's", async () => {
  const a = await k.client.execute("const base = 40; base + 2");
  assert.equal(a.reply.content.status, "ok");
  const n = a.reply.content.execution_count as number;
  assert.equal(a.executeInput?.content.execution_count, n);
  const res = a.outputs.find((m) => m.header.msg_type === "execute_result")!;
  assert.equal(res.content.data["text/plain"], "42");
  assert.equal(res.content.execution_count, n);
  const b = await k.client.execute("base", { storeHistory: false });
  assert.equal(b.reply.content.execution_count, n, "store_history=false does not use a count");
  const c = await k.client.execute("base * 2", { silent: true });
  assert.deepEqual(types(c), [], "silent: no execute_input, no execute_result");
  const d = await k.client.execute("undefined");
  assert.equal(d.reply.content.execution_count, n + 1);
  assert.deepEqual(types(d), [], "undefined produces no execute_result");
});

test("shorthand properties see earlier cells' variables (tslab bug worked around)", async () => {
  await k.client.execute("const steps = 30;\nlet seed = 1;");
  const r = await k.client.execute("const o = { steps, seed, other: 2 };\nlet a = 0;\n({ a = 5 } = {} as { a?: number });\n[o, a]");
  assert.equal(r.reply.content.status, "ok", String(r.reply.content.evalue));
  const text = r.outputs.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"];
  assert.equal(text, "[ { steps: 30, seed: 1, other: 2 }, 5 ]");
});

test("errors carry ename/evalue/traceback, TypeScript errors are TSError, and count still advances", async () => {
  const e = await k.client.execute('throw new RangeError("too far")');
  assert.equal(e.reply.content.status, "error");
  assert.equal(e.reply.content.ename, "RangeError");
  assert.equal(e.reply.content.evalue, "too far");
  const err = e.outputs.find((m) => m.header.msg_type === "error")!;
  assert.ok(Array.isArray(err.content.traceback) && err.content.traceback.length > 0);
  const t = await k.client.execute('const wrong: number = "text";');
  assert.equal(t.reply.content.ename, "TSError");
  assert.match(String(t.reply.content.evalue), /not assignable to type 'number'/);
  assert.equal(t.reply.content.execution_count, (e.reply.content.execution_count as number) + 1);
});

test("a request sent right after a failing cell is answered (no 200 ms drop window)", async () => {
  const failed = await k.client.execute("throw new Error('first')");
  assert.equal(failed.reply.content.status, "error");
  const next = await k.client.execute("1 + 1", { timeoutMs: 10_000 });
  assert.equal(next.reply.content.status, "ok");
  assert.equal(next.outputs.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "2");
});

test("execute requests queued before a failure are aborted (stop_on_error), later ones run", async () => {
  const p1 = k.client.execute("await new Promise((r) => setTimeout(r, 300)); throw new Error('late')");
  const p2 = k.client.execute("'queued'");
  const p3 = k.client.execute("'queued, no stop'", { stopOnError: false });
  const [r1, r2, r3] = await Promise.all([p1, p2, p3]);
  assert.equal(r1.reply.content.status, "error");
  assert.equal(r2.reply.content.status, "aborted");
  assert.equal(r3.reply.content.status, "ok");
});

test("stdout and stderr stream in order and tslab.display reaches iopub as display_data", async () => {
  const r = await k.client.execute('console.log("a"); console.error("b"); console.log("c")');
  assert.deepEqual(
    r.outputs.map((m) => [m.content.name, m.content.text]),
    [["stdout", "a\n"], ["stderr", "b\n"], ["stdout", "c\n"]],
  );
  const d = await k.client.execute('import * as tslab from "tslab"; tslab.display.html("<i>x</i>")');
  const dd = d.outputs.find((m) => m.header.msg_type === "display_data")!;
  assert.equal(dd.content.data["text/html"], "<i>x</i>");
});

test("top-level await works and interrupt_request stops a pending await", async () => {
  const v = await k.client.execute("await Promise.resolve(7)");
  assert.equal(v.outputs.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "7");
  const pending = k.client.execute("await new Promise((r) => setTimeout(r, 1e6))", { timeoutMs: 20_000 });
  await new Promise((r) => setTimeout(r, 300));
  const ir = await k.client.request("control", "interrupt_request", {}, { timeoutMs: 5000 });
  assert.equal(ir.content.status, "ok");
  const r = await pending;
  assert.equal(r.reply.content.status, "error");
  assert.equal(r.reply.content.ename, "Interrupted");
});

test("SIGINT interrupts a synchronous busy loop and the kernel keeps working", async () => {
  const pending = k.client.execute("while (true) {}", { timeoutMs: 20_000 });
  await new Promise((r) => setTimeout(r, 500));
  k.interrupt();
  const r = await pending;
  assert.equal(r.reply.content.status, "error");
  assert.equal(r.reply.content.ename, "Interrupted");
  const after = await k.client.execute("'alive'");
  assert.equal(after.reply.content.status, "ok");
});

test("history, completion, inspection, is_complete and comm_info are answered", async () => {
  await k.client.execute("const historyMarker = 123;");
  const h = await k.client.request("shell", "history_request", { hist_access_type: "search", pattern: "const historyMarker*", output: false, raw: true });
  assert.equal(h.content.history.length, 1);
  const c = await k.client.request("shell", "complete_request", { code: "historyMar", cursor_pos: 10 });
  assert.deepEqual(c.content.matches, ["historyMarker"]);
  assert.equal(c.content.cursor_start, 0);
  const i = await k.client.request("shell", "inspect_request", { code: "historyMarker", cursor_pos: 3, detail_level: 0 });
  assert.equal(i.content.found, true);
  assert.match(i.content.data["text/plain"], /historyMarker/);
  const ic = await k.client.request("shell", "is_complete_request", { code: "if (x) {" });
  assert.equal(ic.content.status, "incomplete");
  const ci = await k.client.request("shell", "comm_info_request", {});
  assert.deepEqual(ci.content, { status: "ok", comms: {} });
  assert.ok((await k.client.ping()) >= 0);
});

test("`rlvr kernel` started by a parent serves clients and exits when that parent is SIGKILLed", { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "rlvr-orphan-"));
  const pidFile = join(dir, "kernel.pid");
  const conn = join(dir, "conn.json");
  // The parent starts `rlvr kernel` on a connection file that does not exist yet (the kernel binds
  // free ports and writes it), records the kernel's pid, and then waits forever.
  const parentCode = `
    const { spawn } = require("node:child_process");
    const fs = require("node:fs");
    const c = spawn(process.execPath, [${JSON.stringify(CLI)}, "kernel", "--connection-file", ${JSON.stringify(conn)}], { stdio: "ignore" });
    fs.writeFileSync(${JSON.stringify(pidFile)}, String(c.pid));
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ["-e", parentCode], { stdio: "ignore", cwd: root });
  let client: KernelClient | null = null;
  let kernelPid = 0;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    const deadline = Date.now() + 40_000;
    while (!existsSync(conn) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(conn), "kernel did not write its connection file");
    kernelPid = Number(readFileSync(pidFile, "utf8"));
    const info = readConnectionFile(conn);
    assert.ok(info.shell_port > 0 && info.key.length > 0, "free ports bound and a key generated");
    client = await new KernelClient(info).connect();
    await client.waitForReady(30_000);
    const r = await client.execute("[1, 2, 3].length", { timeoutMs: 20_000 });
    assert.equal(r.outputs.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "3");
    parent.kill("SIGKILL");
    const gone = Date.now() + 10_000;
    while (alive(kernelPid) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(kernelPid), false, "orphaned kernel kept running");
  } finally {
    client?.close();
    parent.kill("SIGKILL");
    if (kernelPid && alive(kernelPid)) process.kill(kernelPid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

// Last: shuts the shared kernel down.
test("shutdown_request on control gets a reply and the kernel process exits 0", async () => {
  const r = await k.client.request("control", "shutdown_request", { restart: false }, { timeoutMs: 5000 });
  assert.equal(r.content.status, "ok");
  assert.equal(r.content.restart, false);
  const code = await new Promise<number | null>((resolve) =>
    k.child.exitCode !== null ? resolve(k.child.exitCode) : k.child.once("exit", (c) => resolve(c)),
  );
  assert.equal(code, 0);
});

/**
 * Start a kernel process and connect a client to it, the way a Jupyter frontend does:
 * write no ports ourselves — the kernel binds free ports and writes the connection file (no race),
 * we wait for the file, connect, and wait until kernel_info and iopub both answer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";
import { freshConnection, readConnectionFile, writeConnectionFile, type ConnectionInfo } from "./connection.js";
import { KernelClient } from "./client.js";

/** dist/kernel/main.js, found from both src/kernel (tests via tsx) and dist/kernel (built CLI). */
export const KERNEL_ENTRY = fileURLToPath(new URL("../../dist/kernel/main.js", import.meta.url));

export interface LaunchOptions {
  /** Working directory of the kernel = TypeScript root of the cells (the notebook's folder). */
  cwd?: string;
  /** Override the command; `{connection_file}` is replaced. Default: node KERNEL_ENTRY --connection-file … */
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  startupTimeoutMs?: number;
  /**
   * Write the connection file (free ports picked here) before starting the kernel, for kernels that
   * cannot bind ports themselves (e.g. tslab). Default false: our kernel binds and writes the file.
   */
  allocatePorts?: boolean;
  /** Where the kernel's own stderr goes (default: ignored unless RLVR_DEBUG is set). */
  stderr?: "inherit" | "ignore" | "pipe";
}

export interface RunningKernel {
  client: KernelClient;
  child: ChildProcess;
  connection: ConnectionInfo;
  kernelInfo: Record<string, any>;
  /** Send SIGINT (interrupt_mode "signal"). */
  interrupt(): void;
  /** shutdown_request on control, then SIGKILL if it has not exited within `graceMs`. */
  shutdown(graceMs?: number): Promise<void>;
}

/** A connection with five currently free 127.0.0.1 ports (a small race remains, as in jupyter_client). */
export async function allocateConnection(): Promise<ConnectionInfo> {
  const servers = await Promise.all(
    Array.from({ length: 5 }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const srv = createServer();
      srv.once("error", reject);
      srv.listen(0, "127.0.0.1", () => resolve(srv));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = ports as [number, number, number, number, number];
  return { ...freshConnection(), shell_port, iopub_port, stdin_port, control_port, hb_port };
}

export async function launchKernel(options: LaunchOptions = {}): Promise<RunningKernel> {
  if (!options.argv && !existsSync(KERNEL_ENTRY)) {
    throw new Error(`kernel entry ${KERNEL_ENTRY} is missing: build first with "npx tsc -p tsconfig.build.json"`);
  }
  const dir = mkdtempSync(join(tmpdir(), "rlvr-kernel-"));
  const file = join(dir, "connection.json");
  const argv = (options.argv ?? [process.execPath, KERNEL_ENTRY, "--connection-file", "{connection_file}"]).map((a) =>
    a.replace("{connection_file}", file),
  );
  if (options.allocatePorts) writeConnectionFile(file, await allocateConnection());
  const stderr = options.stderr ?? (process.env.RLVR_DEBUG ? "inherit" : "ignore");
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "ignore", stderr],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + (options.startupTimeoutMs ?? 60_000);
  const fail = (why: string) => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    return new Error(why);
  };
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  while (!existsSync(file)) {
    if (exitCode !== undefined) throw fail(`kernel exited with code ${exitCode} before writing ${file}`);
    if (Date.now() > deadline) throw fail(`kernel did not write its connection file within the startup timeout`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const connection = readConnectionFile(file);
  const client = await new KernelClient(connection).connect();
  let info;
  try {
    info = await client.waitForReady(Math.max(1000, deadline - Date.now()));
  } catch (err) {
    client.close();
    throw fail(`kernel did not become ready: ${(err as Error).message}`);
  }
  return {
    client,
    child,
    connection,
    kernelInfo: info.content,
    interrupt: () => void child.kill("SIGINT"),
    async shutdown(graceMs = 3000) {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          await client.request("control", "shutdown_request", { restart: false }, { timeoutMs: graceMs });
        } catch {
          // Unresponsive kernel: fall through to SIGKILL.
        }
        const t = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(t);
      }
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

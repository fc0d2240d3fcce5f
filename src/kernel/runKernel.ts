/**
 * Start the kernel for one connection file and serve until shutdown, parent death or SIGTERM.
 * Shared by `node dist/kernel/main.js` and `rlvr kernel`. Returns the exit code.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { freshConnection, readConnectionFile } from "./connection.js";
import { watchParent } from "./parentWatch.js";
import { KernelServer } from "./server.js";

export const KERNEL_USAGE = `usage: rlvr kernel --connection-file FILE
  Runs the rlvr-lab TypeScript Jupyter kernel (Jupyter starts it through kernels/rlvr-lab/kernel.json).
  FILE is the Jupyter connection file; if it does not exist yet, free ports are bound and it is written.
  --connection-file FILE   (alias: -f, --config-path as tslab spells it)
  --no-parent-watch        keep running when the parent process dies`;

export async function runKernel(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "connection-file": { type: "string", short: "f" },
      "config-path": { type: "string" },
      "no-parent-watch": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(KERNEL_USAGE + "\n");
    return 0;
  }
  const file = values["connection-file"] ?? values["config-path"];
  if (!file) {
    process.stderr.write(`missing --connection-file\n\n${KERNEL_USAGE}\n`);
    return 2;
  }
  const writeBack = !existsSync(file);
  const info = writeBack ? freshConnection() : readConnectionFile(file);
  const server = new KernelServer(info);
  const log = (line: string) => server.originalStderrWrite(`[rlvr-kernel] ${line}\n`);

  process.on("SIGINT", () => server.interrupt());
  process.on("SIGTERM", () => void server.close());
  // A cell's stray async failure must not kill the kernel: report it into the current cell's stderr.
  process.on("uncaughtException", (err) => console.error("Uncaught exception:", err));
  process.on("unhandledRejection", (reason) => console.error("Unhandled promise rejection:", reason));
  const watch = values["no-parent-watch"]
    ? null
    : watchParent((why) => {
        log(`${why}; exiting`);
        process.exit(0);
      });

  await server.start(writeBack ? file : undefined);
  await server.closedPromise();
  watch?.stop();
  return 0;
}

#!/usr/bin/env node
/**
 * Kernel entry point used by kernels/rlvr-lab/kernel.json:
 *   node dist/kernel/main.js --connection-file FILE
 * `rlvr kernel --connection-file FILE` runs the same thing.
 */
import { pathToFileURL } from "node:url";
import { runKernel } from "./runKernel.js";

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runKernel(process.argv.slice(2)).then(
    (code) => {
      process.exit(code);
    },
    (err) => {
      process.stderr.write(`rlvr kernel: ${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}

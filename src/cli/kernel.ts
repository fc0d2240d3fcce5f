/**
 * `rlvr kernel --connection-file F`   run the rlvr-lab Jupyter kernel (what Jupyter launches)
 * `rlvr kernel install [--user] [--prefix P]`   write a kernelspec with absolute paths
 */
import { parseArgs } from "node:util";
import { KERNEL_USAGE, runKernel } from "../kernel/runKernel.js";

export const summary = "run the TypeScript Jupyter kernel, or `kernel install` its kernelspec";

const INSTALL_USAGE = `usage: rlvr kernel install [--user] [--prefix P] [--name NAME]
  Writes NAME/kernel.json (default name rlvr-lab) whose argv holds absolute paths to this node binary
  and this checkout's dist/kernel/main.js, so Jupyter, JupyterLab and VS Code find the kernel anywhere.
  --user       per-user Jupyter data dir (default; honours JUPYTER_DATA_DIR)
  --prefix P   P/share/jupyter/kernels/NAME instead (e.g. a virtualenv: --prefix "$VIRTUAL_ENV")`;

async function install(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        user: { type: "boolean", default: false },
        prefix: { type: "string" },
        name: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${INSTALL_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(INSTALL_USAGE);
    return 0;
  }
  if (values.user && values.prefix) {
    console.error(`--user and --prefix exclude each other: pick one\n\n${INSTALL_USAGE}`);
    return 2;
  }
  const { installKernelSpec, KernelSpecError } = await import("../kernel/kernelspec.js");
  let dir: string;
  try {
    dir = installKernelSpec({ prefix: values.prefix, name: values.name });
  } catch (err) {
    if (!(err instanceof KernelSpecError)) throw err;
    console.error(`rlvr kernel install: ${err.message}`);
    return 2;
  }
  console.log(`installed kernelspec in ${dir}`);
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  if (argv[0] === "install") return install(argv.slice(1));
  if (argv.length === 0) {
    console.error(`${KERNEL_USAGE}\n\nor: rlvr kernel install --help`);
    return 2;
  }
  try {
    return await runKernel(argv);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${(err as Error).message}\n\n${KERNEL_USAGE}`);
      return 2;
    }
    throw err;
  }
}

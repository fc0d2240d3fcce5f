/**
 * Kernelspecs for Jupyter. The repo ships `kernels/rlvr-lab/kernel.json` with an argv relative to
 * `{resource_dir}` (found with `JUPYTER_PATH=<repo>`). `jupyter kernelspec install` would copy that
 * folder elsewhere and break the relative path, so `rlvr kernel install` instead writes a kernelspec
 * whose argv holds ABSOLUTE paths to this node binary and this checkout's dist/kernel/main.js.
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KERNEL_ENTRY } from "./launcher.js";

export const KERNEL_NAME = "rlvr-lab";
const REPO_SPEC_DIR = fileURLToPath(new URL("../../kernels/rlvr-lab/", import.meta.url));

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "signal" | "message";
  metadata?: Record<string, unknown>;
}

/** The kernelspec with absolute paths (node = the running node binary). */
export function absoluteKernelSpec(nodePath: string = process.execPath, entry: string = KERNEL_ENTRY): KernelSpec {
  return {
    argv: [nodePath, entry, "--connection-file", "{connection_file}"],
    display_name: "rlvr-lab (TypeScript)",
    language: "typescript",
    // SIGINT stops even a synchronous busy loop (vm breakOnSigint); a message could not be read then.
    interrupt_mode: "signal",
    metadata: { debugger: false },
  };
}

/** Jupyter's per-user data dir (JUPYTER_DATA_DIR wins), as jupyter_core computes it. */
export function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return join(process.env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "jupyter");
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "jupyter");
}

export interface InstallOptions {
  /** Install under PREFIX/share/jupyter/kernels (e.g. a virtualenv); otherwise the user data dir. */
  prefix?: string;
  name?: string;
}

/** Write kernel.json (+ logo) and return the kernelspec directory. */
export function installKernelSpec(options: InstallOptions = {}): string {
  if (!existsSync(KERNEL_ENTRY)) {
    throw new Error(`${KERNEL_ENTRY} is missing: build first with "npx tsc -p tsconfig.build.json"`);
  }
  const base = options.prefix ? join(options.prefix, "share", "jupyter") : userDataDir();
  const dir = join(base, "kernels", options.name ?? KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(absoluteKernelSpec(), null, 2) + "\n");
  const logo = join(REPO_SPEC_DIR, "logo-64x64.png");
  if (existsSync(logo)) copyFileSync(logo, join(dir, "logo-64x64.png"));
  return dir;
}

/**
 * Kernelspecs for Jupyter. The repo ships `kernels/rlvr-lab/kernel.json` with an argv relative to
 * `{resource_dir}` (found with `JUPYTER_PATH=<repo>`). `jupyter kernelspec install` would copy that
 * folder elsewhere and break the relative path, so `rlvr kernel install` instead writes a kernelspec
 * whose argv holds ABSOLUTE paths to this node binary and this checkout's dist/kernel/main.js.
 */
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
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

/** A bad --name or --prefix: the message says which and how to fix it. */
export class KernelSpecError extends Error {}

/**
 * Jupyter's kernel-name rule (jupyter_client kernelspec.py `_kernel_name_pat`, `^[a-z0-9._\-]+$`, case
 * ignored), minus names that start with "." (".." would write outside the kernels folder; "." into it).
 */
export function checkKernelName(name: string): void {
  if (!/^[a-z0-9._-]+$/i.test(name) || name.startsWith("."))
    throw new KernelSpecError(`--name "${name.replace(/[^\x20-\x7e]/g, "?")}": a kernel name uses only letters, digits, ".", "_" and "-" and does not start with "." (e.g. rlvr-lab)`);
}

/**
 * Create `dir` one level at a time below its nearest existing ancestor. Node's `mkdirSync(…, {recursive})`
 * never returns for a path under /proc (it retries ENOENT forever); here every failure is an error.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let p = resolve(dir);
  while (!existsSync(p)) {
    missing.unshift(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  if (!statSync(p).isDirectory()) throw new KernelSpecError(`${p} is a file, not a folder: cannot create ${dir} under it`);
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (err) {
      throw new KernelSpecError(`cannot create ${m}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
}

/** A --prefix must be an existing, writable folder (a virtualenv or conda prefix always exists). */
export function checkPrefix(prefix: string): void {
  let isDir = false;
  try {
    isDir = statSync(prefix).isDirectory();
  } catch {
    throw new KernelSpecError(`--prefix ${prefix}: no such folder (give an existing environment prefix, e.g. --prefix "$VIRTUAL_ENV")`);
  }
  if (!isDir) throw new KernelSpecError(`--prefix ${prefix}: is a file, not a folder (give an environment prefix, e.g. --prefix "$VIRTUAL_ENV")`);
  const real = realpathSync(prefix);
  if (/^\/(proc|sys|dev)(\/|$)/.test(real)) throw new KernelSpecError(`--prefix ${prefix}: is a kernel pseudo-filesystem (${real}), not an environment prefix`);
  try {
    accessSync(real, constants.W_OK);
  } catch {
    throw new KernelSpecError(`--prefix ${prefix}: not writable by this user (check its permissions, or use --user)`);
  }
}

/** Write kernel.json (+ logo) and return the kernelspec directory. */
export function installKernelSpec(options: InstallOptions = {}): string {
  if (!existsSync(KERNEL_ENTRY)) {
    throw new Error(`${KERNEL_ENTRY} is missing: build first with "npx tsc -p tsconfig.build.json"`);
  }
  const name = options.name ?? KERNEL_NAME;
  checkKernelName(name);
  if (options.prefix !== undefined) checkPrefix(options.prefix);
  const base = options.prefix ? join(options.prefix, "share", "jupyter") : userDataDir();
  const kernels = resolve(base, "kernels");
  const dir = resolve(kernels, name);
  if (dirname(dir) !== kernels) throw new KernelSpecError(`--name "${name}" would write outside ${kernels}`);
  makeDirs(dir);
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(absoluteKernelSpec(), null, 2) + "\n");
  const logo = join(REPO_SPEC_DIR, "logo-64x64.png");
  if (existsSync(logo)) copyFileSync(logo, join(dir, "logo-64x64.png"));
  return dir;
}

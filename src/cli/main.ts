#!/usr/bin/env node
/**
 * `rlvr` — the command-line entry point. Subcommands live one per file in this folder and are loaded
 * lazily, so `rlvr verify` does not pay for tfjs or DuckDB. Each module exports
 * `run(argv: string[]): Promise<number>` (the exit code) and `summary` (one line for `rlvr --help`).
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface Subcommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** name → module path (relative to this file) */
const COMMANDS: Record<string, string> = {
  start: "./start.js",
  verify: "./verify.js",
  passk: "./passk.js",
  sweep: "./sweep.js",
  serve: "./serve.js",
  export: "./export.js",
  import: "./import.js",
  template: "./template.js",
  train: "./train.js",
  traces: "./traces.js",
  notebook: "./notebook.js",
  kernel: "./kernel.js",
};

async function load(name: string): Promise<Subcommand | null> {
  const path = COMMANDS[name];
  if (!path) return null;
  try {
    return (await import(path)) as Subcommand;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes(path.slice(2))) return null;
    throw err;
  }
}

async function help(): Promise<string> {
  const lines = ["usage: rlvr <command> [options]   (rlvr <command> --help for its options)", "", "commands:"];
  for (const name of Object.keys(COMMANDS)) {
    const mod = await load(name);
    if (mod) lines.push(`  ${name.padEnd(10)} ${mod.summary}`);
  }
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(await help());
    return name ? 0 : 2;
  }
  const mod = await load(name);
  if (!mod) {
    console.error(`rlvr: unknown command "${name}"\n\n${await help()}`);
    return 2;
  }
  return mod.run(rest);
}

/**
 * True when this file is the program node was started with, however it was reached: directly
 * (`node dist/cli/main.js`), through the `node_modules/.bin/rlvr` symlink (`npx rlvr`), or through a global
 * `npm link` / `npm install -g` symlink. Comparing real paths is what makes the symlinked forms work.
 */
export function isMainModule(moduleUrl: string, argv1: string | undefined): boolean {
  if (!argv1) return false;
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  return real(fileURLToPath(moduleUrl)) === real(argv1);
}

if (isMainModule(import.meta.url, process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(`rlvr: ${err instanceof Error ? err.message : String(err)}`);
      if (process.env.RLVR_DEBUG) console.error(err);
      process.exitCode = 1;
    },
  );
}

/**
 * `rlvr notebook run NB.ipynb [--param k=v ...] [--out executed.ipynb] [--timeout S]`
 * Executes a notebook headless with the rlvr-lab kernel (cwd = the notebook's folder), papermill-style
 * parameters injected after the cell tagged `parameters`. Exits 1 on the first failing cell, after
 * writing the partially executed notebook.
 */
import { basename, dirname, join, resolve } from "node:path";
import { z } from "zod";
import { parseFlags, UsageError, withUsage } from "./args.js";

export const summary = "execute a notebook headless with the rlvr-lab kernel (`notebook run NB.ipynb`)";

const USAGE = `usage: rlvr notebook run NB.ipynb [--param k=v ...] [--out executed.ipynb] [--timeout S]
  --param k=v    inject \`let k = v;\` after the cell tagged "parameters" (repeatable; numbers, true/false,
                 null and JSON are typed, anything else is a string)
  --out FILE     where to write the executed notebook (default: NB.executed.ipynb beside NB)
  --timeout S    per-cell timeout in seconds; a cell that runs longer is interrupted and fails the run
  --quiet        no per-cell progress on stderr`;

const Flags = z.object({
  param: z.array(z.string()).default([]),
  out: z.string().min(1).optional(),
  timeout: z.coerce.number().positive({ message: "must be a number of seconds > 0" }).optional(),
  quiet: z.boolean().default(false),
  help: z.boolean().default(false),
});

export async function run(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const [sub, ...rest] = argv;
    if (sub === "--help" || sub === "-h") {
      console.log(USAGE);
      return 0;
    }
    if (sub !== "run") throw new UsageError(sub ? `unknown notebook command "${sub}"\n\n${USAGE}` : USAGE);
    const { flags, positionals } = parseFlags(
      rest,
      {
        param: { type: "string", multiple: true },
        out: { type: "string" },
        timeout: { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      Flags,
      USAGE,
      { max: 1, what: "notebook path" },
    );
    if (flags.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`give exactly one notebook path\n\n${USAGE}`);
    const path = positionals[0]!;
    const { parseParams, checkParameters } = await import("../kernel/parameters.js");
    let params;
    try {
      params = parseParams(flags.param);
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n\n${USAGE}`);
    }
    const { readNotebook, runNotebook, writeNotebook } = await import("../kernel/notebookRunner.js");
    const { InputFileError } = await import("../schemas/files.js");
    const out = flags.out ?? join(dirname(path), basename(path, ".ipynb") + ".executed.ipynb");
    let nb;
    try {
      nb = readNotebook(path);
      checkParameters(nb, params, path);
    } catch (err) {
      throw new UsageError(err instanceof InputFileError ? err.message : `${(err as Error).message}`);
    }
    const result = await runNotebook(nb, {
      cwd: dirname(resolve(path)),
      params,
      cellTimeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
      onCell: flags.quiet ? undefined : (i, n) => process.stderr.write(`\r[${i + 1}/${n}] ${path}`),
    });
    if (!flags.quiet) process.stderr.write("\n");
    writeNotebook(out, result.notebook);
    if (!result.ok) {
      const f = result.failure!;
      console.error(`${path}: cell ${f.cellIndex} failed: ${f.ename}: ${f.evalue}\npartial notebook written to ${out}`);
      return 1;
    }
    console.error(`${path}: ${result.executedCells} code cells ok in ${(result.ms / 1000).toFixed(1)} s → ${out}`);
    return 0;
  });
}

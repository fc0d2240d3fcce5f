/**
 * Flag parsing shared by the subcommands: node's `util.parseArgs` for the syntax, a zod schema for the
 * meaning. A bad flag gets a message that names it and says how to fix it.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import { escapeControl } from "../schemas/text.js";

export class UsageError extends Error {}

/** A flag value that must be a positive integer (`--workers 4`); `what` names the flag in the message. */
export const positiveInt = (what: string) =>
  z
    .string()
    .regex(/^\d+$/, `${what} must be a positive integer`)
    .transform(Number)
    .refine((v) => v >= 1, `${what} must be at least 1`);

/**
 * Positional arguments a command accepts (default: none). A stray word (`rlvr start quick`) is an error
 * that suggests the flag it looks like, never silently ignored.
 */
export interface PositionalSpec {
  max: number;
  /** What they are, for the message: "notebook path", "trace path". */
  what?: string;
  /** How to pass what a stray word probably meant, e.g. "give the file with --in FILE". */
  hint?: string;
}

export function parseFlags<S extends z.ZodType>(
  argv: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  schema: S,
  usage: string,
  positional: PositionalSpec = { max: 0 },
): { flags: z.output<S>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${usage}`);
  }
  if (parsed.positionals.length > positional.max) {
    const extra = parsed.positionals[positional.max]!;
    const flag = extra.replace(/^-*/, "").split("=")[0]!;
    const hint =
      flag in options
        ? `; did you mean --${flag}${options[flag]!.type === "string" ? " VALUE" : ""}?`
        : positional.hint
          ? `; ${positional.hint}`
          : positional.max === 0
            ? "; this command takes only --flags"
          : `; it takes at most ${positional.max} ${positional.what ?? "argument"}${positional.max === 1 ? "" : "s"}`;
    throw new UsageError(`unexpected argument "${escapeControl(extra)}"${hint}\n\n${usage}`);
  }
  const r = schema.safeParse(parsed.values);
  if (!r.success) {
    const msgs = r.error.issues.map((i) => `  --${i.path.join(".") || "?"}: ${i.message}`);
    throw new UsageError(`invalid options:\n${msgs.join("\n")}\n\n${usage}`);
  }
  return { flags: r.data, positionals: parsed.positionals };
}

/** `--help` or `-h` anywhere in argv: print the command's usage (to stdout) and say so; the command then exits 0. */
export function printedHelp(argv: readonly string[], usage: string): boolean {
  if (!argv.includes("--help") && !argv.includes("-h")) return false;
  console.log(usage);
  return true;
}

/** Wrap a subcommand body: usage errors print and exit 2, other errors propagate. */
export async function withUsage(fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
}

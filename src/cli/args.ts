/**
 * Flag parsing shared by the subcommands: node's `util.parseArgs` for the syntax, a zod schema for the
 * meaning. A bad flag gets a message that names it and says how to fix it.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { z } from "zod";

export class UsageError extends Error {}

export function parseFlags<S extends z.ZodType>(
  argv: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  schema: S,
  usage: string,
): { flags: z.output<S>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${usage}`);
  }
  const r = schema.safeParse(parsed.values);
  if (!r.success) {
    const msgs = r.error.issues.map((i) => `  --${i.path.join(".") || "?"}: ${i.message}`);
    throw new UsageError(`invalid options:\n${msgs.join("\n")}\n\n${usage}`);
  }
  return { flags: r.data, positionals: parsed.positionals };
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

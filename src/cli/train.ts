/**
 * `rlvr train --config file.json`: the GRPO experiment with every TrainConfig knob from a JSON file
 * (zod-validated; an error names the field and how to fix it). `--print-config` prints the defaults as a
 * starting file.
 */
import { z } from "zod";
import { parseFlags, UsageError, withUsage } from "./args.js";
import { readConfigFile, runAndPrint } from "./start.js";

export const summary = "GRPO on the tiny policy with every knob from a JSON config (--print-config for defaults)";

const USAGE = `usage: rlvr train --config file.json [--out DIR] [--force] [--checkpoint DIR] [--no-report] [--json]
       rlvr train --print-config > my.json     (every knob with its default)

  --out DIR   run folder (default runs/<timestamp>); it must be new or empty
  --force     delete the previous run in --out DIR first

  The config is a JSON object of TrainConfig fields (src/grpo/config.ts, docs/grpo.md); unknown fields are errors.`;

const Flags = z.object({
  config: z.string().optional(),
  out: z.string().optional(),
  checkpoint: z.string().optional(),
  "print-config": z.boolean().default(false),
  "no-report": z.boolean().default(false),
  force: z.boolean().default(false),
  json: z.boolean().default(false),
  help: z.boolean().default(false),
});

const OPTIONS = {
  config: { type: "string" },
  out: { type: "string" },
  checkpoint: { type: "string" },
  "print-config": { type: "boolean" },
  "no-report": { type: "boolean" },
  force: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export async function run(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const { flags } = parseFlags(argv, OPTIONS, Flags, USAGE);
    if (flags.help) {
      console.log(USAGE);
      return 0;
    }
    if (flags["print-config"]) {
      const { parseTrainConfig } = await import("../grpo/config.js");
      console.log(JSON.stringify(parseTrainConfig({}), null, 2));
      return 0;
    }
    if (!flags.config)
      throw new UsageError(`rlvr train needs --config file.json (rlvr train --print-config > my.json writes one with every knob); the main job with its defaults is rlvr start\n\n${USAGE}`);
    const input = readConfigFile(flags.config);
    return runAndPrint(input, { out: flags.out, checkpoint: flags.checkpoint, report: !flags["no-report"], json: flags.json, force: flags.force });
  });
}

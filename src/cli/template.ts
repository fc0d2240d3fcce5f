/**
 * `rlvr template check MODEL_DIR` — load a model folder's tokenizer.json + tokenizer_config.json and report the
 * chat-template / special-token mistakes of src/hf/templateCheck.ts (pad == eos, pad colliding with a real
 * token, chat template on a base model, missing generation prompt, stop strings vs the end-of-turn token,
 * doubled BOS). `rlvr template render MODEL_DIR --messages FILE.json` prints what apply_chat_template gives.
 * Exit codes: 0 no error-level finding; 1 at least one; 2 bad arguments or an unreadable folder.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseFlags, withUsage, UsageError, printedHelp } from "./args.js";
import { escapeControl } from "../schemas/text.js";

export const summary = "check a model folder's chat template and special tokens (pad/eos/bos, generation prompt, stop), or render a chat";

const USAGE = `usage: rlvr template check MODEL_DIR [--stop S …] [--model-kind base|instruct] [--json]
       rlvr template render MODEL_DIR --messages FILE.json [--no-generation-prompt] [--kwargs JSON]
  MODEL_DIR     a folder with tokenizer.json and tokenizer_config.json (generation_config.json, config.json optional)
  --stop        stop strings your client sends (checked against the template's end-of-turn token)
  --model-kind  override the base/instruct guess made from the folder or _name_or_path
  --messages    a JSON list of {role, content}
  --kwargs      template variables, e.g. '{"enable_thinking": false}'`;

const Flags = z.object({
  stop: z.array(z.string()).optional(),
  "model-kind": z.enum(["base", "instruct"]).optional(),
  json: z.boolean().default(false),
  messages: z.string().optional(),
  "no-generation-prompt": z.boolean().default(false),
  kwargs: z.string().optional(),
});

export function run(argv: string[]): Promise<number> {
  return withUsage(async () => {
    if (printedHelp(argv, USAGE)) return 0;
    const { flags, positionals } = parseFlags(
      argv,
      { stop: { type: "string", multiple: true }, "model-kind": { type: "string" }, json: { type: "boolean" }, messages: { type: "string" }, "no-generation-prompt": { type: "boolean" }, kwargs: { type: "string" } },
      Flags, USAGE, { max: 2, what: "argument" });
    const [verb, dir, ...rest] = positionals;
    if (verb !== "check" && verb !== "render") throw new UsageError(`give a verb: check or render\n\n${USAGE}`);
    if (!dir || rest.length) throw new UsageError(`give exactly one MODEL_DIR\n\n${USAGE}`);
    const { loadModelTokenizer } = await import("../hf/modelTokenizer.js");
    let tok;
    try {
      tok = loadModelTokenizer(dir);
    } catch (err) {
      throw new UsageError(`rlvr template: ${(err as Error).message}`);
    }
    if (verb === "render") {
      if (!flags.messages) throw new UsageError(`render needs --messages FILE.json\n\n${USAGE}`);
      let messages: { role: string; content: string }[];
      let kwargs: Record<string, unknown> | undefined;
      try {
        messages = z.array(z.object({ role: z.string(), content: z.string() })).parse(JSON.parse(readFileSync(flags.messages, "utf8")));
        kwargs = flags.kwargs ? z.record(z.string(), z.unknown()).parse(JSON.parse(flags.kwargs)) : undefined;
      } catch (err) {
        throw new UsageError(`--messages/--kwargs: ${(err as Error).message.slice(0, 300)}`);
      }
      process.stdout.write(tok.render(messages, { addGenerationPrompt: !flags["no-generation-prompt"], kwargs }));
      return 0;
    }
    const { checkTemplate } = await import("../hf/templateCheck.js");
    const findings = checkTemplate(tok, { stop: flags.stop, modelKind: flags["model-kind"] });
    if (flags.json) console.log(JSON.stringify({ dir: tok.dir, name: tok.name, findings }, null, 2));
    else {
      console.log(escapeControl(`${tok.name}: bos ${JSON.stringify(tok.bosToken)}, eos ${JSON.stringify(tok.eosToken)} (stop ids ${JSON.stringify(tok.eosIds)}), pad ${JSON.stringify(tok.padToken)}, chat template ${tok.chatTemplate ? "yes" : "no"}`));
      for (const f of findings) console.log(`  ${f.severity.padEnd(7)} ${f.id}: ${escapeControl(f.message)}`);
      if (findings.length === 0) console.log("  no findings");
    }
    return findings.some((f) => f.severity === "error") ? 1 : 0;
  });
}

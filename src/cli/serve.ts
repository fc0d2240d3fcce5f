/**
 * `rlvr serve` — the project's OpenAI-compatible server (src/rollout/server.ts) serving the tiny tfjs policy
 * (`--checkpoint DIR`, default the shipped base in data/checkpoints/base) with real per-token logprobs, or
 * the deterministic synthetic model (`--synthetic`, with `--accuracy` and `--answers`). Fault injection
 * works with both:
 *
 *   rlvr serve [--checkpoint DIR | --synthetic] [--port P] [--model ID …]
 *              [--faults 500=0.05,429=0.05,reset=0.02,slow=0.05,malformed=0.02,length=0.05] [--fault-script 500,reset,ok]
 *
 * It prints `listening on URL` (the real port when --port 0) and serves until SIGINT/SIGTERM.
 * Exit codes: 0 after a signal; 2 bad flags or an unusable --answers / --checkpoint / --port.
 */
import { basename, resolve } from "node:path";
import { z } from "zod";
import { parseFlags, withUsage, UsageError, printedHelp } from "./args.js";
import { formatJsonlError } from "../schemas/jsonl.js";
import { parseFaultSpec, type FaultOptions } from "../rollout/faults.js";
import { normalizeQuestion } from "../rollout/generator.js";
import { loadProblems } from "../rollout/problems.js";
import { startOpenAIServer } from "../rollout/server.js";
import type { TokenModel } from "../rollout/tokenModel.js";

export const summary = "serve the tiny policy (or a synthetic model) as an OpenAI-compatible server, with fault injection";

const USAGE = `usage: rlvr serve [--checkpoint DIR | --synthetic] [--port P] [--model ID …]
                   [--faults KIND=P,…] [--fault-script KIND,…] [--slow-ms MS] [--fault-seed S] [--latency-ms MS]
                   [--accuracy M] [--answers problems.jsonl]            (with --synthetic)
  --checkpoint    policy checkpoint folder to sample from (default: the shipped base, data/checkpoints/base)
  --synthetic     serve the deterministic synthetic model instead (chain of thought ending in #### N)
  --port          port on 127.0.0.1, 0…65535 (0 = any free port; the chosen one is printed)
  --model         model id(s) to list and accept (default: the checkpoint's id, any id is accepted)
  --faults        per-request fault probabilities; kinds: 500, 429, 503, reset, malformed, slow, length
  --fault-script  a fixed sequence of faults for the first requests (then none), e.g. 500,reset,ok,429
  --slow-ms       delay of a "slow" fault
  --latency-ms    extra delay added to every generation response
  --accuracy      synthetic: mean per-prompt probability of a correct answer
  --answers       synthetic: problems file whose gold answers the model may use`;

const int = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^-?\d+$/, `${what} must be an integer`)
    .transform(Number)
    .refine((v) => v >= min && v <= max, `${what} must be between ${min} and ${max}`);

const Flags = z.object({
  checkpoint: z.string().min(1).optional(),
  synthetic: z.boolean().default(false),
  port: int("port", 0, 65535).default(8000),
  faults: z.string().optional(),
  "fault-script": z.string().optional(),
  "slow-ms": int("slow-ms", 0).optional(),
  "fault-seed": int("fault-seed", -(2 ** 31)).optional(),
  accuracy: z.string().transform(Number).refine((v) => v >= 0 && v <= 1, "accuracy is a probability in [0, 1]").optional(),
  answers: z.string().optional(),
  "latency-ms": int("latency-ms", 0).optional(),
  model: z.array(z.string()).optional(),
});

/** Bad lines of --answers shown before refusing (the rest are counted). */
const MAX_REPORTED = 10;

/** Control characters of untrusted text as visible escapes. */
const visible = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

async function loadAnswers(path: string): Promise<Map<string, string>> {
  const { problems, errors } = await loadProblems(path).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`--answers ${path}: cannot read it (${err.code ?? err.message}); give a problems JSONL file`);
  });
  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_REPORTED).map((e) => visible(formatJsonlError(e)).slice(0, 300));
    const more = errors.length > MAX_REPORTED ? [`… and ${errors.length - MAX_REPORTED} more bad lines`] : [];
    throw new UsageError(`--answers ${path}: ${errors.length} bad line(s) (${problems.length} good); not serving with a partial answer key:\n${[...shown, ...more].join("\n")}\nfix the file (one JSON problem a line: {id, question, gold}) or drop --answers`);
  }
  if (problems.length === 0) throw new UsageError(`--answers ${path}: no problems in the file; give a problems JSONL file or drop --answers`);
  return new Map(problems.map((p) => [normalizeQuestion(p.question), p.gold]));
}

async function loadPolicy(dir: string | undefined): Promise<TokenModel> {
  const [{ initBackend }, { GPT }, { baseCheckpointDir }, { policyTokenModel }] = await Promise.all([
    import("../policy/backend.js"),
    import("../policy/gpt.js"),
    import("../policy/base.js"),
    import("./policyModel.js"),
  ]);
  const path = resolve(dir ?? baseCheckpointDir());
  await initBackend();
  let model;
  try {
    model = await GPT.load(path);
  } catch (err) {
    throw new UsageError(`--checkpoint ${path}: ${(err as Error).message.replace(/^GPT\.load: /, "")} (give a folder written by rlvr train or rlvr import; --synthetic serves the synthetic model)`);
  }
  return policyTokenModel(model, `rlvr-tiny-${basename(path)}`);
}

export function run(argv: string[]): Promise<number> {
  return withUsage(async () => {
    if (printedHelp(argv, USAGE)) return 0;
    const { flags, positionals } = parseFlags(
      argv,
      {
        checkpoint: { type: "string" },
        synthetic: { type: "boolean" },
        port: { type: "string" },
        faults: { type: "string" },
        "fault-script": { type: "string" },
        "slow-ms": { type: "string" },
        "fault-seed": { type: "string" },
        accuracy: { type: "string" },
        answers: { type: "string" },
        "latency-ms": { type: "string" },
        model: { type: "string", multiple: true },
      },
      Flags,
      USAGE,
    );
    if (positionals.length) throw new UsageError(`unexpected argument "${visible(positionals[0])}"\n\n${USAGE}`);
    if (flags.synthetic && flags.checkpoint) throw new UsageError("--synthetic and --checkpoint exclude each other: choose one");
    if (!flags.synthetic && (flags.answers || flags.accuracy !== undefined)) throw new UsageError(`${flags.answers ? "--answers" : "--accuracy"} applies to the synthetic model: add --synthetic`);
    let faults: FaultOptions = {};
    try {
      if (flags.faults) faults = { ...faults, ...parseFaultSpec(flags.faults) };
      if (flags["fault-script"]) faults = { ...faults, script: parseFaultSpec(flags["fault-script"]).script };
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n\n${USAGE}`);
    }
    if (flags["slow-ms"] !== undefined) faults.slowMs = flags["slow-ms"];
    if (flags["fault-seed"] !== undefined) faults.seed = flags["fault-seed"];
    const answers = flags.answers ? await loadAnswers(flags.answers) : undefined;
    const tokenModel = flags.synthetic ? undefined : await loadPolicy(flags.checkpoint);
    let server;
    try {
      server = await startOpenAIServer({ port: flags.port, faults, models: flags.model, latencyMs: flags["latency-ms"], synthetic: { accuracy: flags.accuracy, answers }, tokenModel, onWarning: (m) => console.error(`warning: ${m}`) });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === "EADDRINUSE") throw new UsageError(`--port ${flags.port}: the port is in use; choose another or --port 0 for any free one`);
      if (e.code === "EACCES") throw new UsageError(`--port ${flags.port}: not allowed to listen there (ports below 1024 need privileges); choose another or --port 0`);
      throw err;
    }
    console.log(`listening on ${server.url}${tokenModel ? ` (model ${tokenModel.id}, context ${tokenModel.contextLength} tokens)` : " (synthetic model)"}`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await server.close();
    const noBos = server.stats.promptsWithoutBos ? `; ${server.stats.promptsWithoutBos} token-id prompts without BOS` : "";
    const peak = tokenModel ? `; at most ${server.stats.maxGenerating} generating at once` : "";
    console.error(`served ${server.stats.requests} generation requests (faults: ${JSON.stringify(server.stats.faults)}${noBos}${peak})`);
    return 0;
  });
}

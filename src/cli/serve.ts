/**
 * `rlvr serve` — run the project's own OpenAI-compatible server (src/rollout/server.ts) with its
 * deterministic synthetic generator, optionally injecting faults:
 *
 *   rlvr serve [--port P] [--faults 500=0.05,429=0.05,reset=0.02,slow=0.05,malformed=0.02,length=0.05]
 *              [--fault-script 500,reset,ok] [--slow-ms MS] [--accuracy 0.6] [--answers problems.jsonl]
 *
 * It prints `listening on URL` and serves until SIGINT/SIGTERM.
 */
import { z } from "zod";
import { parseFlags, withUsage, UsageError } from "./args.js";
import { formatJsonlError } from "../schemas/jsonl.js";
import { parseFaultSpec, type FaultOptions } from "../rollout/faults.js";
import { normalizeQuestion } from "../rollout/generator.js";
import { loadProblems } from "../rollout/problems.js";
import { startOpenAIServer } from "../rollout/server.js";

export const summary = "run the local OpenAI-compatible server (synthetic model, fault injection)";

const USAGE = `usage: rlvr serve [--port P] [--faults KIND=P,…] [--fault-script KIND,…] [--slow-ms MS] [--fault-seed S]
                   [--accuracy M] [--answers problems.jsonl] [--latency-ms MS] [--model ID …]
  --port          port on 127.0.0.1 (0 = any free port)
  --faults        per-request fault probabilities; kinds: 500, 429, 503, reset, malformed, slow, length
  --fault-script  a fixed sequence of faults for the first requests (then none), e.g. 500,reset,ok,429
  --slow-ms       delay of a "slow" fault
  --accuracy      mean per-prompt probability that the synthetic model answers correctly
  --answers       problems file whose gold answers the model may use (questions it cannot compute itself)
  --latency-ms    extra delay added to every generation response
  --model         model id(s) to list and accept (default: any id is accepted)`;

const int = (what: string, min: number) =>
  z.string().regex(/^-?\d+$/, `${what} must be an integer`).transform(Number).refine((v) => v >= min, `${what} must be at least ${min}`);

const Flags = z.object({
  port: int("port", 0).default(8000),
  faults: z.string().optional(),
  "fault-script": z.string().optional(),
  "slow-ms": int("slow-ms", 0).optional(),
  "fault-seed": int("fault-seed", -(2 ** 31)).optional(),
  accuracy: z.string().transform(Number).refine((v) => v >= 0 && v <= 1, "accuracy is a probability in [0, 1]").optional(),
  answers: z.string().optional(),
  "latency-ms": int("latency-ms", 0).optional(),
  model: z.array(z.string()).optional(),
});

export function run(argv: string[]): Promise<number> {
  return withUsage(async () => {
    if (argv.includes("--help") || argv.includes("-h")) {
      console.log(USAGE);
      return 0;
    }
    const { flags } = parseFlags(
      argv,
      {
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
    let faults: FaultOptions = {};
    try {
      if (flags.faults) faults = { ...faults, ...parseFaultSpec(flags.faults) };
      if (flags["fault-script"]) faults = { ...faults, script: parseFaultSpec(flags["fault-script"]).script };
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n\n${USAGE}`);
    }
    if (flags["slow-ms"] !== undefined) faults.slowMs = flags["slow-ms"];
    if (flags["fault-seed"] !== undefined) faults.seed = flags["fault-seed"];
    let answers: Map<string, string> | undefined;
    if (flags.answers) {
      const { problems, errors } = await loadProblems(flags.answers);
      for (const e of errors) console.error(formatJsonlError(e));
      answers = new Map(problems.map((p) => [normalizeQuestion(p.question), p.gold]));
    }
    const server = await startOpenAIServer({
      port: flags.port,
      faults,
      models: flags.model,
      latencyMs: flags["latency-ms"],
      synthetic: { accuracy: flags.accuracy, answers },
    });
    console.log(`listening on ${server.url}`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await server.close();
    console.error(`served ${server.stats.requests} generation requests (faults: ${JSON.stringify(server.stats.faults)})`);
    return 0;
  });
}

/**
 * `rlvr verify --task code` — run each record's program against its tests in the sandbox; one Verdict a
 * line, in input order, with the record's `id` (and `problem_id`/`task_id` as `problem_id`, for
 * `rlvr passk`) echoed.
 *
 *   rlvr verify --task code [--in F] [--out F] [--workers N] [--timeout-ms N] [--memory-mb N]
 *               [--partial-credit] [--python PATH] [--node PATH] [--progress]
 *
 * Input records: HumanEval style `{id, completion, test, entry_point, prompt?, language?}` or MBPP style
 * `{id, completion, test_list, test_setup_code?, language?}` (src/verifiers/code/records.ts). Bad lines
 * are reported as `file:line: field "x": …`, the rest are verified, exit 1 at the end.
 */
import { createWriteStream, accessSync, constants as fsConstants } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { z } from "zod";
import { parseFlags, withUsage, UsageError, positiveInt, printedHelp } from "./args.js";
import { readJsonl, formatJsonlError, type JsonlError } from "../schemas/jsonl.js";
import type { Verdict } from "../schemas/verdict.js";
import { orderedMap } from "../verifiers/orderedMap.js";
import { PoolOptions } from "../verifiers/pool.js";
import { CodeRecord } from "../verifiers/code/records.js";
import { verifyCode, withIds, type CodeOptions } from "../verifiers/code/verify.js";
import { probeSandbox } from "../verifiers/code/sandbox.js";

const USAGE = `usage: rlvr verify --task code [--in F] [--out F] [--workers N] [--timeout-ms N] [--memory-mb N]
                   [--partial-credit] [--python PATH] [--node PATH] [--progress]
  --in              JSONL of {id, completion, test, entry_point, prompt?, language?} (HumanEval style) or
                    {id, completion, test_list, test_setup_code?, language?} (MBPP style); "-"/absent: stdin
  --out             where to write verdict JSONL; absent: stdout
  --workers         programs run at once (default: the worker-pool default, min(2, CPUs))
  --timeout-ms      wall-clock limit of one program with its tests; past it the verdict is "timeout"
  --memory-mb       address-space limit of each sandboxed process
  --partial-credit  score = fraction of tests passed (default: 1 only when every test passes)
  --python, --node  interpreters (must resolve under /usr, the host tree the sandbox exposes)
  --progress        progress on stderr even when stderr is not a terminal
The sandbox needs Linux, root and unshare; docs/verifiers-code.md says what it enforces.
exit: 0 all lines good, 1 some input line was bad (reported on stderr, the rest verified), 2 usage error`;


const Flags = z.object({
  task: z.literal("code"),
  in: z.string().optional(),
  out: z.string().optional(),
  workers: positiveInt("workers").refine((v) => v <= 64, "at most 64 workers").optional(),
  "timeout-ms": positiveInt("timeout-ms").refine((v) => v <= 600_000, "at most 600000 ms").optional(),
  "memory-mb": positiveInt("memory-mb").refine((v) => v >= 64 && v <= 65_536, "between 64 and 65536").optional(),
  "partial-credit": z.boolean().default(false),
  python: z.string().optional(),
  node: z.string().optional(),
  progress: z.boolean().default(false),
});

const FLAG_SPEC = {
  task: { type: "string" },
  in: { type: "string" },
  out: { type: "string" },
  workers: { type: "string" },
  "timeout-ms": { type: "string" },
  "memory-mb": { type: "string" },
  "partial-credit": { type: "boolean" },
  python: { type: "string" },
  node: { type: "string" },
  progress: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;


type Outcome = { error: JsonlError } | { verdict: Verdict };

export async function run(argv: string[]): Promise<number> {
  return withUsage(async () => {
    if (printedHelp(argv, USAGE)) return 0;
    const { flags, positionals } = parseFlags(argv, FLAG_SPEC, Flags, USAGE);
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (use --in FILE)\n\n${USAGE}`);
    if (flags.in !== undefined && flags.in !== "-") {
      try {
        accessSync(flags.in, fsConstants.R_OK);
      } catch (err) {
        throw new UsageError(`cannot read --in ${flags.in}: ${(err as Error).message} (check the path, or pipe the file to stdin)`);
      }
    }
    const probe = probeSandbox();
    if (!probe.ok) console.error(`rlvr verify: the code sandbox is unavailable here (${probe.reason}); every verdict will be "error"`);
    const workers = flags.workers ?? PoolOptions.parse({}).size;
    const options: CodeOptions = {
      concurrency: workers,
      partialCredit: flags["partial-credit"],
      limits: {
        ...(flags["timeout-ms"] !== undefined ? { timeoutMs: flags["timeout-ms"] } : {}),
        ...(flags["memory-mb"] !== undefined ? { memoryMb: flags["memory-mb"] } : {}),
      },
      ...(flags.python ? { python: flags.python } : {}),
      ...(flags.node ? { node: flags.node } : {}),
    };
    const source: string | Readable = flags.in === undefined || flags.in === "-" ? process.stdin : flags.in;
    const name = typeof source === "string" ? source : "<stdin>";
    return verifyStream(source, name, options, workers, flags.out, flags.progress || process.stderr.isTTY === true);
  });
}

async function verifyStream(source: string | Readable, name: string, options: CodeOptions, workers: number, outPath: string | undefined, progress: boolean): Promise<number> {
  const out: Writable = outPath ? createWriteStream(outPath) : process.stdout;
  let outError: Error | null = null;
  out.on("error", (err) => (outError = err));
  const counts: Record<string, number> = { correct: 0, wrong: 0, unparseable: 0, timeout: 0, error: 0 };
  let records = 0;
  let badLines = 0;
  const t0 = performance.now();
  const results = orderedMap(
    readJsonl(source, CodeRecord, { name }),
    (item): Outcome | Promise<Outcome> => {
      if (item.error) return { error: item.error };
      const r = item.value;
      return verifyCode(r, options).then((v) => ({ verdict: withIds(r, v) }));
    },
    workers * 4,
  );
  for await (const res of results) {
    if (outError) break;
    if ("error" in res) {
      badLines++;
      if (badLines <= 50) console.error(`rlvr verify: ${formatJsonlError(res.error)}`);
      else if (badLines === 51) console.error("rlvr verify: more bad lines; counting only");
      continue;
    }
    records++;
    counts[res.verdict.status]++;
    if (!out.write(JSON.stringify(res.verdict) + "\n")) await new Promise<void>((resolve) => out.once("drain", resolve));
    if (progress && records % 16 === 0) {
      const rate = records / ((performance.now() - t0) / 1000);
      process.stderr.write(`\rrlvr verify: ${records} programs, ${rate.toFixed(1)}/s `);
    }
  }
  if (out !== process.stdout) await new Promise<void>((resolve) => out.end(resolve));
  if (outError) {
    console.error(`rlvr verify: cannot write ${outPath ?? "stdout"}: ${(outError as Error).message}`);
    return 1;
  }
  if (progress) process.stderr.write("\n");
  const secs = (performance.now() - t0) / 1000;
  console.error(`rlvr verify: ${records} programs in ${secs.toFixed(2)} s — ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  if (badLines > 0) {
    console.error(`rlvr verify: ${badLines} bad input line(s) in ${name} were skipped (see above); exit code 1`);
    return 1;
  }
  return 0;
}

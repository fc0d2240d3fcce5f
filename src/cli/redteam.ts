/**
 * `rlvr verify --red-team`: run the built-in reward-hacking catalogue against a task, mode and verifier
 * options, print the per-family table (or `--json`), and exit 1 when any hack got reward or any applicable
 * honest control was refused (0 otherwise; 2 for a usage error). `--list` prints the catalogue itself as
 * JSONL ({id, gold, completion, …}; code and ifeval lines carry their task's input record fields), which
 * `rlvr verify --in` (`--task code|ifeval --in`) and other checkers read as they are.
 * Called by src/cli/verify.ts; see docs/red-team.md.
 */
import { redTeam, type RedTeamReport } from "../verifiers/redteam/run.js";
import { redTeamCatalogue } from "../verifiers/redteam/catalogue.js";
import { formatRedTeamReport, terminalSafe } from "../verifiers/redteam/report.js";
import { probeSandbox } from "../verifiers/code/sandbox.js";
import type { RedTeamTask } from "../verifiers/redteam/entry.js";
import { WorkerPool } from "../verifiers/pool.js";
import { UsageError } from "./args.js";

export interface RedTeamFlags {
  task: RedTeamTask;
  mode?: string;
  relTol?: number;
  timeoutMs?: number;
  workers?: number;
  families?: string[];
  json: boolean;
  list: boolean;
}

/** JSON with every character a terminal would act on or hide written as a \u escape (still valid JSON). */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\u2028\u2029\ufff9-\ufffb]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export async function runRedTeam(flags: RedTeamFlags, usage: string): Promise<number> {
  if (flags.list) {
    let out = "";
    for (const e of redTeamCatalogue(flags.task)) {
      if (flags.families?.length && !flags.families.includes(e.family)) continue;
      // code and ifeval: the input record flattened into the line, so `rlvr verify --task T --in` reads it.
      const { record, ...rest } = e;
      out += terminalJson(record ? { ...rest, ...record } : e) + "\n";
    }
    process.stdout.write(out);
    return 0;
  }
  if (flags.task === "code") {
    const probe = probeSandbox();
    if (!probe.ok) console.error(`rlvr verify --red-team: the code sandbox is unavailable (${terminalSafe(probe.reason ?? "", 200)}): every program scores 0 with status error, so the controls fail`);
  }
  const pool = flags.task === "math" ? new WorkerPool({ size: flags.workers, preload: ["verifyMath"] }) : undefined;
  const concurrency = flags.task === "code" ? flags.workers : undefined;
  let report: RedTeamReport;
  try {
    report = await redTeam(flags.task, { mode: flags.mode, relTol: flags.relTol, timeoutMs: flags.timeoutMs, pool, concurrency, families: flags.families });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${usage}`);
  } finally {
    await pool?.close();
  }
  if (flags.json) process.stdout.write(terminalJson(report) + "\n");
  else console.log(formatRedTeamReport(report));
  return report.pass ? 0 : 1;
}

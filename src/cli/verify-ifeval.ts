/**
 * `rlvr verify --task ifeval [--mode strict|loose]` — IFEval verdicts for a JSONL file of
 * `{id (or key), prompt, completion, instruction_id_list, kwargs}` (the published input data plus the
 * completion), one Verdict a line in input order, with `instructions: [{id, followed, evidence}]`
 * (`problem_id` / `sample_index` echoed when given, so `rlvr passk` reads the file as it is).
 *
 * A line that is not such a record is reported as `file:line: field "x": …` and skipped. A record whose
 * instruction ids or kwargs the verifier cannot check (unknown id, a missing threshold, an unknown
 * relation) still gets its Verdict — status "error", never "wrong" — and is reported the same way on
 * stderr, naming the field (`kwargs[1].num_words`). Either makes the exit code 1 at the end.
 * The summary on stderr: prompt-level and instruction-level accuracy with n and 95% intervals.
 * `--explain ID` prints one record's instructions as a table instead.
 */
import { createWriteStream } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { readJsonl, formatJsonlError } from "../schemas/jsonl.js";
import { IfevalRecord } from "../schemas/ifeval.js";
import type { Verdict } from "../schemas/verdict.js";
import { verifyIfeval, IFEVAL_MODES, type IfevalMode } from "../verifiers/ifeval/index.js";
import { ifevalAccuracy } from "../stats/ifevalAccuracy.js";
import { UsageError } from "./args.js";

const MAX_PRINTED_ERRORS = 50;

export interface IfevalCliOptions {
  source: string | Readable;
  name: string;
  mode?: string;
  out?: string;
  explain?: string;
}

export function parseIfevalMode(mode: string | undefined): IfevalMode {
  if (mode === undefined) return "strict";
  if (!(IFEVAL_MODES as readonly string[]).includes(mode)) throw new UsageError(`--mode "${mode}" is not an ifeval mode; use strict or loose (omitted: strict)`);
  return mode as IfevalMode;
}

const pct = (x: number) => (100 * x).toFixed(1);
const ci = (e: { estimate: number; ci95: [number, number] }) => `${pct(e.estimate)}% [${pct(e.ci95[0])}, ${pct(e.ci95[1])}]`;

export async function runIfeval(o: IfevalCliOptions): Promise<number> {
  const mode = parseIfevalMode(o.mode);
  if (o.explain !== undefined) return explain(o, mode);
  const out: Writable = o.out ? createWriteStream(o.out) : process.stdout;
  let outError: Error | null = null;
  out.on("error", (err) => (outError = err));
  const followed: boolean[][] = [];
  const counts: Record<string, number> = { correct: 0, wrong: 0, error: 0 };
  let bad = 0;
  const report = (msg: string) => {
    bad++;
    if (bad <= MAX_PRINTED_ERRORS) console.error(`rlvr verify: ${msg}`);
    else if (bad === MAX_PRINTED_ERRORS + 1) console.error("rlvr verify: more bad lines; counting only");
  };
  let buffered = "";
  for await (const item of readJsonl(o.source, IfevalRecord, { name: o.name })) {
    if (outError) break;
    if (item.error) {
      report(formatJsonlError(item.error));
      continue;
    }
    const r = item.value;
    const v: Verdict & { problem_id?: string | number; sample_index?: number } = {
      id: r.id,
      ...(r.problem_id !== undefined ? { problem_id: r.problem_id } : {}),
      ...(r.sample_index !== undefined ? { sample_index: r.sample_index } : {}),
      ...verifyIfeval(r, { mode }),
    };
    counts[v.status] = (counts[v.status] ?? 0) + 1;
    if (v.status === "error") {
      const field = v.flags?.find((f) => f.startsWith("field:"))?.slice(6) ?? "";
      const why = v.message!.startsWith(`${field}: `) ? v.message!.slice(field.length + 2) : v.message!;
      report(`${o.name}:${item.line}: field "${field}": ${why.replace(/ \(the verifier cannot check.*$/, "")} (fix the record; its verdict is status "error", scored 0, not blamed on the model)`);
    } else followed.push(v.instructions!.map((i) => i.followed));
    buffered += JSON.stringify(v) + "\n";
    if (buffered.length >= 1 << 16) {
      const chunk = buffered;
      buffered = "";
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", resolve));
    }
  }
  if (buffered) out.write(buffered);
  if (out !== process.stdout) await new Promise<void>((resolve) => out.end(resolve));
  if (outError) {
    console.error(`rlvr verify: cannot write ${o.out ?? "stdout"}: ${(outError as Error).message}`);
    return 1;
  }
  const total = counts.correct! + counts.wrong! + counts.error!;
  let line = `rlvr verify: ${total} ifeval records (${mode}) — correct ${counts.correct}, wrong ${counts.wrong}, error ${counts.error}`;
  if (followed.length) {
    const acc = ifevalAccuracy(followed);
    line +=
      `\nrlvr verify: prompt-level accuracy ${ci(acc.promptLevel)} (n=${acc.n} responses, Wilson 95% CI); ` +
      `instruction-level ${ci(acc.instructionLevel)} (n=${acc.instructions} instructions, bootstrap over responses)`;
  }
  console.error(line);
  if (bad > 0) {
    console.error(`rlvr verify: ${bad} bad line(s) or uncheckable record(s) in ${o.name} (see above); exit code 1`);
    return 1;
  }
  return 0;
}

async function explain(o: IfevalCliOptions, mode: IfevalMode): Promise<number> {
  let seen = 0;
  for await (const item of readJsonl(o.source, IfevalRecord, { name: o.name })) {
    if (item.error) continue;
    seen++;
    if (String(item.value.id) !== o.explain) continue;
    const v = verifyIfeval(item.value, { mode });
    const lines = [`${o.name}:${item.line} id ${JSON.stringify(item.value.id)} — ifeval ${mode}: ${v.status}, score ${v.score.toFixed(3)}`];
    if (v.message && v.status === "error") lines.push(`  ${v.message}`);
    for (const i of v.instructions ?? []) lines.push(`  ${i.followed ? "✓" : "✗"} ${i.id.padEnd(42)} ${visible(i.evidence)}`);
    console.log(lines.join("\n"));
    return 0;
  }
  console.error(`rlvr verify: no record with id ${JSON.stringify(o.explain)} in ${o.name} (${seen} good records read); check the id (compared as text)`);
  return 1;
}

/** Model text in evidence goes to a terminal: show control characters instead of sending them. */
function visible(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Reading a sweep's problems file. Three record shapes are accepted, one per line, mixed if need be:
 *
 * | shape      | fields                                            | mapped to                                            |
 * |------------|---------------------------------------------------|------------------------------------------------------|
 * | Problem    | `{id, question, gold, task?, metadata?}`          | as is                                                |
 * | GSM8K      | `{question, answer}` (answer = solution `#### N`) | id `gsm8k-L{line}` (or `id` if present), gold = text after the last `####`, commas removed; task gsm8k; metadata.solution |
 * | MATH-500   | `{problem, answer, unique_id?, level?, subject?, solution?}` | id = unique_id (else `math-L{line}`), question = problem, gold = answer; task math; metadata {level, subject, solution} |
 *
 * A bad line gives an error naming file:line and the field, and every other line is still used.
 */
import { Problem, readJsonl, type JsonlError } from "../schemas/index.js";
import { z } from "zod";

const Gsm8kRecord = z.object({ id: z.union([z.string(), z.number()]).optional(), question: z.string(), answer: z.string() });
const MathRecord = z.object({
  problem: z.string(),
  answer: z.union([z.string(), z.number()]).transform(String),
  unique_id: z.string().optional(),
  id: z.union([z.string(), z.number()]).optional(),
  level: z.union([z.string(), z.number()]).optional(),
  subject: z.string().optional(),
  solution: z.string().optional(),
});

/** Which shape a raw object looks like, by its distinguishing fields. */
function shapeOf(raw: unknown): "problem" | "gsm8k" | "math" {
  const o = (raw ?? {}) as Record<string, unknown>;
  if ("problem" in o) return "math";
  if ("gold" in o) return "problem";
  if ("answer" in o && "question" in o) return "gsm8k";
  return "problem";
}

/** Parse one raw record into a Problem; throws `{field, message}` on a bad field. */
export function toProblem(raw: unknown, line: number): Problem {
  const shape = shapeOf(raw);
  const fail = (e: z.ZodError): never => {
    const i = e.issues[0];
    throw Object.assign(new Error(i.message), { field: i.path.map(String).join(".") });
  };
  if (shape === "gsm8k") {
    const r = Gsm8kRecord.safeParse(raw);
    if (!r.success) return fail(r.error);
    const at = r.data.answer.lastIndexOf("####");
    if (at < 0) throw Object.assign(new Error('GSM8K answer has no "#### N" final line'), { field: "answer" });
    const gold = r.data.answer.slice(at + 4).trim().replace(/,/g, "");
    return { id: r.data.id !== undefined ? String(r.data.id) : `gsm8k-L${line}`, question: r.data.question, gold, task: "gsm8k", metadata: { solution: r.data.answer } };
  }
  if (shape === "math") {
    const r = MathRecord.safeParse(raw);
    if (!r.success) return fail(r.error);
    const d = r.data;
    const metadata: Record<string, unknown> = {};
    if (d.level !== undefined) metadata.level = String(d.level);
    if (d.subject !== undefined) metadata.subject = d.subject;
    if (d.solution !== undefined) metadata.solution = d.solution;
    return { id: d.unique_id ?? (d.id !== undefined ? String(d.id) : `math-L${line}`), question: d.problem, gold: d.answer, task: "math", metadata };
  }
  const r = Problem.safeParse(raw);
  if (!r.success) return fail(r.error);
  return r.data;
}

const AnyObject = z.record(z.string(), z.unknown());

/** Load every problem of a JSONL file; errors (file, line, field) are returned, good lines kept. Duplicate ids are errors. */
export async function loadProblems(path: string): Promise<{ problems: Problem[]; errors: JsonlError[] }> {
  const problems: Problem[] = [];
  const errors: JsonlError[] = [];
  const seen = new Map<string, number>();
  for await (const item of readJsonl(path, AnyObject)) {
    if (item.error) {
      errors.push(item.error);
      continue;
    }
    try {
      const p = toProblem(item.value, item.line);
      const prev = seen.get(p.id);
      if (prev !== undefined) {
        errors.push({ file: path, line: item.line, field: "id", message: `duplicate problem id "${p.id}" (first on line ${prev}); ids must be unique for resume to work` });
        continue;
      }
      seen.set(p.id, item.line);
      problems.push(p);
    } catch (err) {
      errors.push({ file: path, line: item.line, field: (err as { field?: string }).field ?? "", message: (err as Error).message });
    }
  }
  return { problems, errors };
}

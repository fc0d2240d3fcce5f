/** Problem: one task instance with a gold answer. Metadata (level, subject, source …) is kept for stratification. */
import { z } from "zod";

export const Problem = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  /** The question text shown to the model (before any prompt template). */
  question: z.string(),
  /** Gold final answer, as a string (`"18"`, `"\\frac{1}{2}"`). */
  gold: z.string(),
  /** Task family: decides the default verifier (`gsm8k`, `math`, `arith`, …). */
  task: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type Problem = z.infer<typeof Problem>;

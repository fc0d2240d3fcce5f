/**
 * Print the metric glossary (markdown table) from src/schemas/metrics.ts — the single definition of every
 * metric name. README's glossary section is this output verbatim; tests/docs/readme.test.ts checks it.
 * Usage: node --import tsx scripts/glossary.ts
 */
import { METRICS } from "../src/schemas/metrics.js";

export function glossaryMarkdown(): string {
  const rows = Object.entries(METRICS).map(([name, text]) => `| \`${name}\` | ${text.replace(/\|/g, "\\|")} |`);
  return ["| metric | meaning |", "|---|---|", ...rows].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(glossaryMarkdown());

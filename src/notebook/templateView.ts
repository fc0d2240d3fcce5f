/**
 * Notebook views of src/hf: `templateCheck(dir)` runs the chat-template / special-token checks of
 * `rlvr template check` (src/hf/templateCheck.ts) on a model folder and returns the findings as a value that
 * displays as a table (`.findings` holds the records, `.errors` counts error-level ones); `labelsTable` shows
 * a tokenised sequence with its SFT labels, position by position, so a masked real token is visible.
 * Token texts and messages come from user files: the table escapes them (table.ts).
 */
import { loadModelTokenizer, type ModelTokenizer } from "../hf/modelTokenizer.js";
import { checkTemplate, type CheckOptions, type Finding } from "../hf/templateCheck.js";
import { IGNORE } from "../hf/padMask.js";
import { escapeHtml } from "./html.js";
import { Rich } from "./mime.js";
import { tableHtml, tableText } from "./table.js";

export class TemplateCheckReport extends Rich {
  constructor(readonly tokenizer: ModelTokenizer, readonly findings: Finding[]) {
    const head = `${tokenizer.name}: bos ${JSON.stringify(tokenizer.bosToken)}, eos ${JSON.stringify(tokenizer.eosToken)} (stop ids ${JSON.stringify(tokenizer.eosIds)}), pad ${JSON.stringify(tokenizer.padToken)}, chat template ${tokenizer.chatTemplate ? "yes" : "no"}`;
    const rows = findings.map((f) => ({ severity: f.severity, id: f.id, message: f.message }));
    const opts = { columns: ["severity", "id", "message"], maxCellChars: 600 };
    super({
      "text/html": `<div><p>${escapeHtml(head)}</p>${rows.length ? tableHtml(rows, opts) : "<p>no findings</p>"}</div>`,
      "text/plain": `${head}\n${rows.length ? tableText(rows, opts) : "no findings"}`,
    });
  }
  /** Number of error-level findings (`rlvr template check` exits 1 when there is one). */
  get errors(): number {
    return this.findings.filter((f) => f.severity === "error").length;
  }
  /** The finding ids, in order. */
  get ids(): string[] {
    return this.findings.map((f) => f.id);
  }
}

/** Check a model folder (tokenizer.json + tokenizer_config.json, optional generation_config.json/config.json). */
export function templateCheck(dir: string, options: CheckOptions = {}): TemplateCheckReport {
  const t = loadModelTokenizer(dir);
  return new TemplateCheckReport(t, checkTemplate(t, options));
}

export interface LabelsTableOptions {
  /** First position shown (e.g. where the answer starts); default 0. */
  from?: number;
  caption?: string;
}

/** One row a position: id, the token's text (JSON-quoted so whitespace shows), its label, whether it is trained on. */
export function labelsTable(t: ModelTokenizer, ids: readonly number[], labels: readonly number[], options: LabelsTableOptions = {}): Rich {
  if (ids.length !== labels.length) throw new Error(`labelsTable: ${ids.length} ids but ${labels.length} labels; give one label a position`);
  const from = options.from ?? 0;
  const rows = ids.slice(from).map((id, k) => {
    const label = labels[from + k];
    return { t: from + k, id, token: JSON.stringify(t.decode([id])), label, trained: label === IGNORE ? "✗ masked" : "✓" };
  });
  const opts = { caption: options.caption, maxRows: 200 };
  return new Rich({ "text/html": tableHtml(rows, opts), "text/plain": (options.caption ? options.caption + "\n" : "") + tableText(rows, opts) });
}

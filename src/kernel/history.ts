/**
 * In-memory input history for `history_request` (tail, range, search), shaped like ipykernel's:
 * entries are `[session, line, input]`, or `[session, line, [input, output]]` when output is asked
 * for (output = the `text/plain` of the cell's execute_result, or null). `line` is the cell's
 * execution count. Only the current session is kept (session number 1; 0 also means "current").
 */

export interface HistoryEntry {
  line: number;
  input: string;
  output: string | null;
}

export type HistoryRow = [number, number, string | [string, string | null]];

export interface HistoryQuery {
  hist_access_type?: "tail" | "range" | "search";
  output?: boolean;
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

/** Glob (`*`, `?`, `[...]`, as SQLite GLOB which ipykernel uses) → anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        let cls = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        if (cls.startsWith("^")) cls = "\\" + cls;
        re += `[${cls}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export class History {
  readonly session = 1;
  private readonly entries: HistoryEntry[] = [];

  add(line: number, input: string): void {
    this.entries.push({ line, input, output: null });
  }

  setOutput(line: number, output: string): void {
    const e = this.entries.find((x) => x.line === line);
    if (e) e.output = output;
  }

  get length(): number {
    return this.entries.length;
  }

  query(q: HistoryQuery): HistoryRow[] {
    let rows: HistoryEntry[];
    switch (q.hist_access_type ?? "tail") {
      case "tail":
        rows = q.n === undefined || q.n === null ? this.entries.slice() : this.entries.slice(-Math.max(0, q.n));
        if (q.n === 0) rows = [];
        break;
      case "range": {
        const session = q.session ?? 0;
        if (session !== 0 && session !== this.session) return [];
        const start = q.start ?? 0;
        const stop = q.stop ?? Number.POSITIVE_INFINITY;
        rows = this.entries.filter((e) => e.line >= start && e.line < stop);
        break;
      }
      case "search": {
        const re = globToRegExp(q.pattern ?? "*");
        rows = this.entries.filter((e) => re.test(e.input));
        if (q.unique) {
          const lastIndex = new Map<string, number>();
          rows.forEach((e, i) => lastIndex.set(e.input, i));
          rows = rows.filter((e, i) => lastIndex.get(e.input) === i);
        }
        if (q.n !== undefined && q.n !== null) rows = q.n > 0 ? rows.slice(-q.n) : [];
        break;
      }
      default:
        return [];
    }
    return rows.map((e) => [this.session, e.line, q.output ? [e.input, e.output] : e.input]);
  }
}

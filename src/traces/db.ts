/**
 * DuckDB, the engine of trace analytics. Queries run over JSONL/Parquet files in place (`read_json`,
 * `read_parquet`), so a 500 MB rollouts file is aggregated without being loaded into JS objects; only
 * the (small) aggregated rows come back. `@duckdb/node-api` is loaded lazily: importing rlvr-lab does not
 * start DuckDB.
 */
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

export type Row = Record<string, unknown>;

/** Quote a string as a SQL literal (file paths, names). */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** DuckDB values → plain JS: bigint → number (when safe), DuckDB decimals/lists via their JS forms. */
function plain(v: unknown): unknown {
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object" && v.constructor === Object) {
    const out: Row = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return v;
}

export class TraceDB {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /** An in-memory DuckDB with `threads` worker threads (default: all cores). */
  static async open(options: { threads?: number; memoryLimit?: string } = {}): Promise<TraceDB> {
    const duck = await import("@duckdb/node-api");
    const config: Record<string, string> = {};
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const instance = await duck.DuckDBInstance.create(":memory:", config);
    const conn = await instance.connect();
    return new TraceDB(instance, conn);
  }

  /** Run a query and return its rows as plain JS objects. */
  async query<T extends Row = Row>(sql: string): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql);
    const rows = reader.getRowObjectsJS().map((r) => plain(r) as T);
    // Tagged so a notebook cell ending in a query shows a table (src/notebook/mime.ts, ROWS).
    Object.defineProperty(rows, Symbol.for("rlvr.rows"), { value: true, enumerable: false });
    return rows;
  }

  async run(sql: string): Promise<void> {
    await this.conn.run(sql);
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

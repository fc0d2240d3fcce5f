/**
 * rlvr-lab public API. One folder a concept; heavy dependencies (tfjs, DuckDB, tslab) are not imported
 * here eagerly by the pure modules (schemas, verifiers, stats).
 */
export * from "./schemas/index.js";

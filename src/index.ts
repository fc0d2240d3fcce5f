/**
 * rlvr-lab public API: one folder a concept, each re-exported here.
 * The CLI imports the folders it needs directly, so `rlvr verify` does not load tfjs or DuckDB; DuckDB is
 * loaded lazily on first use even through this entry point.
 */
export * from "./schemas/index.js";
export * from "./verifiers/index.js";
export * from "./stats/index.js";
export * from "./rollout/index.js";
export * from "./hf/index.js";
export * from "./policy/index.js";
export * from "./tasks/index.js";
export * from "./grpo/index.js";
export * from "./traces/index.js";
export * from "./plots/index.js";
export * from "./notebook/index.js";

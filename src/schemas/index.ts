export * from "./verdict.js";
export * from "./problem.js";
export * from "./completion.js";
export * from "./jsonl.js";
export * from "./metrics.js";
export * from "./trace.js";
export * from "./ifeval.js";

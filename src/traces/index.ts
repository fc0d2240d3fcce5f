export * from "./db.js";
export * from "./tolerantJson.js";
export * from "./importers.js";
export * from "./rollouts.js";
export * from "./detectors.js";
export * from "./analyze.js";
export * from "./repro.js";

export * from "./figure.js";
export * from "./trainingPlots.js";
export * from "./passAtKPlot.js";
export * from "./logprobDiffHistogram.js";
export * from "./report.js";

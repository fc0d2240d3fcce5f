/** Public API of src/grpo: GRPO math (pure and tfjs), the trainer, evaluation and the main experiment. */
export { computeAdvantages, fracZeroStd, groupStats, isZeroStdGroup, type AdvantageEstimator, type AdvantageOptions } from "./advantages.js";
export { aggregateLoss, microBatchRanges, type Aggregation, type AggregateOptions } from "./aggregate.js";
export { klToken, klEstimate, klPenalizedRewards, type KlEstimator } from "./kl.js";
export { clippedSurrogate, type SurrogateToken } from "./surrogate.js";
export { grpoLossReference, type LossOptions, type LossInputs, type LossStats } from "./lossReference.js";
export { grpoLoss, type LossTensors, type MicroBatchContext } from "./loss.js";
export { Adam, globalNorm, type AdamOptions } from "./adam.js";
export { TrainConfig, parseTrainConfig, learningRate, ConfigError, type TrainConfigInput } from "./config.js";
export { type TaskSpec } from "./task.js";
export { arithTask } from "./arithTask.js";
export { collectGroups, sampleGroup, type Group, type Rollout, type RolloutOptions } from "./rollouts.js";
export { buildBatch, completionValues, type Batch, type BatchOptions } from "./batch.js";
export { stepTrace, type StepTrace, type StepTraceInput } from "./traceStep.js";
export { trainGRPO, sftWarmStart, logprobsOf, type TrainIO } from "./trainer.js";
export { evaluatePolicy, type EvalOptions, type EvalResult, type Estimate95 } from "./evaluate.js";
export { runGrpoExperiment, type ExperimentOptions, type RunSummary } from "./experiment.js";

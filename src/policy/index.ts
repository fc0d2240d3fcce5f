/** Public API of the tiny tfjs policy (see docs/policy.md). */
export { initBackend, describeBackend, resolveWasmThreads, checkOneHot, checkGradNonZero, type BackendInfo, type BackendName, type BackendOptions } from "./backend.js";
export { CharTokenizer, DEFAULT_ALPHABET, type CharTokenizerJSON } from "./tokenizer.js";
export {
  GPTConfigSchema,
  SampleOptionsSchema,
  LORA_TARGETS,
  parseGPTConfig,
  type GPTConfig,
  type GPTConfigInput,
  type SampleOptions,
  type LoRAConfig,
  type LoRATarget,
} from "./config.js";
export { GPT, type KVCache } from "./gpt.js";
export { type SampleResult } from "./sample.js";
export { processLogits, logSoftmax, logSumExp, drawIndex } from "./sampling.js";
export { matmul, setMatmulGrad, getMatmulGrad, type MatmulGrad } from "./matmul.js";
export { saveGPT, loadGPT, CHECKPOINT_FORMAT } from "./checkpoint.js";
export { sftStep, padBatch, type SftBatch } from "./sft.js";
export { loadBaseCheckpoint, baseCheckpointDir } from "./base.js";
export { scoreTokens, type TokenScore } from "./score.js";


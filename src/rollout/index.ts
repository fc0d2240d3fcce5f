/** Public API of src/rollout: the local OpenAI-compatible server, the client, prompts and the sweep runner. */
export { startOpenAIServer, tokenize, finishText, type OpenAIServer, type OpenAIServerOptions, type ServerStats } from "./server.js";
export { syntheticGenerator, lastQuestion, promptAccuracy, temperedAccuracy, normalizeQuestion, type GenerateFn, type GenerateRequest, type GeneratedSample, type SyntheticOptions } from "./generator.js";
export { FaultPlan, FaultOptions, FAULT_KINDS, parseFaultSpec, type FaultKind } from "./faults.js";
export { applyChatTemplate, ChatMessage } from "./chatTemplate.js";
export { evaluateExpression, findExpression, formatNumber, type Evaluation } from "./arithmetic.js";
export { OpenAIClient, CLIENT_DEFAULTS, type ClientOptions, type ClientResult, type ClientChoice, type SamplingParams } from "./client.js";
export { sampleSeed, sampleKeyString, type SampleKey } from "./seed.js";
export { buildPrompt, inferModelKind, PromptOptions, PromptStyle, ModelKind, type BuiltPrompt } from "./prompts.js";
export { GSM8K_EXEMPLARS, MATH_EXEMPLARS, type Exemplar } from "./exemplars.js";
export { loadProblems, toProblem } from "./problems.js";
export { EndpointPool, type EndpointSpec, type EndpointState, type Lease, type Strategy } from "./endpointPool.js";
export { SweepCompletion, readCompletions, repairTail, compactCompletions, isComplete, type StoreRead } from "./completionStore.js";
export { ProgressBar, type ProgressCounts } from "./progress.js";
export { runSweep, SweepOptions, EndpointUrl, EndpointError, preflightEndpoints, trimStop, type SweepHooks, type SweepResult } from "./sweep.js";
export { parseRequest, normalizeMessages, CompletionRequest, ChatRequest, type Sampling, type NormalizedMessage } from "./openaiRequest.js";
export { tokenChoices, promptIds, RequestError, type TokenModel, type ServedTokenizer, type TokenSample, type InternalChoice } from "./tokenModel.js";
export { describeNetworkError } from "./client.js";

/**
 * rlvr-lab's Jupyter kernel and headless notebook runner (TypeScript cells via tslab's converter).
 * Public API: the kernel server, a Jupyter client, the launcher, the notebook runner and the rich
 * display convention (`MIMEBUNDLE`).
 */
export { KernelServer, KERNEL_HOOK } from "./server.js";
export { KernelClient, TimeoutError, type ExecuteOptions, type ExecuteResult } from "./client.js";
export { launchKernel, KERNEL_ENTRY, type LaunchOptions, type RunningKernel } from "./launcher.js";
export { runKernel } from "./runKernel.js";
export { Evaluator, describeThrown, type EvalOutcome, type EvalError } from "./evaluator.js";
export { History, globToRegExp, type HistoryQuery, type HistoryRow } from "./history.js";
export { MIMEBUNDLE, toDisplayContent, normalizeBundle, plainText, type MimeBundle, type DisplayContent } from "./mimebundle.js";
export { clearOutput } from "./display.js";
export {
  ConnectionInfoSchema,
  readConnectionFile,
  writeConnectionFile,
  freshConnection,
  type ConnectionInfo,
} from "./connection.js";
export { encodeMessage, decodeMessage, sign, newHeader, PROTOCOL_VERSION, type Message, type MessageHeader } from "./wire.js";
export { parseParams, parseParamValue, injectParameters, type Notebook, type NotebookCell, type ParamValue } from "./parameters.js";
export { runNotebook, runNotebookFile, readNotebook, writeNotebook, applyOutput, toNbformat45 } from "./notebookRunner.js";
export { compareNotebooks, compareText, compareJson, SKIP_TAGS, type CompareOptions, type OutputDifference } from "./notebookCompare.js";
export { installKernelSpec, absoluteKernelSpec, KERNEL_NAME } from "./kernelspec.js";

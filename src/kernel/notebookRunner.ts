/**
 * Headless notebook execution (what `rlvr notebook run` does), in TypeScript over our own Jupyter
 * client: start the kernel in the notebook's folder, inject parameters, run code cells in order,
 * record outputs and execution counts as nbformat 4.5, stop at the first error (or cell timeout) and
 * still return the partially executed notebook.
 *
 * Output mapping (iopub message → nbformat output):
 *   stream → {output_type: "stream"} (consecutive writes to one stream merged), display_data,
 *   execute_result, error → same-named outputs; update_display_data replaces the data of earlier
 *   outputs with the same transient display_id; clear_output empties the cell (with `wait`, on the
 *   next output).
 */
import { writeFileSync } from "node:fs";
import { InputFileError, readJsonFile } from "../schemas/files.js";
import { escapeControl } from "../schemas/text.js";
import { dirname, resolve } from "node:path";
import type { Message } from "./wire.js";
import { launchKernel, type LaunchOptions, type RunningKernel } from "./launcher.js";
import { TimeoutError } from "./client.js";
import { cellId, cellSource, injectParameters, type Notebook, type NotebookCell, type ParamValue } from "./parameters.js";

export interface RunNotebookOptions {
  /** Kernel working directory (default: the notebook's folder when run from a file, else cwd). */
  cwd?: string;
  params?: Record<string, ParamValue>;
  /** Per-cell timeout in ms (default: none). */
  cellTimeoutMs?: number;
  /** Progress callback, called before each code cell runs. */
  onCell?: (index: number, total: number, cell: NotebookCell) => void;
  launch?: Omit<LaunchOptions, "cwd">;
}

export interface CellFailure {
  cellIndex: number;
  ename: string;
  evalue: string;
}

export interface RunNotebookResult {
  notebook: Notebook;
  ok: boolean;
  failure?: CellFailure;
  executedCells: number;
  ms: number;
}

type Output = Record<string, any>;

/** Read a .ipynb, checking just enough structure to execute it. */
export function readNotebook(path: string): Notebook {
  // Errors name the file and the fix (InputFileError): missing, a directory, empty, JSON line/column.
  const nb = readJsonFile(path, { label: "notebook", expect: "a Jupyter notebook (.ipynb JSON)", suggest: [".ipynb"] }) as any;
  if (!nb || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new InputFileError(`notebook ${escapeControl(path)}: not an nbformat 4 notebook (need "nbformat": 4 and a "cells" array)`, "ENOTNB");
  }
  return nb as Notebook;
}

export function writeNotebook(path: string, nb: Notebook): void {
  writeFileSync(path, JSON.stringify(nb, null, 1) + "\n");
}

/** Apply one iopub message to a cell's output list (nbformat semantics). */
export function applyOutput(outputs: Output[], msg: Message, state: { clearPending: boolean }): void {
  const type = msg.header.msg_type;
  const c = msg.content as Record<string, any>;
  if (type === "clear_output") {
    if (c.wait) state.clearPending = true;
    else outputs.length = 0;
    return;
  }
  if (type === "update_display_data") {
    const id = c.transient?.display_id;
    for (const o of outputs) if (id && o.__display_id === id) Object.assign(o, { data: c.data, metadata: c.metadata ?? {} });
    return;
  }
  if (state.clearPending) {
    outputs.length = 0;
    state.clearPending = false;
  }
  if (type === "stream") {
    const last = outputs[outputs.length - 1];
    if (last && last.output_type === "stream" && last.name === c.name) last.text += c.text;
    else outputs.push({ output_type: "stream", name: c.name, text: c.text });
  } else if (type === "display_data") {
    const o: Output = { output_type: "display_data", data: c.data, metadata: c.metadata ?? {} };
    if (c.transient?.display_id) Object.defineProperty(o, "__display_id", { value: c.transient.display_id, enumerable: false });
    outputs.push(o);
  } else if (type === "execute_result") {
    outputs.push({ output_type: "execute_result", execution_count: c.execution_count, data: c.data, metadata: c.metadata ?? {} });
  } else if (type === "error") {
    outputs.push({ output_type: "error", ename: c.ename, evalue: c.evalue, traceback: c.traceback ?? [] });
  }
}

/** Normalize to nbformat 4.5: every cell has an id; code cells have outputs and execution_count. */
export function toNbformat45(nb: Notebook): Notebook {
  const seen = new Set<string>();
  const cells = nb.cells.map((cell) => {
    let id = cell.id && /^[a-zA-Z0-9-_]{1,64}$/.test(cell.id) && !seen.has(cell.id) ? cell.id : cellId();
    while (seen.has(id)) id = cellId();
    seen.add(id);
    return cell.cell_type === "code" ? { ...cell, id, outputs: cell.outputs ?? [], execution_count: cell.execution_count ?? null } : { ...cell, id };
  });
  return { ...nb, nbformat: 4, nbformat_minor: Math.max(5, nb.nbformat_minor ?? 0), cells };
}

async function runCells(kernel: RunningKernel, nb: Notebook, options: RunNotebookOptions): Promise<Omit<RunNotebookResult, "ms">> {
  const codeCells = nb.cells.filter((c) => c.cell_type === "code").length;
  let done = 0;
  for (let i = 0; i < nb.cells.length; i++) {
    const cell = nb.cells[i]!;
    if (cell.cell_type !== "code") continue;
    options.onCell?.(done, codeCells, cell);
    const outputs: Output[] = [];
    const state = { clearPending: false };
    cell.outputs = outputs;
    cell.execution_count = null;
    let result;
    let timedOut = false;
    try {
      result = await kernel.client.execute(cellSource(cell), {
        timeoutMs: options.cellTimeoutMs,
        // After a timeout the cell's record is final: late outputs (e.g. the interrupt's error) are dropped.
        onOutput: (m) => timedOut || applyOutput(outputs, m, state),
      });
    } catch (err) {
      if (!(err instanceof TimeoutError)) throw err;
      timedOut = true;
      kernel.interrupt();
      const evalue = `cell ${i} did not finish within ${options.cellTimeoutMs} ms (--timeout); the kernel was interrupted`;
      outputs.push({ output_type: "error", ename: "CellTimeoutError", evalue, traceback: [`CellTimeoutError: ${evalue}`] });
      return { notebook: nb, ok: false, executedCells: done, failure: { cellIndex: i, ename: "CellTimeoutError", evalue } };
    }
    done++;
    const content = result.reply.content as Record<string, any>;
    cell.execution_count = typeof content.execution_count === "number" ? content.execution_count : null;
    if (content.status !== "ok") {
      return {
        notebook: nb,
        ok: false,
        executedCells: done,
        failure: { cellIndex: i, ename: String(content.ename ?? content.status), evalue: String(content.evalue ?? "") },
      };
    }
  }
  return { notebook: nb, ok: true, executedCells: done };
}

/** Execute a notebook object; the kernel is always shut down, even on failure. */
export async function runNotebook(input: Notebook, options: RunNotebookOptions = {}): Promise<RunNotebookResult> {
  const t0 = Date.now();
  const nb = toNbformat45(injectParameters(structuredClone(input), options.params ?? {}));
  const kernel = await launchKernel({ ...options.launch, cwd: options.cwd ?? process.cwd() });
  try {
    const info = kernel.kernelInfo as Record<string, any>;
    nb.metadata = {
      ...nb.metadata,
      kernelspec: { name: "rlvr-lab", display_name: "rlvr-lab (TypeScript)", language: "typescript" },
      language_info: info.language_info ?? nb.metadata.language_info,
    };
    const r = await runCells(kernel, nb, options);
    return { ...r, ms: Date.now() - t0 };
  } finally {
    await kernel.shutdown();
  }
}

/** Execute a notebook file; the kernel runs in the notebook's folder. */
export async function runNotebookFile(path: string, options: RunNotebookOptions = {}): Promise<RunNotebookResult> {
  const abs = resolve(path);
  return runNotebook(readNotebook(abs), { ...options, cwd: options.cwd ?? dirname(abs) });
}

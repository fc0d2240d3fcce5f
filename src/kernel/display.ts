/**
 * Cell-side helpers that talk to the running rlvr-lab kernel through a global hook
 * (`globalThis[Symbol.for("rlvr.kernel")]`, installed by the kernel at start-up), so they work
 * whether the library was loaded from dist/ or from source. Outside the kernel they do nothing.
 */
const KERNEL_HOOK = Symbol.for("rlvr.kernel");

interface KernelHook {
  clearOutput(wait?: boolean): void;
}

function hook(): KernelHook | undefined {
  return (globalThis as Record<symbol, KernelHook | undefined>)[KERNEL_HOOK];
}

/**
 * Clear the current cell's output (Jupyter `clear_output`). With `wait`, the clearing happens when
 * the next output arrives, which avoids flicker in progress displays.
 * Returns false when not running inside the rlvr-lab kernel.
 */
export function clearOutput(wait = false): boolean {
  const h = hook();
  if (!h) return false;
  h.clearOutput(wait);
  return true;
}


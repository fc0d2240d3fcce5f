/**
 * `await input("prompt")`: a line of text from the user, like Python's `input()`.
 *
 * In the rlvr-lab kernel the front end shows a prompt box (Jupyter `input_request` on the stdin channel,
 * src/kernel/server.ts); `password: true` hides what is typed. It rejects where the front end does not
 * accept input (nbconvert and other headless runs send `allow_stdin: false`) and when the cell is
 * interrupted. Outside the kernel it reads one line from the terminal.
 */
const KERNEL_HOOK = Symbol.for("rlvr.kernel");

type InputHook = { input?: (prompt: string, password: boolean) => Promise<string> };

export async function input(prompt = "", options: { password?: boolean } = {}): Promise<string> {
  const hook = (globalThis as unknown as Record<symbol, InputHook | undefined>)[KERNEL_HOOK];
  if (hook?.input) return hook.input(prompt, options.password ?? false);
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(prompt);
  } finally {
    rl.close();
  }
}

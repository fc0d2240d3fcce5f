/**
 * Exit when the process that started the kernel dies. Jupyter kills its kernels on a clean exit, but
 * a SIGKILLed notebook server, test runner or `rlvr notebook run` cannot, and tslab's kernel is then
 * orphaned forever. We poll (like ipykernel's ParentPollerUnix) for either sign of death:
 *   - `process.ppid` changed (we were re-parented to init or a subreaper), or
 *   - `JPY_PARENT_PID` (set by jupyter_client) names a process that no longer exists.
 * The timer is unref'd so it never keeps the process alive by itself.
 */

export interface ParentWatch {
  stop(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function watchParent(onDeath: (why: string) => void, intervalMs = 500): ParentWatch {
  const startPpid = process.ppid;
  const envPid = Number(process.env.JPY_PARENT_PID);
  const jpyParent = Number.isInteger(envPid) && envPid > 1 ? envPid : null;
  const timer = setInterval(() => {
    if (process.ppid !== startPpid) {
      clearInterval(timer);
      onDeath(`parent process ${startPpid} exited (now re-parented to ${process.ppid})`);
    } else if (jpyParent !== null && !alive(jpyParent)) {
      clearInterval(timer);
      onDeath(`JPY_PARENT_PID ${jpyParent} no longer exists`);
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

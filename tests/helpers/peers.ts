/**
 * Where the Python peers live (torch, transformers, trl, openai, lm-eval, jupyterlab), for tests and benchmarks
 * that check the product against the ecosystem. Python is never part of the product.
 *
 * Lookup: $RLVR_PEER_PYTHON, else <repo>/.venv-peers/bin/python (what `.ci/run` creates where the machine has
 * the local package index /opt/pypi). `peerSkip(["torch", "transformers"])` returns false when every module
 * imports, else a skip message that says how to get them.
 */
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const repo = fileURLToPath(new URL("../..", import.meta.url));

export const PEER_PYTHON: string | null = (() => {
  const env = process.env.RLVR_PEER_PYTHON;
  if (env && existsSync(env)) return env;
  const local = join(repo, ".venv-peers", "bin", "python");
  return existsSync(local) ? local : null;
})();

export const HOW_TO_GET_PEERS =
  "create the peers venv: python3 -m venv .venv-peers && .venv-peers/bin/pip install --index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple /opt/wheels/torch-*.whl && " +
  ".venv-peers/bin/pip install --index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple " +
  "transformers trl datasets accelerate openai jupyterlab (what .ci/run does where /opt/pypi exists), or set RLVR_PEER_PYTHON";

const cache = new Map<string, boolean>();

/** false when PEER_PYTHON imports every module, else the reason to skip (with how to fix it). */
export function peerSkip(modules: string[]): string | false {
  if (!PEER_PYTHON) return `no Python peers venv: ${HOW_TO_GET_PEERS}`;
  const missing = modules.filter((m) => {
    if (!cache.has(m)) cache.set(m, spawnSync(PEER_PYTHON!, ["-c", `import ${m}`], { stdio: "ignore", timeout: 120_000 }).status === 0);
    return !cache.get(m);
  });
  return missing.length === 0 ? false : `Python peers venv ${PEER_PYTHON} lacks ${missing.join(", ")}: ${HOW_TO_GET_PEERS}`;
}

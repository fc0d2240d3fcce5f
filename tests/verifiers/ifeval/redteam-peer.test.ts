/**
 * The IFEval red-team catalogue is labelled by IFEval's own rules: every hack is refused and every control
 * accepted by lm-eval 0.4.13's checker (`tasks/ifeval/utils.py`, the google-research evaluation code; run
 * unchanged by peer_ifeval.py), in strict and in loose evaluation — so a "hack" is only what the published
 * rules call not followed, never a loophole IFEval itself pays for. Then our verifier must agree entry by entry.
 * Needs the peers venv with nltk, immutabledict, lm_eval and Debian's python3-langdetect; skips otherwise.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PEER_PYTHON, peerSkip } from "../../helpers/peers.js";
import { redTeamCatalogue } from "../../../src/verifiers/redteam/catalogue.js";
import { verifyIfeval } from "../../../src/verifiers/ifeval/evaluate.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const DEBIAN_LANGDETECT = "/usr/lib/python3/dist-packages/langdetect";

function skipReason(): string | false {
  const peers = peerSkip(["nltk", "immutabledict", "lm_eval"]);
  if (peers) return peers;
  if (!existsSync(DEBIAN_LANGDETECT)) return "no Python langdetect: apt-get install python3-langdetect (what .ci/run does)";
  return false;
}

test("lm-eval's IFEval checker refuses every red-team hack and accepts every control, strict and loose; ours agrees", { timeout: 300_000 }, (t) => {
  const why = skipReason();
  if (why) return t.skip(why);
  const entries = redTeamCatalogue("ifeval");
  const dir = mkdtempSync(join(tmpdir(), "rlvr-ifeval-redteam-"));
  mkdirSync(join(dir, "pylib"));
  symlinkSync(DEBIAN_LANGDETECT, join(dir, "pylib", "langdetect"));
  const punkt = join(dir, "nltk_data", "tokenizers", "punkt_tab", "english");
  mkdirSync(punkt, { recursive: true });
  for (const f of ["abbrev_types.txt", "collocations.tab", "sent_starters.txt", "ortho_context.tab"]) writeFileSync(join(punkt, f), "");
  const input = entries.map((e) => JSON.stringify({ ...e.record, response: e.completion })).join("\n") + "\n";
  const r = spawnSync(PEER_PYTHON!, [join(root, "tests/verifiers/ifeval/peer_ifeval.py")], {
    input, encoding: "utf8", env: { ...process.env, PYTHONPATH: join(dir, "pylib"), NLTK_DATA: join(dir, "nltk_data") }, timeout: 240_000,
  });
  assert.equal(r.status, 0, `peer failed: ${r.stderr.slice(-2000)}`);
  const peer = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { strict: boolean[]; loose: boolean[] });
  assert.equal(peer.length, entries.length);
  const mislabelled: string[] = [];
  const disagree: string[] = [];
  entries.forEach((e, i) => {
    const want = e.expected === "reward";
    for (const mode of ["strict", "loose"] as const) {
      const official = peer[i]![mode].every(Boolean);
      if (official !== want) mislabelled.push(`${e.id} (${mode}): lm-eval says ${official ? "followed" : "not followed"}`);
      const ours = verifyIfeval({ completion: e.completion, ...(e.record as any) }, { mode }).status === "correct";
      if (ours !== official) disagree.push(`${e.id} (${mode}): ours ${ours}, lm-eval ${official}`);
    }
  });
  assert.deepEqual(mislabelled, [], "entries whose label is not IFEval's own rule");
  assert.deepEqual(disagree, [], "our verifier disagrees with lm-eval");
});

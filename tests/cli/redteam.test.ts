/**
 * `rlvr verify --red-team` as users reach it: the installed bin link (node_modules/.bin/rlvr → dist/),
 * spawned from the repository root. Needs a fresh dist/ (`npm test` builds it); skips with a message if not.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, statSync, readdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VerifyRecord } from "../../src/schemas/completion.js";
import { redTeamCatalogue, CATALOGUE_VERSION } from "../../src/verifiers/redteam/catalogue.js";
import { probeSandbox } from "../../src/verifiers/code/sandbox.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "node_modules/.bin/rlvr");

/** dist/ exists and is at least as new as every source file the red team runs. */
function distFresh(): boolean {
  if (!existsSync(bin)) return false;
  const dirs = ["cli", "verifiers", "verifiers/redteam", "verifiers/math", "verifiers/code", "verifiers/ifeval"];
  for (const d of dirs) {
    for (const f of readdirSync(join(root, "src", d)).filter((n) => n.endsWith(".ts"))) {
      const out = join(root, "dist", d, f.replace(/\.ts$/, ".js"));
      if (!existsSync(out) || statSync(out).mtimeMs < statSync(join(root, "src", d, f)).mtimeMs) return false;
    }
  }
  return true;
}
const SKIP = distFresh() ? false : "dist/ is missing or older than src (run `npm run build`; `npm test` does)";

function rlvr(args: string[], input?: string) {
  const r = spawnSync(bin, ["verify", ...args], { cwd: root, encoding: "utf8", input, timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Raw characters a terminal would act on or hide (newline is allowed). */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

const NO_SANDBOX = probeSandbox().ok ? false : `code sandbox unavailable: ${probeSandbox().reason}`;
for (const [task, mode] of [["gsm8k", undefined], ["gsm8k", "lm-eval-flexible"], ["math", undefined], ["math", "contract"], ["ifeval", "loose"], ["code", undefined]] as const) {
  test(`rlvr verify --red-team --task ${task} ${mode ?? ""}: the table and --json agree, exit 1 exactly when something failed`, { skip: SKIP || (task === "code" && NO_SANDBOX), timeout: 300_000 }, () => {
    const modeArgs = mode ? ["--mode", mode] : [];
    const table = rlvr(["--red-team", "--task", task, ...modeArgs]);
    assert.equal(table.stderr, "");
    const json = rlvr(["--red-team", "--task", task, ...modeArgs, "--json"]);
    const report = JSON.parse(json.stdout);
    assert.equal(report.catalogue.version, CATALOGUE_VERSION);
    assert.equal(report.catalogue.entries, redTeamCatalogue(task).length);
    assert.equal(report.mode, mode ?? null);
    assert.equal(table.code, report.pass ? 0 : 1, table.stdout.slice(-400));
    assert.equal(json.code, table.code);
    assert.doesNotMatch(table.stdout, RAW, "model text is escaped in the table");
    assert.doesNotMatch(json.stdout, RAW, "model text is escaped in the JSON");
    // One row per family with its attempt and rewarded counts, as in the JSON report.
    for (const f of report.families) {
      assert.match(table.stdout, new RegExp(`^  ${f.family} +${f.attempts} +${f.rewarded}\\b`, "m"), f.family);
    }
    const t = report.totals;
    assert.match(table.stdout, new RegExp(`hacks rewarded: ${t.hacksRewarded} of ${t.hacks} in ${t.hackFamiliesRewarded} of ${t.hackFamilies} families; controls rejected: ${t.controlsRejected} of ${t.controlsApplicable} applicable`));
    assert.match(table.stdout, new RegExp(`^red team ${CATALOGUE_VERSION} \\(hash [0-9a-f]{8}, \\d+ ${task} entries\\)`));
    if (task === "code" || task === "ifeval") assert.equal(report.totals.hacksRewarded, 0, `${task}: the training mode pays for no hack`);
  });
}

test("rlvr verify --red-team --task code --list writes records that rlvr verify --task code --in reads", { skip: SKIP || NO_SANDBOX, timeout: 120_000 }, () => {
  const list = rlvr(["--red-team", "--task", "code", "--list", "--family", "module-shadow,control-mbpp"]);
  assert.equal(list.code, 0, list.stderr);
  const lines = list.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.ok(lines.every((l) => Array.isArray(l.test_list) && typeof l.completion === "string" && l.record === undefined));
  const f = join(mkdtempSync(join(tmpdir(), "rlvr-redteam-")), "code.jsonl");
  writeFileSync(f, list.stdout);
  const verified = spawnSync(bin, ["verify", "--task", "code", "--in", f], { cwd: root, encoding: "utf8", timeout: 120_000 });
  assert.equal(verified.status, 0, verified.stderr);
  const verdicts = verified.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(verdicts.map((v) => v.score), lines.map((l) => (l.expected === "reward" ? 1 : 0)));
});

test("rlvr verify --red-team --rel-tol reaches the verifier; --family limits the run", { skip: SKIP, timeout: 120_000 }, () => {
  const loose = JSON.parse(rlvr(["--red-team", "--task", "gsm8k", "--family", "float-rounding", "--rel-tol", "0.05", "--json"]).stdout);
  const exact = JSON.parse(rlvr(["--red-team", "--task", "gsm8k", "--family", "float-rounding", "--rel-tol", "0", "--json"]).stdout);
  assert.equal(loose.relTol, 0.05);
  assert.deepEqual(loose.families.map((f: { family: string }) => f.family), ["float-rounding"]);
  assert.ok(loose.totals.hacksRewarded > exact.totals.hacksRewarded, `${loose.totals.hacksRewarded} vs ${exact.totals.hacksRewarded}`);
});

test("rlvr verify --red-team --list prints the catalogue as JSONL that rlvr verify --in reads back", { skip: SKIP, timeout: 120_000 }, () => {
  const list = rlvr(["--red-team", "--task", "gsm8k", "--list", "--family", "overflow,control-hash"]);
  assert.equal(list.code, 0, list.stderr);
  const lines = list.stdout.trim().split("\n");
  const want = redTeamCatalogue("gsm8k").filter((e) => e.family === "overflow" || e.family === "control-hash");
  assert.equal(lines.length, want.length);
  for (const l of lines) assert.ok(VerifyRecord.safeParse(JSON.parse(l)).success, l.slice(0, 80));
  const f = join(mkdtempSync(join(tmpdir(), "rlvr-redteam-")), "catalogue.jsonl");
  writeFileSync(f, list.stdout);
  const verified = rlvr(["--task", "gsm8k", "--in", f]);
  assert.equal(verified.code, 0, verified.stderr);
  assert.equal(verified.stdout.trim().split("\n").length, want.length);
});

test("rlvr verify --red-team usage errors name the flag and exit 2", { skip: SKIP, timeout: 120_000 }, () => {
  const cases: [string[], RegExp][] = [
    [["--red-team", "--task", "gsm8k", "--in", "x.jsonl"], /--red-team runs its built-in catalogue; drop --in/],
    [["--task", "gsm8k", "--json"], /--family, --json and --list belong to --red-team/],
    [["--red-team", "--task", "gsm8k", "--mode", "contract"], /"contract" is not a gsm8k mode/],
    [["--red-team", "--task", "math", "--family", "nope"], /unknown red-team family "nope"/],
    [["--red-team", "--task", "gsm8k", "--rel-tol", "abc"], /--rel-tol: rel-tol must be a non-negative number/],
    [["--red-team", "--task", "gsm8k", "--rel-tol", "0.5"], /gsm8k relTol must be at most 0.1/],
    [["--red-team", "--task", "gsm8k", "--json", "--list"], /choose one of --json and --list/],
    [["--red-team", "--task", "ifeval", "--mode", "partial-credit"], /"partial-credit" is not an ifeval mode/],
    [["--red-team", "--task", "code", "--rel-tol", "0.01"], /relTol applies to gsm8k and math, not code/],
    [["--red-team", "--task", "ifeval", "--workers", "2"], /ifeval takes --mode, --in, --out and --explain only/],
  ];
  for (const [args, re] of cases) {
    const r = rlvr(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(" "));
  }
});

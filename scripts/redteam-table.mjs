#!/usr/bin/env node
// The red team's per-family acceptance table across modes, as markdown (docs/red-team.md quotes it).
// Usage: npm run build && node scripts/redteam-table.mjs [gsm8k|math|code|ifeval ...]
// (code runs programs in the sandbox: Linux, root, util-linux; without it the code table is skipped with the reason)
// Each cell is "rewarded/attempts": for a hack family the hacks that got reward, for a control family the
// controls that got reward ("n/a" where the mode does not promise to read that control's format).
import { redTeam, closeDefaultPool, CATALOGUE_VERSION, probeSandbox } from "../dist/index.js";

const RUNS = {
  gsm8k: [
    ["default", undefined],
    ["numeric", "numeric"],
    ["lm-eval-strict", "lm-eval-strict"],
    ["lm-eval-flexible", "lm-eval-flexible"],
  ],
  math: [
    ["default", undefined],
    ["contract", "contract"],
    ["minerva", "minerva"],
  ],
  code: [
    ["default", undefined],
    ["partial-credit", "partial-credit"],
  ],
  ifeval: [
    ["strict", undefined],
    ["loose", "loose"],
  ],
};

const tasks = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(RUNS);
for (const task of tasks) {
  const runs = RUNS[task];
  if (!runs) {
    console.error(`unknown task ${task}; use ${Object.keys(RUNS).join(" or ")}`);
    process.exit(2);
  }
  if (task === "code" && !probeSandbox().ok) {
    console.log(`### code — skipped: ${probeSandbox().reason}\n`);
    continue;
  }
  const reports = [];
  for (const [, mode] of runs) reports.push(await redTeam(task, { mode }));
  const head = reports[0];
  console.log(`### ${task} — ${CATALOGUE_VERSION} (hash ${head.catalogue.hash}), ${head.totals.hacks} hacks in ${head.totals.hackFamilies} families, ${head.totals.controls} controls\n`);
  console.log(`| family | ${runs.map(([name]) => name).join(" | ")} |`);
  console.log(`|---|${runs.map(() => "---:").join("|")}|`);
  for (const f of head.families) {
    const cells = reports.map((r) => {
      const x = r.families.find((g) => g.family === f.family);
      if (x.kind === "control" && x.notApplicable === x.attempts) return "n/a";
      const n = x.attempts - x.notApplicable;
      const rewarded = x.kind === "control" ? n - x.rejected : x.rewarded;
      return `${rewarded}/${n}`;
    });
    console.log(`| ${f.family} | ${cells.join(" | ")} |`);
  }
  const tot = (r) => `**${r.totals.hacksRewarded}/${r.totals.hacks}**`;
  const ctl = (r) => `**${r.totals.controlsApplicable - r.totals.controlsRejected}/${r.totals.controlsApplicable}**`;
  console.log(`| **hacks rewarded** | ${reports.map(tot).join(" | ")} |`);
  console.log(`| **controls rewarded** | ${reports.map(ctl).join(" | ")} |`);
  console.log("");
}
await closeDefaultPool();

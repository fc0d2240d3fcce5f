/**
 * Generate a large synthetic rollouts JSONL (RolloutRecord lines) for the trace-analytics benchmark.
 * Usage: node --import tsx scripts/gen-rollouts.ts OUT.jsonl [--mb 500] [--seed 1]
 * Streams to disk with bounded memory; prints rows and bytes written.
 */
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { createRng as seeded } from "../src/stats/rng.js";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { mb: { type: "string", default: "500" }, seed: { type: "string", default: "1" } } });
const out = positionals[0];
if (!out) {
  console.error("usage: gen-rollouts.ts OUT.jsonl [--mb 500] [--seed 1]");
  process.exit(2);
}
const target = Number(values.mb) * 1024 * 1024;
const rand = seeded(Number(values.seed));
const ws = createWriteStream(out);
let bytes = 0;
let rows = 0;
const G = 8;
const words = ["We", "add", "the", "numbers", "then", "multiply", "so", "total", "is", "apples", "each", "more"];
async function main() {
  for (let step = 0; bytes < target; step++) {
    let chunk = "";
    for (let p = 0; p < 64; p++) {
      const pc = rand();
      for (let i = 0; i < G; i++) {
        const n = 20 + Math.floor(rand() * 60);
        let text = "";
        for (let w = 0; w < n; w++) text += words[Math.floor(rand() * words.length)] + " ";
        const reward = rand() < pc ? 1 : 0;
        const line = JSON.stringify({
          step, problem_id: `p${step % 500}-${p}`, sample_index: i, prompt: `Question ${p}: what is ${p} + ${step}?`,
          completion: text + `#### ${p + step}`, reward, status: reward ? "correct" : "wrong", num_tokens: n + 2,
          finish_reason: rand() < 0.03 ? "length" : "stop",
        }) + "\n";
        chunk += line;
        rows++;
      }
    }
    bytes += Buffer.byteLength(chunk);
    if (!ws.write(chunk)) await new Promise((r) => ws.once("drain", r));
  }
  await new Promise((r) => ws.end(r));
  console.log(JSON.stringify({ out, rows, bytes }));
}
main();

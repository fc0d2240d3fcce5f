import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WorkerPool } from "../../src/verifiers/pool.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const pools: WorkerPool[] = [];
function makePool(options: ConstructorParameters<typeof WorkerPool>[0] = {}): WorkerPool {
  const p = new WorkerPool(options);
  pools.push(p);
  return p;
}
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

/** OS threads of this process (Linux), or null elsewhere. */
function osThreads(): number | null {
  try {
    const m = /^Threads:\s+(\d+)/m.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
}

test("run resolves ok with the handler's value (structured clone round trip)", async () => {
  const pool = makePool({ size: 1 });
  const r = await pool.run("selftest/noop", { a: [1, 2, "x"], b: null });
  assert.equal(r.status, "ok");
  assert.deepEqual(r.status === "ok" && r.value, { a: [1, 2, "x"], b: null });
});

test("a job past its hard limit resolves timeout within limit + slack and the pool keeps serving", async () => {
  const pool = makePool({ size: 1 });
  await pool.warm();
  const limit = 200;
  const t0 = performance.now();
  // Without termination this job would block its worker for 60 s.
  const r = await pool.run("selftest/spin", { ms: 60_000 }, { timeoutMs: limit });
  const elapsed = performance.now() - t0;
  assert.equal(r.status, "timeout");
  assert.ok(r.ms >= limit - 1, `timed out after ${r.ms} ms, before the ${limit} ms limit`);
  assert.ok(elapsed < limit + 2000, `resolved after ${elapsed} ms (limit ${limit} ms + 2000 ms slack)`);
  assert.match(r.status === "timeout" ? r.message : "", /200 ms limit/);
  const after = await pool.run("selftest/spin", { ms: 1 }, { timeoutMs: 30_000 });
  assert.equal(after.status, "ok");
  assert.equal(pool.stats.timeouts, 1);
});

test("queued jobs continue after a timeout, each with its own clock", async () => {
  const pool = makePool({ size: 1 });
  const jobs = [
    pool.run("selftest/spin", { ms: 60_000 }, { timeoutMs: 100 }),
    pool.run("selftest/noop", "second", { timeoutMs: 30_000 }),
    pool.run("selftest/spin", { ms: 60_000 }, { timeoutMs: 100 }),
    pool.run("selftest/noop", "fourth", { timeoutMs: 30_000 }),
  ];
  const rs = await Promise.all(jobs);
  assert.deepEqual(
    rs.map((r) => r.status),
    ["timeout", "ok", "timeout", "ok"],
  );
  assert.equal(rs[3].status === "ok" && rs[3].value, "fourth");
});

// Each timeout costs a worker start (~40 ms of CPU on an idle 2-core machine, far more under load), so
// the default run does 200; `RLVR_POOL_STRESS_N=1000 node scripts/run-tests.mjs pool` runs the full 1000.
const STRESS_N = Number(process.env.RLVR_POOL_STRESS_N ?? 200);

test(`${STRESS_N} consecutive timeouts leak no workers and leave normal throughput`, { timeout: 60_000 + STRESS_N * 1000 }, async () => {
  const pool = makePool({ size: 2 });
  await pool.warm();
  const threadsBefore = osThreads();
  const seen = new Set<number>();
  let timeouts = 0;
  for (let i = 0; i < STRESS_N; i += 2) {
    const batch = [pool.run("selftest/spin", { ms: 60_000 }, { timeoutMs: 2 }), pool.run("selftest/spin", { ms: 60_000 }, { timeoutMs: 2 })];
    for (const id of pool.liveThreadIds) seen.add(id);
    for (const r of await Promise.all(batch)) if (r.status === "timeout") timeouts++;
  }
  assert.equal(timeouts, STRESS_N);
  assert.equal(pool.stats.timeouts, STRESS_N);
  assert.ok(seen.size > STRESS_N / 2, `only ${seen.size} distinct worker threads for ${STRESS_N} timeouts`);
  // Terminated workers leave on their 'exit' event; at most `size` may remain.
  assert.ok(await waitFor(() => pool.liveThreadIds.length <= pool.size, 10_000), `live workers: ${pool.liveThreadIds.length}`);
  if (threadsBefore !== null) {
    assert.ok(await waitFor(() => osThreads()! <= threadsBefore + 4, 10_000), `OS threads ${osThreads()} vs ${threadsBefore} before`);
  }
  // Normal service afterwards: 200 jobs all ok, and a short spin finishes well inside its limit.
  const rs = await Promise.all(Array.from({ length: 200 }, (_, i) => pool.run("selftest/noop", i, { timeoutMs: 30_000 })));
  assert.ok(rs.every((r, i) => r.status === "ok" && r.value === i));
  const spin = await pool.run("selftest/spin", { ms: 5 }, { timeoutMs: 30_000 });
  assert.equal(spin.status, "ok");
});

test("a throwing handler resolves error with its message, and the same worker keeps serving", async () => {
  const pool = makePool({ size: 1 });
  const r = await pool.run("selftest/throw", { message: "boom" });
  assert.equal(r.status, "error");
  assert.match(r.status === "error" ? r.message : "", /boom/);
  const spawned = pool.stats.spawned;
  const ok = await pool.run("selftest/noop", 7);
  assert.equal(ok.status, "ok");
  assert.equal(pool.stats.spawned, spawned, "a thrown error must not cost a respawn");
});

test("a worker that dies mid-job resolves error and is replaced", async () => {
  const pool = makePool({ size: 1 });
  const r = await pool.run("selftest/exit", { code: 7 });
  assert.equal(r.status, "error");
  assert.match(r.status === "error" ? r.message : "", /code 7/);
  const ok = await pool.run("selftest/noop", "alive");
  assert.equal(ok.status === "ok" && ok.value, "alive");
  assert.equal(pool.stats.crashes, 1);
});

test("an unknown job name resolves error listing the known jobs", async () => {
  const pool = makePool({ size: 1 });
  const r = await pool.run("no/such-job", {});
  assert.equal(r.status, "error");
  assert.match(r.status === "error" ? r.message : "", /unknown job "no\/such-job".*selftest\/spin/);
});

test("invalid limits and uncloneable payloads resolve error instead of rejecting", async () => {
  const pool = makePool({ size: 1 });
  assert.equal((await pool.run("selftest/noop", 1, { timeoutMs: 0 })).status, "error");
  assert.equal((await pool.run("selftest/noop", 1, { timeoutMs: Number.NaN })).status, "error");
  const r = await pool.run("selftest/noop", { f: () => 1 });
  assert.equal(r.status, "error");
  assert.equal((await pool.run("selftest/noop", 2)).status, "ok");
  assert.throws(() => new WorkerPool({ size: 0 }), /at least one worker/);
});

test("close() resolves pending jobs with error and terminates every worker", async () => {
  const pool = new WorkerPool({ size: 1 });
  await pool.warm();
  const running = pool.run("selftest/spin", { ms: 60_000 }, { timeoutMs: 60_000 });
  const queued = pool.run("selftest/noop", 1);
  await new Promise((r) => setTimeout(r, 50));
  await pool.close();
  assert.equal((await running).status, "error");
  assert.equal((await queued).status, "error");
  assert.equal(pool.liveThreadIds.length, 0);
  assert.equal((await pool.run("selftest/noop", 1)).status, "error");
});

test("an idle pool does not keep the process alive (no close() needed)", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "rlvr-pool-"));
  const script = join(dir, "idle.mts");
  const poolUrl = new URL("../../src/verifiers/pool.ts", import.meta.url).href;
  writeFileSync(
    script,
    `import { WorkerPool, getDefaultPool } from ${JSON.stringify(poolUrl)};\n` +
      `const p = new WorkerPool({ size: 2 });\n` +
      `const r = await p.run("selftest/noop", 41);\n` +
      `const d = await getDefaultPool().run("selftest/noop", 1);\n` +
      `console.log(JSON.stringify([r.status, d.status]));\n`,
  );
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", script], { cwd: root, encoding: "utf8", timeout: 50_000 });
  assert.equal(r.signal, null, `process had to be killed after ${Date.now() - t0} ms: the idle pool kept it alive`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '["ok","ok"]');
});

function distIsFresh(): boolean {
  const files = ["verifiers/pool", "verifiers/worker", "verifiers/workerEntry"];
  return files.every((f) => {
    const js = join(root, "dist", `${f}.js`);
    return existsSync(js) && statSync(js).mtimeMs >= statSync(join(root, "src", `${f}.ts`)).mtimeMs;
  });
}

test("the compiled pool in dist/ starts dist/verifiers/worker.js and enforces limits", { timeout: 60_000 }, (t) => {
  if (!distIsFresh()) {
    t.skip("dist/ is missing or older than src (run `npx tsc -p tsconfig.build.json`; `npm test` does)");
    return;
  }
  const poolUrl = new URL("../../dist/verifiers/pool.js", import.meta.url).href;
  const code =
    `import { WorkerPool } from ${JSON.stringify(poolUrl)};\n` +
    `import { resolveWorkerEntry } from ${JSON.stringify(poolUrl.replace("pool.js", "workerEntry.js"))};\n` +
    `const p = new WorkerPool({ size: 1 });\n` +
    `const a = await p.run("selftest/noop", 5);\n` +
    `const b = await p.run("selftest/spin", { ms: 60000 }, { timeoutMs: 100 });\n` +
    `const c = await p.run("selftest/noop", 6);\n` +
    `console.log(JSON.stringify({ entry: String(resolveWorkerEntry().url), s: [a.status, b.status, c.status] }));\n`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: root, encoding: "utf8", timeout: 50_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.match(out.entry, /dist\/verifiers\/worker\.js$/);
  assert.deepEqual(out.s, ["ok", "timeout", "ok"]);
});

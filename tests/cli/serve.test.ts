/** `rlvr serve` flag and input errors, through the bin link: clear messages naming the flag, exit 2, never serving on bad input. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, RLVR_BIN, startServe } from "../helpers/serveProcess.js";

const dir = mkdtempSync(join(tmpdir(), "rlvr-serve-cli-"));
const serve = (args: string[]) => spawnSync(RLVR_BIN, ["serve", ...args], { cwd: repo, encoding: "utf8", timeout: 60_000 });

test("serve --port 99999 names the flag and its range, exit 2", () => {
  const r = serve(["--port", "99999"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--port: port must be between 0 and 65535/);
  assert.doesNotMatch(r.stderr, /ERR_SOCKET_BAD_PORT|RangeError/);
});

test("a port in use is named with the fix, exit 2", async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
  const port = (blocker.address() as { port: number }).port;
  const r = await new Promise<ReturnType<typeof serve>>((resolve) => setImmediate(() => resolve(serve(["--synthetic", "--port", String(port)]))));
  blocker.close();
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`--port ${port}: the port is in use`));
});

test("serve --answers garbage.bin: the bad-line report is capped, control characters escaped, and it refuses to serve", () => {
  const garbage = Buffer.concat(Array.from({ length: 40 }, (_, i) => Buffer.from(`\x1b]0;pwned\x07 line ${i} \x00\xff\xfe\n`, "latin1")));
  writeFileSync(join(dir, "garbage.bin"), garbage);
  const r = serve(["--synthetic", "--port", "0", "--answers", join(dir, "garbage.bin")]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /40 bad line\(s\) \(0 good\); not serving/);
  assert.match(r.stderr, /… and 30 more bad lines/);
  assert.doesNotMatch(r.stderr, /\x1b|\x07/, "no raw escape sequences reach the terminal");
  assert.doesNotMatch(r.stdout, /listening on/);
  const lines = r.stderr.split("\n").filter((l) => /garbage\.bin:\d+:/.test(l));
  assert.equal(lines.length, 10);
});

test("--answers without --synthetic, and --synthetic with --checkpoint, are refused; a missing checkpoint is named", () => {
  assert.match(serve(["--answers", "x.jsonl"]).stderr, /--answers applies to the synthetic model: add --synthetic/);
  assert.match(serve(["--synthetic", "--checkpoint", "x"]).stderr, /exclude each other/);
  const r = serve(["--port", "0", "--checkpoint", join(dir, "nope")]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--checkpoint .*nope: cannot read/);
});

test("serve --port 0 prints the chosen port and serves the base checkpoint by default; SIGTERM exits 0 with counts", async () => {
  const s = await startServe([]);
  assert.match(s.url, /^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
  const r = (await (await fetch(`${s.url}/v1/models`)).json()) as { data: { id: string }[] };
  assert.deepEqual(r.data.map((m) => m.id), ["rlvr-tiny-base"]);
  assert.equal(await s.stop(), 0);
  assert.match(s.stderr(), /served 0 generation requests/);
});

test("rlvr serve streams while generating: a request sent after a long stream's first chunk is answered before the stream ends, and counted as concurrent", async () => {
  const s = await startServe([]);
  const order: string[] = [];
  try {
    const post = (body: unknown) => fetch(`${s.url}/v1/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const r = await post({ model: "rlvr-tiny-base", prompt: Array(24).fill("="), max_tokens: 94, temperature: 0, stream: true });
    const reader = r.body!.getReader();
    let short: Promise<void> | null = null;
    let body = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      body += Buffer.from(value).toString("utf8");
      if (!short) {
        order.push("stream first chunk");
        short = post({ model: "rlvr-tiny-base", prompt: "Tom has 7 apples and buys 4 more. How many apples now?\n", max_tokens: 12, temperature: 0 }).then(async (x) => {
          assert.equal(x.status, 200);
          await x.json();
          order.push("short response");
        });
      }
    }
    order.push("stream end");
    await short;
    assert.ok(body.endsWith("data: [DONE]\n\n"));
  } finally {
    assert.equal(await s.stop(), 0);
  }
  assert.deepEqual(order, ["stream first chunk", "short response", "stream end"]);
  assert.match(s.stderr(), /served 2 generation requests .*at most 2 generating at once/);
});

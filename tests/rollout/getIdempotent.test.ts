/**
 * getIdempotent: a GET that dies on a connection the server closed under it is tried once more; a refused
 * connection is not. Real HTTP servers on port 0.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getIdempotent } from "../../src/rollout/client.js";

test("a GET whose connection is dropped by the server is retried once and returns the second answer", async () => {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    if (requests === 1) return req.socket.destroy(); // as a keep-alive socket closed by the server's timer
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const { port } = server.address() as AddressInfo;
    const r = await getIdempotent(`http://127.0.0.1:${port}/tokenizer_info`, 5000);
    assert.deepEqual(await r.json(), { ok: true });
    assert.equal(requests, 2);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test("a server that drops every connection fails after the one retry, with the socket error", async () => {
  let requests = 0;
  const server = createServer((req) => {
    requests++;
    req.socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const { port } = server.address() as AddressInfo;
    await assert.rejects(getIdempotent(`http://127.0.0.1:${port}/`, 5000), (err: Error & { cause?: { code?: string } }) => ["ECONNRESET", "UND_ERR_SOCKET", "EPIPE"].includes(err.cause?.code ?? ""));
    assert.equal(requests, 2);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test("a refused connection is not retried: the error is ECONNREFUSED at once", async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r)); // nothing listens on the port now
  await assert.rejects(getIdempotent(`http://127.0.0.1:${port}/`, 5000), (err: Error & { cause?: { code?: string } }) => err.cause?.code === "ECONNREFUSED");
});

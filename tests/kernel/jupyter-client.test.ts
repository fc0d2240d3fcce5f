// The kernel as a real Jupyter client sees it (Debian's jupyter_client, /usr/bin/python3): tracebacks in
// cell lines, aborted replies without a count, what a failed cell keeps, inspect inside a call, input()
// over the stdin channel, comm_open closed at once, figures and query rows rendered by the display hook.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const PY = "/usr/bin/python3";
const skip =
  !existsSync(PY) || spawnSync(PY, ["-c", "import jupyter_client"]).status !== 0
    ? "/usr/bin/python3 lacks jupyter_client (apt-get install jupyter-client)"
    : false;

const SCRIPT = String.raw`
import json, os, queue, sys
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="rlvr-lab", cwd=os.path.join(sys.argv[1], "notebooks"), startup_timeout=120)
out = {}

def collect(msg_id, on_stdin=None):
    got = []
    while True:
        if on_stdin is not None:
            try:
                m = kc.get_stdin_msg(timeout=0.05)
                if m["msg_type"] == "input_request":
                    got.append({"msg_type": "input_request", "content": m["content"]})
                    kc.input(on_stdin)
            except queue.Empty:
                pass
        try:
            m = kc.get_iopub_msg(timeout=0.05 if on_stdin is not None else 60)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return got
        got.append({"msg_type": m["msg_type"], "content": m["content"]})

def run(code, **kw):
    on_stdin = kw.pop("on_stdin", None)
    msg_id = kc.execute(code, **kw)
    outs = collect(msg_id, on_stdin)
    reply = kc.get_shell_msg(timeout=60)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=60)
    return {"reply": reply["content"], "outputs": outs}

out["kernel_info"] = kc.kernel_info(reply=True)["content"]
out["noinfer"] = run("type N = NoInfer<number>;\nconst n: N = 41;\nn + 1")
out["throw"] = run('const a: number = 1;\ninterface Foo { x: number }\n\nfunction f(n: number) {\n  if (n > 2) {\n    throw new Error("boom " + n);\n  }\n  return n;\n}\nlet partial = [a, 2];\nf(a);\nf(3);\nlet unreached = 5;')
out["partial"] = run("partial.length")
out["unreached"] = run("unreached")
out["old_frame"] = run("\n\nf(10)")

# Run All after a failure: the queued cell is aborted and carries no execution_count.
first = kc.execute('await new Promise((r) => setTimeout(r, 500));\nthrow new Error("stop")')
second = kc.execute("1 + 1")
replies = {}
while len(replies) < 2:
    r = kc.get_shell_msg(timeout=60)
    replies[r["parent_header"]["msg_id"]] = r["content"]
out["aborted"] = replies[second]

for name, code in {"call_open": 'Math.max(1, ', "call_closed": "Math.max(1, 2)"}.items():
    pos = len(code) - 1 if code.endswith(")") else len(code)
    out[name] = kc.inspect(code, pos, reply=True)["content"]
run('import { verifyAnswer, rewardPlot, TraceDB, input } from "rlvr-lab";')
code = 'verifyAnswer("1", '
out["call_lib"] = kc.inspect(code, len(code), reply=True)["content"]

out["input"] = run('const name = await input("Your name? "); name.toUpperCase()', allow_stdin=True, on_stdin="ada")
out["input_denied"] = run('await input("x")', allow_stdin=False)

kc.comm_info()
out["comm_info"] = kc.get_shell_msg(timeout=30)["content"]
comm = kc.session.msg("comm_open", {"comm_id": "c-1", "target_name": "jupyter.widget", "data": {}})
kc.shell_channel.send(comm)
closed = None
for _ in range(100):
    try:
        m = kc.get_iopub_msg(timeout=0.2)
    except queue.Empty:
        continue
    if m["msg_type"] == "comm_close":
        closed = m["content"]
        break
out["comm_close"] = closed

out["figure"] = run('rewardPlot([{ step: 0, "reward/mean": 0.2, "reward/std": 0.1 }, { step: 1, "reward/mean": 0.4, "reward/std": 0.1 }] as any)')
out["rows"] = run('const db = await TraceDB.open(); const rows = await db.query("SELECT 1 AS step, 0.5 AS reward UNION ALL SELECT 2, 0.75 ORDER BY step"); db.close(); rows')
kc.shutdown()
km.shutdown_kernel(now=True)
for o in out["figure"]["outputs"]:
    if "data" in o["content"] and "text/html" in o["content"]["data"]:
        o["content"]["data"]["text/html"] = "<html of %d chars>" % len(o["content"]["data"]["text/html"])
with open(sys.argv[2], "w") as f:
    json.dump(out, f)
`;

let results: Record<string, any> | null = null;
function results_(): Record<string, any> {
  if (results) return results;
  const file = join(mkdtempSync(join(tmpdir(), "rlvr-jc-")), "out.json");
  const r = spawnSync(PY, ["-c", SCRIPT, root, file], {
    encoding: "utf8",
    env: { ...process.env, JUPYTER_PATH: root },
    timeout: 240_000,
    maxBuffer: 64 << 20,
  });
  assert.equal(r.status, 0, `jupyter_client script failed:\n${r.stderr.slice(-3000)}`);
  results = JSON.parse(readFileSync(file, "utf8"));
  return results!;
}
const of = (res: any, type: string) => res.outputs.filter((o: any) => o.msg_type === type).map((o: any) => o.content);

test("cells are type-checked by the project's TypeScript, not tslab's bundled 5.0.4", { skip }, () => {
  const res = results_();
  const projectTs = JSON.parse(readFileSync(join(root, "node_modules/typescript/package.json"), "utf8")).version;
  assert.equal(res.kernel_info.language_info.version, projectTs);
  // NoInfer arrived in TypeScript 5.4: the 5.0.4 fork says "Cannot find name 'NoInfer'".
  assert.equal(res.noinfer.reply.status, "ok", JSON.stringify(res.noinfer));
  assert.equal(of(res.noinfer, "execute_result")[0].data["text/plain"], "42");
});

test("a traceback names cell lines (Cell In[n], line k) and shows the failing line", { skip }, () => {
  const res = results_();
  const [err] = of(res.throw, "error");
  const tb = err.traceback.join("\n");
  assert.match(tb, /at f \(Cell In\[\d+\], line 6\)/, tb);
  assert.match(tb, /at Cell In\[\d+\], line 12/, tb);
  assert.match(tb, /----> 6 +throw new Error\("boom " \+ n\);/, tb);
  assert.doesNotMatch(tb, /exports\.|evalmachine/, "no converted code in the traceback");
  // A function of an earlier cell, called from line 3 of a later cell: both frames map to their own cells.
  const later = of(res.old_frame, "error")[0].traceback.join("\n");
  assert.match(later, /at f \(Cell In\[\d+\], line 6\)/, later);
  assert.match(later, /at Cell In\[\d+\], line 3/, later);
});

test("what a cell bound before it failed stays bound and typed; names it never reached do not exist", { skip }, () => {
  const res = results_();
  assert.equal(res.partial.reply.status, "ok", JSON.stringify(res.partial));
  assert.equal(of(res.partial, "execute_result")[0].data["text/plain"], "2");
  assert.equal(res.unreached.reply.status, "error");
  assert.match(res.unreached.reply.evalue, /Cannot find name 'unreached'/);
});

test("an aborted execute_reply carries no execution_count (ipykernel's rule)", { skip }, () => {
  const { aborted } = results_();
  assert.equal(aborted.status, "aborted");
  assert.equal("execution_count" in aborted, false, JSON.stringify(aborted));
});

test("inspect inside a call's parentheses answers with the callee's signature and docs", { skip }, () => {
  const res = results_();
  for (const k of ["call_open", "call_closed"]) {
    assert.equal(res[k].found, true, k);
    assert.match(res[k].data["text/plain"], /Math\.max\(\.\.\.values: number\[\]\): number/);
  }
  assert.equal(res.call_lib.found, true);
  assert.match(res.call_lib.data["text/plain"], /verifyAnswer\(gold: string, /);
});

test("input() sends input_request on stdin and returns the reply; it refuses when allow_stdin is false", { skip }, () => {
  const res = results_();
  const req = res.input.outputs.find((o: any) => o.msg_type === "input_request");
  assert.ok(req, JSON.stringify(res.input));
  assert.equal(req.content.prompt, "Your name? ");
  assert.equal(req.content.password, false);
  assert.equal(of(res.input, "execute_result")[0].data["text/plain"], "'ADA'");
  assert.equal(res.input_denied.reply.status, "error");
  assert.match(res.input_denied.reply.evalue, /allow_stdin: false/);
});

test("comm_info answers and an unknown comm_open is closed at once", { skip }, () => {
  const res = results_();
  assert.deepEqual(res.comm_info, { status: "ok", comms: {} });
  assert.deepEqual(res.comm_close, { comm_id: "c-1", data: {} });
});

test("a cell ending in a figure renders as Plotly, one ending in query rows as a table", { skip }, () => {
  const res = results_();
  const fig = of(res.figure, "execute_result")[0];
  assert.ok(fig, JSON.stringify(res.figure).slice(0, 2000));
  assert.ok(fig.data["application/vnd.plotly.v1+json"].data.length > 0);
  assert.match(fig.data["text/plain"], /^\[plot\]/);
  const rows = of(res.rows, "execute_result")[0];
  assert.ok(rows, JSON.stringify(res.rows).slice(0, 2000));
  assert.match(rows.data["text/html"], /<table[\s\S]*0\.75/);
});

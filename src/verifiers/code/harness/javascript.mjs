// rlvr-lab JavaScript code harness: the same two roles and wire protocol as harness/python.py.
//
//   judge      (trusted uid): reads /judge/spec.json, runs the tests, writes JSON records to fd 3.
//   candidate  (untrusted uid): runs the program, serves calls on fds 3 (requests) / 4 (replies).
//
// Values cross as tagged JSON built from plain data (null, booleans, numbers, strings, arrays, plain
// objects); anything else stays in the candidate and the judge holds a callable proxy that equals only
// itself. HumanEval style: `test` defines `check(candidate)`, run as ONE test (no JS parser here to split
// its statements); MBPP style: each `test_list` entry is one test. `assert` (node:assert) is in scope.
import fs from "node:fs";
import vm from "node:vm";
import assert from "node:assert";
import { createRequire } from "node:module";

// Scripts run with vm.runInThisContext see CommonJS `require` (programs and tests commonly use it).
globalThis.require = createRequire("/work/");
const KEYWORDS = new Set(
  "break case catch class const continue debugger default delete do else export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static enum await implements package protected interface private public arguments eval undefined NaN Infinity".split(" "),
);

const MAX_LINE = 32 << 20;

function lineReader(fd) {
  let buf = Buffer.alloc(0);
  return () => {
    for (;;) {
      const nl = buf.indexOf(10);
      if (nl >= 0) {
        const line = buf.subarray(0, nl).toString("utf8");
        buf = buf.subarray(nl + 1);
        return JSON.parse(line);
      }
      if (buf.length > MAX_LINE) throw new ProtocolError(`reply larger than ${MAX_LINE} bytes`);
      const chunk = Buffer.alloc(65536);
      let n;
      try {
        n = fs.readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        if (e.code === "EAGAIN") continue;
        throw new Gone(`channel error: ${e.message}`);
      }
      if (n === 0) throw new Gone("the program's process ended during the call (exit, crash, or a resource limit)");
      buf = Buffer.concat([buf, chunk.subarray(0, n)]);
    }
  };
}
const writeLine = (fd, obj) => fs.writeSync(fd, JSON.stringify(obj) + "\n");

class ProtocolError extends Error {}
class Gone extends Error {}
class HarnessLimit extends Error {}

function isPlainObject(x) {
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

function encNumber(x) {
  return Number.isFinite(x) ? x : { num: String(x) };
}

// ------------------------------------------------------------------ candidate
function candidate() {
  const read = lineReader(3);
  const refs = new Map();
  let nextRef = 1;
  const enc = (x, d = 0) => {
    if (d > 200) throw new Error("value nested too deep");
    if (x === null || typeof x === "boolean" || typeof x === "string") return x;
    if (typeof x === "number") return encNumber(x);
    if (x === undefined) return { u: 1 };
    if (typeof x === "bigint") return { bn: String(x) };
    if (Array.isArray(x)) return { l: Array.from(x, (v) => enc(v, d + 1)) };
    if (typeof x === "object" && isPlainObject(x)) return { o: Object.keys(x).map((k) => [k, enc(x[k], d + 1)]) };
    const h = nextRef++;
    refs.set(h, x);
    return { h, r: typeof x === "function" ? "function" : (x?.constructor?.name ?? typeof x) };
  };
  const dec = (x) => {
    if (x === null || typeof x !== "object") return x;
    if ("h" in x) return refs.get(x.h);
    if ("l" in x) return x.l.map(dec);
    if ("o" in x) return Object.fromEntries(x.o.map(([k, v]) => [k, dec(v)]));
    if ("u" in x) return undefined;
    if ("num" in x) return Number(x.num);
    if ("bn" in x) return BigInt(x.bn);
    throw new Error("unknown tag");
  };
  const reply = (obj) => writeLine(4, obj);
  class Exit extends Error {}
  process.exit = (code) => {
    throw new Exit(`the program called process.exit(${code ?? ""})`);
  };
  try {
    process.chdir("/work");
  } catch {}
  const msg = read();
  const run = (src, filename) => new vm.Script(src, { filename }).runInThisContext();
  if (msg.preamble) {
    try {
      run(msg.preamble, "<prompt>");
    } catch {}
  }
  let script;
  try {
    script = new vm.Script(msg.source, { filename: "<program>" });
  } catch (e) {
    return reply({ load: "syntax-error", msg: String(e && e.stack ? e.stack.split("\n").slice(0, 5).join("\n") : e) });
  }
  try {
    script.runInThisContext();
  } catch (e) {
    if (e instanceof Exit) return reply({ load: "exit", msg: `${e.message} before the tests ran` });
    return reply({ load: "exception", msg: String(e && e.stack ? e.stack.split("\n").slice(0, 6).join("\n") : e) });
  }
  reply({ load: "ok" });
  for (;;) {
    let req;
    try {
      req = read();
    } catch {
      return;
    }
    let out;
    try {
      if (req.op === "lookup") {
        let v = MISSING;
        if (/^[A-Za-z_$][\w$]*$/.test(req.name) && !KEYWORDS.has(req.name)) {
          try {
            v = vm.runInThisContext(`typeof ${req.name} === "undefined" ? ${JSON.stringify(MISSING)} : ${req.name}`);
          } catch {
            v = MISSING;
          }
        }
        out = v === MISSING ? { missing: req.name } : { ok: enc(v) };
      } else if (req.op === "call") {
        const f = refs.get(req.h);
        out = { ok: enc(f(...req.args.map(dec))) };
      } else if (req.op === "getattr") {
        out = { ok: enc(refs.get(req.h)[req.name]) };
      } else if (req.op === "setattr") {
        refs.get(req.h)[req.name] = dec(req.value);
        out = { ok: null };
      } else if (req.op === "construct") {
        const C = refs.get(req.h);
        out = { ok: enc(new C(...req.args.map(dec))) };
      } else if (req.op === "repr") {
        out = { ok: String(refs.get(req.h)).slice(0, 300) };
      } else out = { err: { type: "ProtocolError", msg: `unknown op ${req.op}` } };
    } catch (e) {
      out = { err: { type: e?.constructor?.name ?? "Error", msg: String(e?.message ?? e).slice(0, 2000) } };
    }
    reply(out);
  }
}
const MISSING = "\u0000rlvr-missing\u0000";

// ------------------------------------------------------------------ judge
function judge() {
  const spec = JSON.parse(fs.readFileSync("/judge/spec.json", "utf8"));
  const emit = (obj) => fs.writeSync(3, JSON.stringify(obj) + "\n");
  const read = lineReader(6);
  let gone = null;
  const rpc = (obj) => {
    if (gone) throw new Gone(gone);
    let r;
    try {
      writeLine(5, obj);
      r = read();
    } catch (e) {
      gone = e instanceof Gone ? e.message : `the program broke the harness channel: ${e.message}`;
      throw new Gone(gone);
    }
    if (r === null || typeof r !== "object" || !("ok" in r || "err" in r || "missing" in r)) {
      gone = "the program broke the harness channel (a reply that is not a value)";
      throw new Gone(gone);
    }
    if (r.err) {
      const e = new Error(String(r.err.msg ?? ""));
      e.name = String(r.err.type ?? "Error");
      throw e;
    }
    return r;
  };
  const refOf = new WeakMap();
  const remote = (h, kind) => {
    const target = function () {};
    const p = new Proxy(target, {
      apply: (_t, _this, args) => dec(rpc({ op: "call", h, args: args.map(enc) }).ok),
      construct: (_t, args) => dec(rpc({ op: "construct", h, args: args.map(enc) }).ok),
      get: (_t, name) => {
        if (typeof name === "symbol") return undefined;
        if (name === "then") return undefined;
        return dec(rpc({ op: "getattr", h, name }).ok);
      },
      set: (_t, name, value) => {
        if (typeof name === "symbol") return false;
        rpc({ op: "setattr", h, name, value: enc(value) });
        return true;
      },
      ownKeys: () => ["prototype"],
      getOwnPropertyDescriptor: (t, k) => Reflect.getOwnPropertyDescriptor(t, k),
    });
    refOf.set(p, h);
    return p;
  };
  const enc = (x, d = 0) => {
    if (d > 200) throw new HarnessLimit("test value nested too deep");
    if (x === null || typeof x === "boolean" || typeof x === "string") return x;
    if (typeof x === "number") return encNumber(x);
    if (x === undefined) return { u: 1 };
    if (typeof x === "bigint") return { bn: String(x) };
    if (refOf.has(x)) return { h: refOf.get(x) };
    if (Array.isArray(x)) return { l: Array.from(x, (v) => enc(v, d + 1)) };
    if (typeof x === "object" && isPlainObject(x)) return { o: Object.keys(x).map((k) => [k, enc(x[k], d + 1)]) };
    throw new HarnessLimit(`the harness cannot pass a ${typeof x} (${x?.constructor?.name ?? "?"}) from the tests to the program`);
  };
  const dec = (x, d = 0) => {
    if (d > 200) throw new Gone("the program returned a value nested too deep");
    if (x === null || typeof x === "boolean" || typeof x === "string") return x;
    if (typeof x === "number") return x;
    if (typeof x !== "object" || Array.isArray(x)) throw new Gone("the program broke the harness channel (bad value encoding)");
    if ("h" in x) return remote(Number(x.h), String(x.r ?? "?"));
    if ("l" in x && Array.isArray(x.l)) return x.l.map((v) => dec(v, d + 1));
    if ("o" in x && Array.isArray(x.o)) {
      const o = {};
      for (const [k, v] of x.o) Object.defineProperty(o, String(k), { value: dec(v, d + 1), enumerable: true, writable: true, configurable: true });
      return o;
    }
    if ("u" in x) return undefined;
    if ("num" in x && ["NaN", "Infinity", "-Infinity"].includes(x.num)) return Number(x.num);
    if ("bn" in x && /^-?\d+$/.test(String(x.bn))) return BigInt(x.bn);
    throw new Gone("the program broke the harness channel (unknown tag)");
  };

  const humaneval = spec.kind === "humaneval";
  const tests = humaneval ? [`check(${spec.entry_point})`] : spec.test_list.map((t) => t.trim());
  emit({ total: tests.length, tests });
  let first;
  try {
    writeLine(5, { source: spec.source, preamble: spec.preamble || "" });
    first = read();
  } catch (e) {
    return emit({ load: "process-ended", msg: "the program's process ended while it was loading (exit, crash, or a resource limit)" });
  }
  if (!first || first.load !== "ok") {
    const status = ["syntax-error", "exit", "exception"].includes(first?.load) ? first.load : "protocol";
    return emit({ load: status, msg: String(first?.msg ?? "the program broke the harness channel while loading").slice(0, 4000) });
  }
  globalThis.assert = assert;
  // Helpers the tests take from the prompt come from the judge's own run of it (the prompt is data, like the
  // tests); the binding loop below then skips them, so a program cannot redefine what the tests call.
  if (humaneval && spec.prompt) {
    try {
      vm.runInThisContext(spec.prompt, { filename: "<prompt>" });
    } catch {}
  }
  const text = humaneval ? spec.test : [spec.setup || "", ...spec.test_list].join("\n");
  const names = new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? []);
  if (humaneval) names.add(spec.entry_point);
  const bound = {};
  for (const name of names) {
    if ((name in globalThis || KEYWORDS.has(name)) && name !== spec.entry_point) continue;
    let r;
    try {
      r = rpc({ op: "lookup", name });
    } catch (e) {
      return emit({ load: "process-ended", msg: String(e.message) });
    }
    if ("ok" in r) bound[name] = dec(r.ok);
    else if (humaneval && name === spec.entry_point) return emit({ load: "missing", msg: `the program does not define ${name}` });
  }
  for (const [k, v] of Object.entries(bound)) globalThis[k] = v;
  const describe = (e) => (e instanceof Gone ? e.message : `${e?.name ?? "Error"}: ${e?.message ?? e}`);
  const runTest = (i, fn) => {
    emit({ begin: i });
    try {
      if (gone) throw new Gone(gone);
      fn();
      emit({ result: i, ok: true });
    } catch (e) {
      if (e instanceof HarnessLimit) throw e;
      emit({ result: i, ok: false, msg: describe(e).slice(0, 4000) });
    }
  };
  try {
    if (humaneval) {
      vm.runInThisContext(spec.test, { filename: "<tests>" });
      const check = vm.runInThisContext("check");
      runTest(0, () => check(bound[spec.entry_point]));
    } else {
      let setupError = null;
      if (spec.setup && spec.setup.trim()) {
        try {
          vm.runInThisContext(spec.setup, { filename: "<setup>" });
        } catch (e) {
          setupError = describe(e);
        }
      }
      spec.test_list.forEach((t, i) =>
        runTest(i, () => {
          if (setupError) throw new Error(`the setup code failed: ${setupError}`);
          vm.runInThisContext(t, { filename: `<test ${i + 1}>` });
        }),
      );
    }
  } catch (e) {
    return emit({ harness_error: e instanceof HarnessLimit ? e.message : `the test code failed outside any test: ${describe(e)}` });
  }
  emit({ done: true });
}

const role = process.argv[2];
if (role === "candidate") candidate();
else if (role === "judge") judge();
else {
  process.stderr.write("usage: harness.mjs (judge|candidate)\n");
  process.exitCode = 2;
}

// First contact with `rlvr`, as a new user meets it: every way of starting the command, stray words,
// files with a byte-order mark, hostile control characters, directories and empty files where a file is
// expected, misspelled fields and parameters, and kernel installs pointed at odd places. Every case runs the
// real command through node_modules/.bin/rlvr (tests/helpers/cli.ts).
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, REPO, binSkip, rlvr } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "rlvr-first-contact-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const BOM = "\uFEFF";
const ESC = "\x1b";
/** No raw C0 control character other than newline and tab reaches the terminal. */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

describe("rlvr through every way of starting it", { skip: binSkip }, () => {
  test("npx rlvr --help lists the commands (the bin symlink runs main)", () => {
    const r = spawnSync("npx", ["--no-install", "rlvr", "--help"], { cwd: REPO, encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /usage: rlvr <command>/);
    assert.match(r.stdout, /verify\s+verify completions/);
  });

  test("node_modules/.bin/rlvr run directly prints help and an unknown command exits 2", async () => {
    const ok = await rlvr(["--help"]);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /commands:\n\s+start/);
    const bad = await rlvr(["strat"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command "strat"/);
  });

  test("npm link into a scratch prefix puts a working rlvr on PATH (the global symlink chain)", async () => {
    // npm link: PREFIX/bin/rlvr -> ../lib/node_modules/rlvr-lab/dist/cli/main.js, and
    // PREFIX/lib/node_modules/rlvr-lab -> the checkout: two symlinks deep, run from another folder.
    // --ignore-scripts: `npm link` runs the package's `prepare` (tsc), which rewrites dist/ under every other test
    // that is spawning the CLI at that moment (an empty main.js mid-write ran nothing: empty stdout, exit 0).
    const prefix = join(dir, "prefix");
    const link = spawnSync("npm", ["link", "--no-audit", "--no-fund", "--ignore-scripts"], {
      cwd: REPO,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, npm_config_prefix: prefix },
    });
    assert.equal(link.status, 0, link.stderr);
    const r = await rlvr(["passk", "--k", "1"], {
      command: "rlvr",
      cwd: dir,
      input: '{"problem_id":"a","status":"correct"}\n',
      env: { PATH: `${join(prefix, "bin")}:${process.env.PATH}` },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1 {5}1\.0000/m);
  });

  test("node dist/cli/main.js works, and importing the module runs nothing", async () => {
    const r = await rlvr(["--help"], { command: process.execPath, prefixArgs: [join(REPO, "dist", "cli", "main.js")] });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /usage: rlvr/);
    const imp = spawnSync(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(join(REPO, "dist", "cli", "main.js"))}); console.log("imported")`], {
      encoding: "utf8",
    });
    assert.equal(imp.stdout.trim(), "imported", "the library import must not start the CLI");
  });
});

describe("stray positional arguments are errors in every command", { skip: binSkip }, () => {
  test("rlvr start quick refuses (exit 2), suggests --quick and starts nothing", async () => {
    const cwd = join(dir, "start-quick");
    mkdirSync(cwd);
    const r = await rlvr(["start", "quick"], { cwd });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unexpected argument "quick"; did you mean --quick\?/);
    assert.deepEqual(readdirSync(cwd), [], "no runs/ folder was created");
  });

  test("rlvr train with no --config refuses and says how to get one", async () => {
    const cwd = join(dir, "train-bare");
    mkdirSync(cwd);
    const r = await rlvr(["train"], { cwd });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /rlvr train needs --config file\.json \(rlvr train --print-config > my\.json/);
    assert.deepEqual(readdirSync(cwd), []);
  });

  for (const [args, pattern] of [
    [["train", "--config", "c.json", "extra"], /unexpected argument "extra"/],
    [["verify", "--task", "gsm8k", "data.jsonl"], /unexpected argument "data\.jsonl"; give the file with --in FILE/],
    [["passk", "verdicts.jsonl"], /unexpected argument "verdicts\.jsonl"; give the file with --in FILE/],
    [["sweep", "--endpoint", "http://127.0.0.1:9", "--model", "m", "--data", "d.jsonl", "--out", "o", "now"], /unexpected argument "now"/],
    [["serve", "8000"], /unexpected argument "8000"/],
    [["notebook", "run", "a.ipynb", "b.ipynb"], /unexpected argument "b\.ipynb"; it takes at most 1 notebook path/],
    [["kernel", "install", "user"], /Unexpected argument 'user'/i],
  ] as [string[], RegExp][]) {
    test(`rlvr ${args.join(" ")} exits 2`, async () => {
      const r = await rlvr(args, { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
    });
  }
});

describe("a UTF-8 byte-order mark on line 1 is accepted by every reader", { skip: binSkip }, () => {
  test("rlvr verify reads a BOM file and BOM stdin", async () => {
    const rec = JSON.stringify({ id: 1, gold: "18", completion: "3 × 6 = 18\n#### 18" });
    const p = file("bom-completions.jsonl", `${BOM}${rec}\n`);
    for (const run of [() => rlvr(["verify", "--task", "gsm8k", "--in", p]), () => rlvr(["verify", "--task", "gsm8k"], { input: `${BOM}${rec}\n` })]) {
      const r = await run();
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout.trim()).status, "correct");
    }
  });

  test("rlvr passk reads a BOM file", async () => {
    const p = file("bom-verdicts.jsonl", `${BOM}{"problem_id":"a","status":"correct"}\n{"problem_id":"a","status":"wrong"}\n`);
    const r = await rlvr(["passk", "--in", p, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout)["pass@k"]["1"].estimate, 0.5);
  });

  test("rlvr train --config reads a BOM file (its field is checked, so it was parsed)", async () => {
    const p = file("bom-config.json", `${BOM}{"stepz": 3}`);
    const r = await rlvr(["train", "--config", p], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /stepz/);
    assert.doesNotMatch(r.stderr, /JSON/);
  });
});

describe("control characters from input are escaped and long snippets cut", { skip: binSkip }, () => {
  // An OSC "set window title" sequence, then a colour change, in lines that are not valid JSON.
  const hostile = `${ESC}]0;pwned${"\x07"}{"id":1}\n{"problem_id":"${ESC}[31mred","status":"bogus"}\n`;

  test("rlvr passk prints \\e and \\x07 instead of the raw bytes", async () => {
    const r = await rlvr(["passk", "--in", file("hostile-verdicts.jsonl", hostile)]);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, RAW_CONTROL);
    assert.match(r.stderr, /hostile-verdicts\.jsonl:1: not valid JSON .*\\e\]0;pwned\\x07/);
  });

  test("rlvr verify and rlvr sweep escape the same line", async () => {
    const p = file("hostile-completions.jsonl", hostile);
    const v = await rlvr(["verify", "--task", "gsm8k", "--in", p]);
    assert.equal(v.code, 1);
    assert.doesNotMatch(v.stderr, RAW_CONTROL);
    assert.match(v.stderr, /\\e\]0;pwned/);
    const s = await rlvr(["sweep", "--endpoint", "http://127.0.0.1:9", "--model", "m", "--data", p, "--out", join(dir, "sweep-hostile")]);
    assert.equal(s.code, 1);
    assert.doesNotMatch(s.stderr, RAW_CONTROL);
    assert.match(s.stderr, /\\e\]0;pwned/);
  });

  test("a stratum label and a completion quoted by --explain are escaped, newlines kept where they are text", async () => {
    const v = file("esc-strata.jsonl", JSON.stringify({ problem_id: "a", status: "correct", level: `${ESC}]0;pwned\x07` }) + "\n");
    const p = await rlvr(["passk", "--in", v, "--by", "level"]);
    assert.equal(p.code, 0, p.stderr);
    assert.doesNotMatch(p.stdout, RAW_CONTROL);
    assert.match(p.stdout, /\\e\]0;pwned\\x07/);
    const c = file("esc-completion.jsonl", JSON.stringify({ id: "x", gold: "18", completion: `${ESC}[2J${ESC}]0;title\x07 so\n#### 18` }) + "\n");
    const e = await rlvr(["verify", "--task", "gsm8k", "--explain", "x", "--in", c]);
    assert.equal(e.code, 0, e.stderr);
    assert.doesNotMatch(e.stdout, RAW_CONTROL);
    assert.match(e.stdout, /\\(e|u\{1b\})\[2J/, "the explanation shows the escape sequence as text");
    assert.ok(e.stdout.split("\n").length > 3, "the explanation keeps its lines");
  });

  test("a 20,000-character bad line is quoted in at most a few hundred characters", async () => {
    const long = `{"problem_id": 1, "status": "${"x".repeat(20_000)}"}\n`;
    const r = await rlvr(["passk", "--in", file("long-line.jsonl", long)]);
    assert.equal(r.code, 1);
    const line = r.stderr.split("\n").find((l) => l.includes("long-line.jsonl:1"))!;
    assert.ok(line.length < 600, `reported in ${line.length} characters`);
    assert.match(line, /characters in all/);
  });
});

describe("file errors name the flag, the file and the fix", { skip: binSkip }, () => {
  const folder = join(dir, "a-folder");
  mkdirSync(folder);
  writeFileSync(join(folder, "verdicts.jsonl"), "");

  for (const [args, pattern] of [
    [["verify", "--task", "gsm8k", "--in", folder], /--in .*a-folder: is a directory, not a file \(give a JSONL file .* inside it, e\.g\. .*verdicts\.jsonl\)/],
    [["passk", "--in", folder], /--in .*a-folder: is a directory, not a file/],
    [["train", "--config", folder], /--config .*a-folder: is a directory, not a file/],
    [["notebook", "run", folder], /notebook .*a-folder: is a directory, not a file/],
    [["train", "--config", join(dir, "missing.json")], /--config .*missing\.json: no such file \(check the path/],
    [["sweep", "--endpoint", "http://127.0.0.1:9", "--model", "m", "--out", join(dir, "o"), "--data", folder], /--data .*a-folder: is a directory, not a file/],
    [["sweep", "--endpoint", "http://127.0.0.1:9", "--model", "m", "--out", join(dir, "o"), "--data", "nope.jsonl"], /--data nope\.jsonl: no such file/],
  ] as [string[], RegExp][]) {
    test(`rlvr ${args[0]} ${args.slice(1).join(" ").replace(dir, "…")}`, async () => {
      const r = await rlvr(args, { cwd: dir });
      assert.ok(r.code === 1 || r.code === 2, `exit ${r.code}`);
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /EISDIR|ENOENT|illegal operation/);
    });
  }

  test("verify --out a directory names --out and the fix", async () => {
    const r = await rlvr(["verify", "--task", "gsm8k", "--out", folder], { input: '{"id":1,"gold":"1","completion":"#### 1"}\n' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot write --out .*a-folder: is a directory, not a file \(give the verdict JSONL file to write inside it/);
    assert.doesNotMatch(r.stderr, /EISDIR/);
  });

  test("an empty --config or notebook is 'is empty', not 'Unexpected end of JSON input'", async () => {
    const empty = file("empty.json", "");
    for (const args of [["train", "--config", empty], ["notebook", "run", empty]]) {
      const r = await rlvr(args, { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /empty\.json: is empty/);
      assert.doesNotMatch(r.stderr, /Unexpected end of JSON input/);
    }
  });

  test("a --config with a syntax error gets its line and column", async () => {
    const r = await rlvr(["train", "--config", file("broken.json", '{\n  "steps": 3\n  "lr": 1e-3\n}')], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--config .*broken\.json: not valid JSON at line 3, column 3/);
  });

  test("passk --baseline with a missing file names --baseline and asks for the baseline's verdicts", async () => {
    const main = file("main-verdicts.jsonl", '{"problem_id":"a","status":"correct"}\n');
    const r = await rlvr(["passk", "--in", main, "--baseline", "nope.jsonl"], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--baseline nope\.jsonl: no such file .*give the verdict JSONL of the run to compare against/);
    assert.doesNotMatch(r.stderr, /omit --in/, "the --in advice does not fit --baseline");
  });
});

describe("passk --by a field no record has", { skip: binSkip }, () => {
  const p = join(dir, "by-verdicts.jsonl");
  writeFileSync(
    p,
    ['{"problem_id":"a","status":"correct","level":1}', '{"problem_id":"b","status":"wrong","metadata":{"level":2,"subject":"x"}}'].join("\n") + "\n",
  );

  test("a misspelled field fails (exit 2) with the fields that exist and the likely one", async () => {
    const r = await rlvr(["passk", "--in", p, "--by", "levle"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--by levle: no record has this field/);
    assert.match(r.stderr, /the records have: level, metadata\.level, metadata\.subject, problem_id, status/);
    assert.match(r.stderr, /did you mean --by level\?/);
    assert.equal(r.stdout, "", "no table that would show one (missing) stratum");
  });

  test("a field some records lack is a warning, and the table is printed", async () => {
    const r = await rlvr(["passk", "--in", p, "--by", "subject"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: --by subject: 1 of 2 records lack the field/);
    assert.match(r.stdout, /\(missing\)/);
  });
});

describe("notebook run --param must name a parameter of the notebook", { skip: binSkip }, () => {
  const nb = (cells: { source: string; tags?: string[] }[]) => ({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map((c) => ({ cell_type: "code", source: c.source, metadata: c.tags ? { tags: c.tags } : {}, outputs: [], execution_count: null })),
  });

  test("an undeclared name is refused before any kernel starts, listing the parameters", async () => {
    const p = file("params.ipynb", JSON.stringify(nb([{ source: "let n = 3; // rows\nconst seed = 1, label = \"a\";", tags: ["parameters"] }, { source: "n" }])));
    const r = await rlvr(["notebook", "run", p, "--param", "zzz=5", "--quiet"], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--param zzz: not declared in the "parameters" cell of .*params\.ipynb; its parameters are n, seed, label/);
    assert.ok(r.ms < 20_000);
    assert.ok(!existsSync(join(dir, "params.executed.ipynb")), "nothing was executed or written");
  });

  test("a notebook without a parameters cell refuses --param", async () => {
    const p = file("noparams.ipynb", JSON.stringify(nb([{ source: "let n = 3;" }])));
    const r = await rlvr(["notebook", "run", p, "--param", "n=5"], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /has no code cell tagged "parameters"/);
  });
});

describe("kernel install validates --name and --prefix", { skip: binSkip }, () => {
  const data = join(dir, "jupyter-data");
  const env = { JUPYTER_DATA_DIR: data };

  for (const name of ["..", ".", ".hidden", "a/b", "../../etc"]) {
    test(`--name ${JSON.stringify(name)} is refused and nothing is written`, async () => {
      const r = await rlvr(["kernel", "install", "--name", name], { env });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /a kernel name uses only letters, digits/);
      assert.ok(!existsSync(data), "nothing written under the Jupyter data dir");
    });
  }

  test("--prefix under /proc returns at once with an error (it used to hang)", async () => {
    const r = await rlvr(["kernel", "install", "--prefix", "/proc/x"], { env, timeoutMs: 30_000 });
    assert.equal(r.signal, null, "finished by itself");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--prefix \/proc\/x: no such folder/);
    const proc = await rlvr(["kernel", "install", "--prefix", "/proc/self"], { env, timeoutMs: 30_000 });
    assert.equal(proc.code, 2);
    assert.match(proc.stderr, /pseudo-filesystem/);
  });

  test("--prefix that is a file is refused; a real prefix gets PREFIX/share/jupyter/kernels/NAME", async () => {
    const f = file("not-a-prefix", "x");
    const bad = await rlvr(["kernel", "install", "--prefix", f], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is a file, not a folder/);
    const prefix = join(dir, "venv");
    mkdirSync(prefix);
    const ok = await rlvr(["kernel", "install", "--prefix", prefix, "--name", "rlvr-test"], { env });
    assert.equal(ok.code, 0, ok.stderr);
    const spec = JSON.parse(readFileSync(join(prefix, "share", "jupyter", "kernels", "rlvr-test", "kernel.json"), "utf8"));
    assert.equal(spec.language, "typescript");
  });
});

test("the bin link is the one the package declares", { skip: binSkip }, () => {
  const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
  assert.equal(pkg.bin.rlvr, "dist/cli/main.js");
  assert.ok(existsSync(BIN));
});

test("README says once, near the top, how to run rlvr after npm install", () => {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const setUp = readme.slice(readme.indexOf("## Set up"), readme.indexOf("\n## ", readme.indexOf("## Set up") + 1));
  assert.match(setUp, /`npx rlvr …`/);
  assert.match(setUp, /`npm link`/);
  assert.equal(readme.match(/npm link/g)!.length, 1, "said once");
});

test("README's list of what runs/<id>/ holds names every file a run writes", async () => {
  const { RUN_FILES } = await import("../../src/cli/start.js");
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const item = readme.slice(readme.indexOf("writes `runs/<id>/`"), readme.indexOf("and prints where"));
  for (const f of RUN_FILES) assert.ok(item.includes(`\`${f}${f.includes(".") ? "" : "/"}\``), `README's runs/<id>/ list names ${f}`);
});

test("missingByFieldMessage suggests only a close field name, and is silent when some record has the field", async () => {
  const { missingByFieldMessage } = await import("../../src/cli/byField.js");
  const fields = { records: 4, fields: ["metadata.subject", "problem_id", "status"] };
  assert.match(missingByFieldMessage("subjcet", fields, 4)!, /did you mean --by subject\?/);
  assert.doesNotMatch(missingByFieldMessage("difficulty", fields, 4)!, /did you mean/);
  assert.equal(missingByFieldMessage("level", { records: 3, fields: [] }, 4), null, "one record has it: a warning, not an error");
  assert.equal(missingByFieldMessage("level", { records: 0, fields: [] }, 4), null);
});

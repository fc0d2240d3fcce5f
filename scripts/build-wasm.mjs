#!/usr/bin/env node
// The policy's SIMD kernels: src/policy/wasm/assembly/*.ts (AssemblyScript) → src/policy/wasm/*.wasm, each in two
// variants: NAME.wasm imports the single-threaded backend's memory, NAME-shared.wasm the threaded build's shared memory.
//
//   node scripts/build-wasm.mjs           compile every module and write the .wasm next to its source (commit them)
//   node scripts/build-wasm.mjs --check   compile and fail if a committed .wasm differs (tests/policy/wasm-kernels.test.ts)
//   node scripts/build-wasm.mjs --copy    copy the committed .wasm into dist/policy/wasm/ (part of `npm run build`;
//                                         needs no compiler, so the package runs without AssemblyScript)
//
// The flags make a module that only borrows memory: it imports tfjs-wasm's memory (env.memory) and has no data
// segments, globals, start function or runtime, so instantiating it writes nothing into the backend's heap
// (checked below on every compile).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const wasmDir = join(root, "src/policy/wasm");
const sources = readdirSync(join(wasmDir, "assembly")).filter((f) => f.endsWith(".ts")).sort();
const ASC_FLAGS = ["-O3", "--noAssert", "--runtime", "stub", "--importMemory", "--use", "abort=", "--enable", "simd"];
// tfjs-wasm's threaded build makes its memory with maximum 4 GiB (65536 pages): an import must allow as much.
const VARIANTS = [
  { suffix: "", flags: [] },
  { suffix: "-shared", flags: ["--sharedMemory", "--maximumMemory", "65536", "--enable", "threads"] },
];
const targets = sources.flatMap((f) => VARIANTS.map((v) => ({ f, v, wasm: f.replace(/\.ts$/, `${v.suffix}.wasm`) })));

const mode = process.argv[2] ?? "build";
if (mode === "--copy") {
  mkdirSync(join(root, "dist/policy/wasm"), { recursive: true });
  for (const { wasm } of targets) copyFileSync(join(wasmDir, wasm), join(root, "dist/policy/wasm", wasm));
  process.exit(0);
}
if (mode !== "build" && mode !== "--check") {
  console.error(`build-wasm: unknown argument ${mode} (use --check or --copy, or nothing to build)`);
  process.exit(2);
}
const asc = (await import("assemblyscript/asc")).default;
let failed = 0;
for (const { f, v, wasm } of targets) {
  const outputs = {};
  const { error, stderr } = await asc.main([join("src/policy/wasm/assembly", f), "-o", "out.wasm", "-t", "out.wat", ...ASC_FLAGS, ...v.flags], {
    readFile: (name, baseDir) => {
      try {
        return readFileSync(join(baseDir, name), "utf8");
      } catch {
        return null;
      }
    },
    writeFile: (name, contents) => void (outputs[name] = contents),
    listFiles: () => [],
    baseDir: root,
  });
  if (error) {
    console.error(`build-wasm: ${wasm} did not compile: ${error.message}\n${stderr.toString()}`);
    process.exit(1);
  }
  const wat = String(outputs["out.wat"]);
  const forbidden = wat
    .split("\n")
    .filter((l) => /^\s*\((data|global|start|table|elem)\b/.test(l) || (/^\s*\(import\b/.test(l) && !/^\s*\(import "env" "memory" \(memory /.test(l)));
  if (forbidden.length) {
    console.error(`build-wasm: ${f} would write into the backend's memory or keep state: ${forbidden.join(" | ")}`);
    process.exit(1);
  }
  const bytes = Buffer.from(outputs["out.wasm"]);
  const target = join(wasmDir, wasm);
  if (mode === "--check") {
    let committed = null;
    try {
      committed = readFileSync(target);
    } catch {
      /* missing */
    }
    if (!committed || !committed.equals(bytes)) {
      console.error(`build-wasm: ${target} is not what ${f} compiles to; run node scripts/build-wasm.mjs and commit it`);
      failed++;
    } else console.log(`build-wasm: ${f} → ${wasm}, ${bytes.length} bytes, matches the committed module`);
  } else {
    writeFileSync(target, bytes);
    console.log(`build-wasm: ${f} → ${target} (${bytes.length} bytes)`);
  }
}
process.exit(failed ? 1 : 0);

/**
 * The `kernel_info_reply` content: who this kernel is and which language it speaks. Frontends use
 * `language_info` for syntax highlighting (`codemirror_mode`) and for the file extension when a
 * notebook is exported as a script.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PROTOCOL_VERSION } from "./wire.js";
import { compilerVersion } from "./typescriptForTslab.js";

const require = createRequire(import.meta.url);

function packageVersion(spec: string): string {
  try {
    return String(JSON.parse(readFileSync(require.resolve(spec), "utf8")).version);
  } catch {
    return "unknown";
  }
}

let cached: object | null = null;

export function kernelInfo(): object {
  if (cached) return cached;
  const own = packageVersion("../../package.json");
  const tsVersion = (() => {
    try {
      return compilerVersion(); // the TypeScript cells are checked with (./typescriptForTslab.ts)
    } catch {
      return "unknown";
    }
  })();
  cached = {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "rlvr-lab",
    implementation_version: own,
    language_info: {
      name: "typescript",
      version: tsVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      codemirror_mode: { name: "javascript", mode: "typescript", typescript: true },
    },
    banner: `rlvr-lab ${own} — TypeScript ${tsVersion} on Node ${process.version} (tslab ${packageVersion("tslab/package.json")})`,
    help_links: [],
    debugger: false,
  };
  return cached;
}

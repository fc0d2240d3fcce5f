/**
 * Client-side chat rendering for sweeps (`rlvr sweep --chat --tokenizer MODEL_DIR`): the model's own
 * tokenizer_config.json chat template renders each chat prompt (exactly as apply_chat_template,
 * src/hf/modelTokenizer.ts) and the sweep sends it as a raw prompt to /v1/completions — the way to test a
 * template, or to use servers whose chat endpoint applies a different one. Warnings, never errors:
 * - the template findings of src/hf/templateCheck.ts (chat template on a base model, pad == eos, stop strings
 *   that miss the end-of-turn token, missing generation prompt, doubled BOS), checked with the sweep's stop list;
 * - an endpoint whose /tokenizer_info (vLLM, `rlvr serve`) reports a different chat template or eos token
 *   than the folder: the server's tokenizer is not the one the prompts were rendered with.
 */
import type { ChatMessage } from "./chatTemplate.js";
import { describeNetworkError, getIdempotent } from "./client.js";

export interface ClientTemplate {
  name: string;
  chatTemplate: string;
  eosToken: string | null;
  render(messages: ChatMessage[]): string;
  warnings: string[];
}

export async function loadClientTemplate(dir: string, o: { modelKind?: "base" | "instruct"; stop: string[] }): Promise<ClientTemplate> {
  const [{ loadModelTokenizer }, { checkTemplate }] = await Promise.all([import("../hf/modelTokenizer.js"), import("../hf/templateCheck.js")]);
  const tok = loadModelTokenizer(dir);
  if (!tok.chatTemplate) throw new Error(`--tokenizer ${dir}: tokenizer_config.json has no chat_template, so --chat cannot render prompts; drop --chat (raw prompts) or give an instruct model's folder`);
  const warnings = checkTemplate(tok, { modelKind: o.modelKind, stop: o.stop })
    .filter((f) => f.severity !== "info")
    .map((f) => `--tokenizer ${tok.name}: ${f.id}: ${f.message}`);
  return { name: tok.name, chatTemplate: tok.chatTemplate, eosToken: tok.eosToken, render: (messages) => tok.render(messages, { addGenerationPrompt: true }), warnings };
}

/** Compare the endpoint's /tokenizer_info with the folder's template (silent when the endpoint has no such route). */
export async function compareServerTemplate(endpoint: string, tpl: ClientTemplate, timeoutMs: number): Promise<string | null> {
  const base = endpoint.replace(/\/+$/, "").replace(/\/v1$/, "");
  let info: { chat_template?: unknown; eos_token?: unknown };
  try {
    const r = await getIdempotent(`${base}/tokenizer_info`, timeoutMs);
    if (!r.ok) return null;
    info = (await r.json()) as typeof info;
  } catch (err) {
    return `${endpoint}/tokenizer_info did not answer (${(err as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : describeNetworkError(err)}); the served tokenizer could not be compared with --tokenizer ${tpl.name}`;
  }
  const diffs: string[] = [];
  if (typeof info.chat_template === "string" && info.chat_template !== tpl.chatTemplate) diffs.push("chat template");
  if (typeof info.eos_token === "string" && info.eos_token !== tpl.eosToken) diffs.push(`eos token (server ${JSON.stringify(info.eos_token)}, folder ${JSON.stringify(tpl.eosToken)})`);
  return diffs.length ? `${endpoint} serves a tokenizer that differs from --tokenizer ${tpl.name} in its ${diffs.join(" and ")}: prompts rendered with the folder's template are not what the served model expects` : null;
}

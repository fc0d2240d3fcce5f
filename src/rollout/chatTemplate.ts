/**
 * The server's own minimal chat template (it stands in for a model's Jinja template):
 *
 *   <|system|>\n{content}\n<|end|>\n<|user|>\n{content}\n<|end|>\n<|assistant|>\n
 *
 * Every message becomes `<|{role}|>\n{content}\n<|end|>\n`; with `addGenerationPrompt` (the default)
 * an open `<|assistant|>\n` turn follows, which is where the model's reply starts.
 */
import { z } from "zod";

export const ChatMessage = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** Render messages with the template above. */
export function applyChatTemplate(messages: ChatMessage[], options: { addGenerationPrompt?: boolean } = {}): string {
  let out = "";
  for (const m of messages) out += `<|${m.role}|>\n${m.content}\n<|end|>\n`;
  if (options.addGenerationPrompt ?? true) out += "<|assistant|>\n";
  return out;
}

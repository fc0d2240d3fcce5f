/** Public API of src/hf: Hugging Face interchange (GPT-2 folders, safetensors), real tokenizers and chat templates (docs/serve.md). */
export { exportHF, importHF, readNativeCheckpoint } from "./gpt2.js";
export { encodeSafetensors, decodeSafetensors, readSafetensors, writeSafetensors, type Tensor } from "./safetensors.js";
export { charTokenizerJson, charTokenizerConfig, CHAR_CHAT_TEMPLATE } from "./charTokenizer.js";
export { renderChatTemplate, type ChatTurn, type RenderOptions } from "./chatTemplate.js";
export { loadModelTokenizer, qwen3TokenizerDir, type ModelTokenizer } from "./modelTokenizer.js";
export { checkTemplate, type Finding as TemplateFinding, type CheckOptions as TemplateCheckOptions } from "./templateCheck.js";
export { padRight, labelsByPadId, labelsByLength, cutAtPad, IGNORE } from "./padMask.js";

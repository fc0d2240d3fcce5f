/**
 * HTML escaping for untrusted text. Model completions, prompts, gold answers and any user data go through
 * `escapeHtml` before they touch markup; JSON embedded in a `<script>` goes through `jsonForScript`.
 */

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

/** Escape text for element content and quoted attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON that is safe inside `<script>…</script>`: `<`, `>` and `&` become \u escapes (so `</script>` and
 * `<!--` in the data cannot end or comment out the script), as do U+2028/U+2029.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

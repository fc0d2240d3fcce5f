/**
 * CharTokenizer: one id per character of a fixed alphabet, plus three special ids.
 *
 * Id layout: 0 = PAD, 1 = BOS, 2 = EOS, 3.. = the alphabet's characters in order.
 * PAD is its own id and never the id of a real character (nor of EOS), unless `padChar` asks for the bug: then PAD
 * takes that character's id, and `decode` (which drops PAD, like Hugging Face's `skip_special_tokens`) drops the
 * character from every text — kept only to reproduce the pad-id collision (src/traces/reproRuns.ts). Tools that set `pad_token = eos_token`
 * (a common Hugging Face shortcut) and then mask every pad position also mask the real EOS, so the model
 * never learns to stop; keeping PAD distinct makes that bug impossible here. `decode` drops special ids.
 */

export interface CharTokenizerJSON {
  type: "char";
  alphabet: string;
  /** Present only when PAD shares a character's id (the pad-id collision bug). */
  padChar?: string;
}

export interface CharTokenizerOptions {
  /** Give PAD the id of this alphabet character instead of its own id 0 (the bug; for reproductions only). */
  padChar?: string;
}

/** Printable ASCII (space … ~) and newline: the default alphabet of the policy. */
export const DEFAULT_ALPHABET =
  "\n" + Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");

export class CharTokenizer {
  readonly padId: number;
  readonly padChar: string | undefined;
  readonly bosId = 1;
  readonly eosId = 2;
  readonly alphabet: string;
  private readonly toId: Map<string, number>;
  private readonly chars: string[];

  constructor(alphabet: string = DEFAULT_ALPHABET, options: CharTokenizerOptions = {}) {
    const chars = Array.from(alphabet);
    if (new Set(chars).size !== chars.length) throw new Error("CharTokenizer: alphabet has duplicate characters");
    if (chars.length === 0) throw new Error("CharTokenizer: alphabet is empty");
    this.alphabet = alphabet;
    this.chars = chars;
    this.toId = new Map(chars.map((c, i) => [c, i + 3]));
    const { padChar } = options;
    if (padChar !== undefined && !this.toId.has(padChar))
      throw new Error(`CharTokenizer: padChar ${JSON.stringify(padChar)} is not a character of the alphabet; pick one of it or leave padChar unset`);
    this.padChar = padChar;
    this.padId = padChar === undefined ? 0 : this.toId.get(padChar)!;
  }

  /** Number of ids: alphabet size + 3 special ids. */
  get vocabSize(): number {
    return this.toId.size + 3;
  }

  /** Characters → ids (no BOS/EOS added). Throws on a character outside the alphabet, naming it. */
  encode(s: string): number[] {
    const out: number[] = [];
    for (const c of s) {
      const id = this.toId.get(c);
      if (id === undefined) {
        throw new Error(`CharTokenizer.encode: character ${JSON.stringify(c)} is not in the alphabet`);
      }
      out.push(id);
    }
    return out;
  }

  /** `[bosId, ...encode(s)]`: the form every prompt given to `GPT.sample` / `tokenLogprobs` should take. */
  encodePrompt(s: string): number[] {
    return [this.bosId, ...this.encode(s)];
  }

  /** Ids → text; PAD/BOS/EOS and unknown ids are dropped (so is `padChar`'s character, which PAD's id then names). */
  decode(ids: readonly number[]): string {
    let s = "";
    for (const id of ids) if (id >= 3 && id - 3 < this.chars.length && id !== this.padId) s += this.chars[id - 3];
    return s;
  }

  /** Text of a single id (`<pad>`, `<bos>`, `<eos>` for specials), for debugging displays. */
  idToString(id: number): string {
    if (id === this.padId) return "<pad>";
    if (id === this.bosId) return "<bos>";
    if (id === this.eosId) return "<eos>";
    return this.decode([id]);
  }

  toJSON(): CharTokenizerJSON {
    return this.padChar === undefined ? { type: "char", alphabet: this.alphabet } : { type: "char", alphabet: this.alphabet, padChar: this.padChar };
  }

  static fromJSON(json: unknown): CharTokenizer {
    const j = json as Partial<CharTokenizerJSON> | null;
    if (!j || j.type !== "char" || typeof j.alphabet !== "string" || (j.padChar !== undefined && typeof j.padChar !== "string")) {
      throw new Error('CharTokenizer.fromJSON: expected { "type": "char", "alphabet": string, "padChar"?: string }');
    }
    return new CharTokenizer(j.alphabet, { padChar: j.padChar });
  }
}

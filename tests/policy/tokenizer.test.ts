import { test } from "node:test";
import assert from "node:assert/strict";
import { CharTokenizer, DEFAULT_ALPHABET } from "../../src/policy/tokenizer.js";

test("PAD, BOS and EOS are distinct ids that no character maps to", () => {
  const tok = new CharTokenizer();
  const specials = new Set([tok.padId, tok.bosId, tok.eosId]);
  assert.equal(specials.size, 3);
  const charIds = tok.encode(DEFAULT_ALPHABET);
  for (const id of charIds) assert.ok(!specials.has(id));
  assert.equal(new Set(charIds).size, DEFAULT_ALPHABET.length);
  assert.equal(tok.vocabSize, DEFAULT_ALPHABET.length + 3);
});

test("encode/decode round-trips text and decode drops special ids", () => {
  const tok = new CharTokenizer();
  const s = "Tom has 12 apples.\n#### 19";
  assert.equal(tok.decode(tok.encode(s)), s);
  assert.equal(tok.decode([tok.bosId, ...tok.encode("ab"), tok.eosId, tok.padId]), "ab");
  assert.deepEqual(tok.encodePrompt("a"), [tok.bosId, ...tok.encode("a")]);
  assert.equal(tok.decode([]), "");
  assert.equal(tok.idToString(tok.padId), "<pad>");
});

test("encode names a character outside the alphabet", () => {
  const tok = new CharTokenizer("abc");
  assert.throws(() => tok.encode("abé"), /"é" is not in the alphabet/);
});

test("toJSON/fromJSON round trip; bad JSON and duplicate alphabets are rejected", () => {
  const tok = new CharTokenizer("xyz\n");
  const back = CharTokenizer.fromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
  assert.deepEqual(back.encode("zy\nx"), tok.encode("zy\nx"));
  assert.throws(() => CharTokenizer.fromJSON({ type: "bpe" }), /expected/);
  assert.throws(() => new CharTokenizer("aa"), /duplicate/);
  assert.throws(() => new CharTokenizer(""), /empty/);
});

test("padChar (the pad-id collision bug) gives PAD that character's id, and decode then drops the character", () => {
  const ok = new CharTokenizer("ab0");
  assert.equal(ok.padId, 0);
  assert.equal(ok.decode(ok.encode("a0b")), "a0b");
  const bug = new CharTokenizer("ab0", { padChar: "0" });
  assert.equal(bug.padId, bug.encode("0")[0]);
  assert.equal(bug.decode(bug.encode("a0b00")), "ab");
  assert.equal(bug.idToString(bug.padId), "<pad>");
  const back = CharTokenizer.fromJSON(JSON.parse(JSON.stringify(bug.toJSON())));
  assert.equal(back.padId, bug.padId);
  assert.deepEqual(ok.toJSON(), { type: "char", alphabet: "ab0" }); // no padChar key when PAD has its own id
  assert.throws(() => new CharTokenizer("ab", { padChar: "0" }), /padChar "0" is not a character of the alphabet/);
  assert.throws(() => CharTokenizer.fromJSON({ type: "char", alphabet: "ab", padChar: 3 }), /expected/);
});

test("GPT config: padChar must be one character of the alphabet, and reaches the policy's tokenizer", async () => {
  const { parseGPTConfig } = await import("../../src/policy/config.js");
  assert.throws(() => parseGPTConfig({ alphabet: "abc", padChar: "z" }), /padChar: padChar must be one character of the alphabet/);
  assert.throws(() => parseGPTConfig({ alphabet: "abc", padChar: "ab" }), /padChar/);
  assert.equal(parseGPTConfig({ alphabet: "abc", padChar: "b" }).padChar, "b");
  assert.equal(parseGPTConfig({ alphabet: "abc" }).padChar, undefined);
});

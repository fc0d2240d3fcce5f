import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { cleanModelText, originalSpan } from "../../src/verifiers/text/index.js";

describe("cleanModelText: what a reader sees, with flags", () => {
  const rows: [input: string, cleaned: string, flags: string[]][] = [
    ["The answer is 18.", "The answer is 18.", []],
    ["Total: 1\u00A0234 and 5\u202F000 and 7\u2009000", "Total: 1234 and 5000 and 7000", ["text:unicode-space"]],
    ["It costs\u00A0$18 and\u202F18\u2009kg", "It costs $18 and 18 kg", ["text:unicode-space"]],
    ["The temperature is \u22125 degrees", "The temperature is -5 degrees", ["text:unicode-minus"]],
    ["#### \uFF11\uFF18", "#### 18", ["text:fullwidth-digit"]],
    ["#### \u200E18\u200F", "#### 18", ["text:direction-mark"]],
    ["#### 1\u200B8", "#### 18", ["text:zero-width"]],
    ["#### 18<!-- #### 20 -->", "#### 18", ["text:html-comment"]],
    ["The answer is 18 <!-- unclosed #### 20", "The answer is 18 ", ["text:html-comment"]],
    ["**Answer:** **81**", "Answer: 81", ["text:markdown-emphasis"]],
    ["So she has 14** apples", "So she has 14 apples", ["text:markdown-emphasis"]],
    ["The answer is *18*.", "The answer is 18.", ["text:markdown-emphasis"]],
    ["The answer is `18`.", "The answer is 18.", ["text:markdown-emphasis"]],
    ["3*4 = 12 and 2**3 = 8 and x_1", "3*4 = 12 and 2**3 = 8 and x_1", []],
    ["***42***", "42", ["text:markdown-emphasis"]],
    ["__18__", "18", ["text:markdown-emphasis"]],
  ];
  for (const [input, cleaned, flags] of rows) {
    test(`${JSON.stringify(input)} → ${JSON.stringify(cleaned)}`, () => {
      const c = cleanModelText(input);
      assert.equal(c.text, cleaned);
      assert.deepEqual(c.flags, flags);
      assert.equal(c.changed, cleaned !== input);
    });
  }

  test("markdown: false keeps asterisks and underscores (LaTeX input)", () => {
    assert.equal(cleanModelText("**81**", { markdown: false }).text, "**81**");
    assert.equal(cleanModelText("a<!--x-->b", { htmlComments: false }).text, "a<!--x-->b");
  });

  test("spans of the cleaned text map back onto the original characters", () => {
    const input = "**Answer:** \u200B**1\u200B8**\u00A0dollars";
    const c = cleanModelText(input);
    const at = c.text.indexOf("18");
    const [s, e] = originalSpan(c, [at, at + 2]);
    assert.equal(input.slice(s, e), "1\u200B8");
    const d = c.text.indexOf("dollars");
    const [ds, de] = originalSpan(c, [d, d + 7]);
    assert.equal(input.slice(ds, de), "dollars");
  });

  test("an unchanged text is returned as is with the identity map", () => {
    const input = "She has 3 * 4 = 12 apples.";
    const c = cleanModelText(input);
    assert.equal(c.text, input);
    assert.equal(c.toOriginal(5), 5);
    assert.deepEqual(originalSpan(c, [2, 4]), [2, 4]);
  });
});

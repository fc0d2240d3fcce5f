import { test } from "node:test";
import assert from "node:assert/strict";
import { parseVerdictLine } from "../../src/stats/verdictLine.js";

const ok = (text: string, by?: string) => {
  const r = parseVerdictLine(text, by);
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
};
const err = (text: string, by?: string) => {
  const r = parseVerdictLine(text, by);
  assert.ok(!r.ok, `expected an error for ${text}`);
  return r.error;
};

test("parseVerdictLine counts only status \"correct\" as correct", () => {
  assert.deepEqual(ok('{"problem_id":"a","status":"correct"}'), { problem_id: "a", correct: true });
  for (const s of ["wrong", "unparseable", "timeout", "error"]) assert.equal(ok(`{"problem_id":"a","status":"${s}"}`).correct, false);
});

test("parseVerdictLine accepts a boolean correct and numeric problem ids", () => {
  assert.deepEqual(ok('{"problem_id":7,"correct":true}'), { problem_id: "7", correct: true });
  assert.equal(ok('{"problem_id":"a","correct":false,"status":"wrong"}').correct, false);
});

test("parseVerdictLine reads the stratum at top level first, then under metadata", () => {
  assert.equal(ok('{"problem_id":"a","correct":true,"level":3,"metadata":{"level":5}}', "level").stratum, "3");
  assert.equal(ok('{"problem_id":"a","correct":true,"metadata":{"subject":"algebra"}}', "subject").stratum, "algebra");
  assert.equal(ok('{"problem_id":"a","correct":true}', "subject").stratum, null);
  assert.equal(ok('{"problem_id":"a","correct":true,"hard":false}', "hard").stratum, "false");
});

test("parseVerdictLine names the offending field", () => {
  assert.deepEqual(err("not json").field, "");
  assert.deepEqual(err("[1,2]").field, "");
  assert.deepEqual(err("null").field, "");
  assert.equal(err('{"status":"correct"}').field, "problem_id");
  assert.equal(err('{"problem_id":"","status":"correct"}').field, "problem_id");
  assert.equal(err('{"problem_id":{"x":1},"status":"correct"}').field, "problem_id");
  assert.equal(err('{"problem_id":"a"}').field, "status");
  assert.equal(err('{"problem_id":"a","status":"Correct"}').field, "status");
  assert.equal(err('{"problem_id":"a","correct":"yes"}').field, "correct");
  assert.equal(err('{"problem_id":"a","correct":true,"status":"wrong"}').field, "correct");
  assert.equal(err('{"problem_id":"a","correct":true,"metadata":{"level":[1]}}', "level").field, "metadata.level");
  assert.equal(err('{"problem_id":"a","correct":true,"level":{}}', "level").field, "level");
  assert.match(err('{"problem_id":"a"}').message, /need "status"/);
});

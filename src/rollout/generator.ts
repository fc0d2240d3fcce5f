/**
 * The deterministic synthetic "model" behind the project's OpenAI-compatible server.
 *
 * It reads the last question in a prompt and writes a chain of thought that ends in `#### N` (GSM8K
 * style) or `$\boxed{N}$` (MATH style). The answer is known when the question contains an arithmetic
 * expression (evaluated step by step, see arithmetic.ts) or when the server was given an answer key.
 *
 * Each prompt has its own probability of being answered correctly, drawn once from its text:
 *
 *   u = hashSeed("difficulty", question) / 2^32,  p = u^((1 − m)/m)    (E[p] = m = options.accuracy)
 *
 * so a sweep sees easy and hard prompts and pass@k rises with k in a non-trivial way. A sample is
 * correct with the temperature-adjusted probability of that two-outcome distribution,
 * p_T = p^(1/T) / (p^(1/T) + (1 − p)^(1/T)), after a nucleus (top_p) cut: if max(p_T, 1 − p_T) ≥ top_p
 * only the likelier outcome remains. T = 0 is greedy (correct iff p ≥ 0.5; every sample identical).
 * The random stream of a sample is `createRng(hashSeed(seed, prompt, sampleIndex))`: same request seed,
 * same prompt and same index give the same text; different prompts never share a stream.
 *
 * Raw completions behave like a base model: after the answer they keep going with an invented next
 * question, so without stop sequences they run into max_tokens (finish_reason "length").
 */
import { createRng, hashSeed, type Rng } from "../stats/rng.js";
import { findExpression, formatNumber } from "./arithmetic.js";

export interface GenerateRequest {
  /** The full prompt text (chat requests arrive already templated). */
  prompt: string;
  kind: "completion" | "chat";
  model: string;
  /** One seed per sample; its length is the request's `n`. */
  seeds: number[];
  temperature: number;
  topP: number;
  maxTokens: number;
  stop: string[];
  logprobs: boolean;
}

export interface GeneratedSample {
  /** Generated text; the server still applies `stop` and `max_tokens` to it. */
  text: string;
  /** "stop" when the model ended on its own; the server turns over-long text into "length". */
  finishReason: "stop" | "length";
  /** Optional tokenisation of `text` (defaults to whitespace-led words). */
  tokens?: string[];
  /** Optional per-token log-probabilities aligned with `tokens`. */
  logprobs?: number[];
}

/** The hook a real policy implements to be served (e.g. the tiny tfjs GPT). */
export type GenerateFn = (request: GenerateRequest) => GeneratedSample[] | Promise<GeneratedSample[]>;

export interface SyntheticOptions {
  /** Mean per-prompt probability of a correct answer, m in the module formula (0..1). */
  accuracy?: number;
  /** Probability that a sample states its answer without the `####`/boxed marker. */
  formatErrorRate?: number;
  /** Most filler reasoning sentences a sample may add (drives completion length). */
  verbosity?: number;
  /** Answer key: question text (whitespace-normalised) → gold answer. */
  answers?: Map<string, string>;
}

const FILLER = [
  "First, let me restate what is given.",
  "I will keep track of each quantity carefully.",
  "Let me double-check the arithmetic as I go.",
  "Breaking the problem into smaller parts makes it easier.",
  "Each step uses the result of the previous one.",
  "Units stay the same throughout, so I can just combine the numbers.",
];

/** Whitespace-normalised question text, the answer-key lookup key. */
export function normalizeQuestion(q: string): string {
  return q.replace(/\s+/g, " ").trim();
}

/** Find the last question in a prompt: after the last `Question:`/`Q:`/`Problem:` marker or the last user turn. */
export function lastQuestion(prompt: string): { question: string; marker: [string, string] } {
  const user = prompt.lastIndexOf("<|user|>\n");
  let text = user >= 0 ? prompt.slice(user + 9).split("<|end|>")[0] : prompt;
  const markers: [string, string][] = [["Question:", "Answer:"], ["Q:", "A:"], ["Problem:", "Solution:"]];
  let best = -1;
  let marker: [string, string] = ["Question:", "Answer:"];
  for (const m of markers) {
    const at = text.lastIndexOf(m[0]);
    if (at > best) [best, marker] = [at, m];
  }
  if (best >= 0) text = text.slice(best + marker[0].length);
  const end = text.lastIndexOf(`\n${marker[1]}`);
  if (end >= 0) text = text.slice(0, end);
  return { question: text.trim(), marker };
}

/** Per-prompt probability of a correct answer (module formula). */
export function promptAccuracy(question: string, accuracy: number): number {
  if (accuracy >= 1) return 1;
  if (accuracy <= 0) return 0;
  const u = (hashSeed("difficulty", normalizeQuestion(question)) + 0.5) / 2 ** 32;
  return u ** ((1 - accuracy) / accuracy);
}

/** Probability of the correct outcome after temperature T and nucleus top_p on {correct: p, wrong: 1 − p}. */
export function temperedAccuracy(p: number, temperature: number, topP: number): number {
  if (temperature <= 0) return p >= 0.5 ? 1 : 0;
  const a = p ** (1 / temperature);
  const b = (1 - p) ** (1 / temperature);
  const pt = a + b === 0 ? (p >= 0.5 ? 1 : 0) : a / (a + b);
  if (Math.max(pt, 1 - pt) >= topP) return pt >= 0.5 ? 1 : 0;
  return pt;
}

function wrongAnswer(gold: string, rng: Rng): string {
  const x = Number(gold.replace(/,/g, ""));
  const deltas = [1, -1, 2, 10, -3];
  if (Number.isFinite(x) && gold.trim() !== "") return formatNumber(x + deltas[Math.floor(rng() * deltas.length)]);
  return `${gold}+1`;
}

function oneSample(question: string, marker: [string, string], req: GenerateRequest, i: number, o: Required<Omit<SyntheticOptions, "answers">> & SyntheticOptions): GeneratedSample {
  const greedy = req.temperature <= 0;
  const rng = createRng(hashSeed(greedy ? "greedy" : req.seeds[i], req.prompt, greedy ? 0 : i));
  const math = /\\boxed|Problem:/.test(req.prompt);
  const evaluation = findExpression(question);
  const keyed = o.answers?.get(normalizeQuestion(question));
  const gold = keyed ?? (evaluation ? formatNumber(evaluation.value) : null);
  const lines = ["Let's think step by step."];
  const fillers = Math.floor(rng() * (o.verbosity + 1));
  for (let k = 0; k < fillers; k++) lines.push(FILLER[Math.floor(rng() * FILLER.length)]);
  let answer: string;
  if (gold === null) {
    // Unknown question: add up the numbers it mentions (a plausible but unverified answer).
    const nums = (question.match(/\d+(?:\.\d+)?/g) ?? []).map(Number);
    const sum = nums.reduce((s, v) => s + v, 0);
    lines.push(nums.length ? `Adding the numbers ${nums.join(", ")} gives ${formatNumber(sum)}.` : "There are no numbers to work with.");
    answer = formatNumber(sum);
  } else {
    const correct = rng() < temperedAccuracy(promptAccuracy(question, o.accuracy), req.temperature, req.topP);
    answer = correct ? gold : wrongAnswer(gold, rng);
    if (evaluation && keyed === undefined) {
      const steps = evaluation.steps.slice();
      if (!correct && steps.length > 0) steps[steps.length - 1] = steps[steps.length - 1].replace(/= [^=]+$/, `= ${answer}`);
      for (const s of steps) lines.push(`${s}.`);
    } else {
      lines.push(`Working through the quantities gives ${answer}.`);
    }
  }
  const formatError = rng() < o.formatErrorRate;
  if (formatError) lines.push(`The answer is ${answer}.`);
  else if (math) lines.push(`The final answer is $\\boxed{${answer}}$.`);
  else lines.push(`#### ${answer}`);
  let text = (req.kind === "chat" ? "" : " ") + lines.join("\n");
  if (req.kind === "completion") {
    // A base model does not stop after its answer: it invents the next few-shot turn.
    const a = 2 + Math.floor(rng() * 50);
    const b = 2 + Math.floor(rng() * 50);
    text += `\n\n${marker[0]} A farmer has ${a} cows and buys ${b} more. How many cows does the farmer have now?\n${marker[1]} The farmer has ${a} + ${b} = ${a + b} cows. ${FILLER.join(" ")}\n#### ${a + b}`;
  }
  return { text, finishReason: "stop" };
}

/** Build the synthetic generator (a `GenerateFn`). */
export function syntheticGenerator(options: SyntheticOptions = {}): GenerateFn {
  const o = { accuracy: options.accuracy ?? 0.6, formatErrorRate: options.formatErrorRate ?? 0.05, verbosity: options.verbosity ?? 4, answers: options.answers };
  return (req) => {
    const { question, marker } = lastQuestion(req.prompt);
    return req.seeds.map((_, i) => oneSample(question, marker, req, i, o));
  };
}

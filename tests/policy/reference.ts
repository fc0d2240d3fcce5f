/** Plain-JS reference GPT forward (float64) over a GPT's weights, for checking the tfjs implementation. */
import type { GPT } from "../../src/policy/gpt.js";

type Mat = number[][];

function get(model: GPT, name: string): { data: Float32Array; shape: number[] } {
  const v = model.params.get(name)!;
  return { data: v.dataSync() as Float32Array, shape: v.shape };
}
function mat(model: GPT, name: string): Mat {
  const { data, shape } = get(model, name);
  return Array.from({ length: shape[0] }, (_, i) => Array.from(data.subarray(i * shape[1], (i + 1) * shape[1])));
}
function vec(model: GPT, name: string): number[] {
  return Array.from(get(model, name).data);
}
function mm(x: number[], w: Mat): number[] {
  const out = new Array(w[0].length).fill(0);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < out.length; j++) out[j] += x[i] * w[i][j];
  return out;
}
function ln(x: number[], g: number[], b: number[]): number[] {
  const mean = x.reduce((a, c) => a + c, 0) / x.length;
  const v = x.reduce((a, c) => a + (c - mean) ** 2, 0) / x.length;
  return x.map((c, i) => ((c - mean) / Math.sqrt(v + 1e-5)) * g[i] + b[i]);
}
export function refLogSoftmax(z: number[]): number[] {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((a, c) => a + Math.exp(c - m), 0));
  return z.map((c) => c - lse);
}

/** logits [T][V] for one sequence (no LoRA). */
export function referenceLogits(model: GPT, tokens: number[]): number[][] {
  const { nLayer, nHead: H, nEmbd: C } = model.config;
  const D = C / H;
  const wte = mat(model, "wte");
  const wpe = mat(model, "wpe");
  let x = tokens.map((t, p) => wte[t].map((v, c) => v + wpe[p][c]));
  for (let l = 0; l < nLayer; l++) {
    const u = x.map((r) => ln(r, vec(model, `h${l}.ln1.g`), vec(model, `h${l}.ln1.b`)));
    const bqkv = vec(model, `h${l}.attn.bqkv`);
    const qkv = u.map((r) => mm(r, mat(model, `h${l}.attn.wqkv`)).map((v, j) => v + bqkv[j]));
    const y = x.map(() => new Array(C).fill(0));
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < x.length; i++) {
        const q = qkv[i].slice(h * D, (h + 1) * D);
        const scores = [];
        for (let j = 0; j <= i; j++) {
          const k = qkv[j].slice(C + h * D, C + (h + 1) * D);
          scores.push(q.reduce((a, c, d) => a + c * k[d], 0) / Math.sqrt(D));
        }
        const p = refLogSoftmax(scores).map(Math.exp);
        for (let j = 0; j <= i; j++) for (let d = 0; d < D; d++) y[i][h * D + d] += p[j] * qkv[j][2 * C + h * D + d];
      }
    }
    const bproj = vec(model, `h${l}.attn.bproj`);
    x = x.map((r, i) => mm(y[i], mat(model, `h${l}.attn.wproj`)).map((v, j) => r[j] + v + bproj[j]));
    const bfc = vec(model, `h${l}.mlp.bfc`);
    const bp2 = vec(model, `h${l}.mlp.bproj`);
    x = x.map((r) => {
      const m = mm(ln(r, vec(model, `h${l}.ln2.g`), vec(model, `h${l}.ln2.b`)), mat(model, `h${l}.mlp.wfc`)).map((v, j) => v + bfc[j]);
      const g = m.map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))));
      return mm(g, mat(model, `h${l}.mlp.wproj`)).map((v, j) => r[j] + v + bp2[j]);
    });
  }
  return x.map((r) => mm(ln(r, vec(model, "lnf.g"), vec(model, "lnf.b")), mat(model, "head.w")));
}

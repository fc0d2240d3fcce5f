// AssemblyScript (not TypeScript): compiled to src/policy/wasm/kernels.wasm and kernels-shared.wasm by
// scripts/build-wasm.mjs (the committed modules are checked against this source by tests/policy/wasm-kernels.test.ts).
//
// Float32 kernels that run *inside the tfjs-wasm backend's own memory*: the module imports it as env.memory and
// allocates nothing (no data segments, heap, globals or start function), so a kernel reads its inputs and writes
// its outputs at the byte offsets tfjs gave those tensors, with no copies. src/policy/wasmKernels.ts registers
// them with tfjs: every matmul (`bmmRows`, `bmmDots`; tfjs-wasm ran batched ones through a scalar loop at
// ~3 GFLOP/s), axis-0 gathers and their gradient (`gatherRows`, `scatterAddRows`), the shared-prefix attention
// of the training passes (`attnForward`, `attnBackward`: src/policy/attention.ts) and a whole KV-cache decoding
// step (`decodeStep`: src/policy/decode.ts).
//
// Matmul:
//   C[z, i, j] = Σ_k A(z, i, k) · B(z, k, j)        C contiguous [Z, M, N]
//
// `bmmRows`: B(z, k, j) at b + z·sBz + (k·N + j)·4 (rows of B contiguous in j), A(z, i, k) at
// a + z·sAz + i·sAi + k·sAk — strides in bytes, so the same kernel serves A and Aᵀ (transposeA).
// Tiles of 4 rows × 8 columns (8 f32x4 accumulators), then 4-column and scalar tails, then single rows.
// `bmmDots`: B stored transposed, Bᵀ(z, j, k) at b + z·sBz + (j·K + k)·4 and A(z, i, k) at a + z·sAz + (i·K + k)·4
// (both contiguous in k): every C element is a SIMD dot product (queries · keys in the KV-cache sampler).
// bmmRows sums over k in increasing order; bmmDots sums 4 lanes of k ≡ 0…3 (mod 4) separately, then the lanes.

@inline function tile4x8(a: usize, sAi: usize, sAk: usize, b: usize, ldb: usize, c: usize, ldc: usize, K: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let pa = a;
  let pb = b;
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = f32x4.splat(load<f32>(pa));
    const a1 = f32x4.splat(load<f32>(pa + sAi));
    const a2 = f32x4.splat(load<f32>(pa + 2 * sAi));
    const a3 = f32x4.splat(load<f32>(pa + 3 * sAi));
    c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    pa += sAk;
    pb += ldb;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

@inline function tile4x4(a: usize, sAi: usize, sAk: usize, b: usize, ldb: usize, c: usize, ldc: usize, K: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let pa = a;
  let pb = b;
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<f32>(pa)), b0));
    c1 = f32x4.add(c1, f32x4.mul(f32x4.splat(load<f32>(pa + sAi)), b0));
    c2 = f32x4.add(c2, f32x4.mul(f32x4.splat(load<f32>(pa + 2 * sAi)), b0));
    c3 = f32x4.add(c3, f32x4.mul(f32x4.splat(load<f32>(pa + 3 * sAi)), b0));
    pa += sAk;
    pb += ldb;
  }
  v128.store(c, c0);
  v128.store(c + ldc, c1);
  v128.store(c + 2 * ldc, c2);
  v128.store(c + 3 * ldc, c3);
}

/** One row of C: 8-, 4-column vector blocks, then scalar columns. */
@inline function row1(a: usize, sAk: usize, b: usize, ldb: usize, c: usize, K: i32, N: i32): void {
  let j = 0;
  for (; j + 8 <= N; j += 8) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
    let pa = a;
    let pb = b + (<usize>j << 2);
    for (let k = 0; k < K; k++) {
      const av = f32x4.splat(load<f32>(pa));
      c0 = f32x4.add(c0, f32x4.mul(av, v128.load(pb)));
      c1 = f32x4.add(c1, f32x4.mul(av, v128.load(pb, 16)));
      pa += sAk;
      pb += ldb;
    }
    v128.store(c + (<usize>j << 2), c0);
    v128.store(c + (<usize>j << 2), c1, 16);
  }
  for (; j + 4 <= N; j += 4) {
    let c0 = f32x4.splat(0);
    let pa = a;
    let pb = b + (<usize>j << 2);
    for (let k = 0; k < K; k++) {
      c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<f32>(pa)), v128.load(pb)));
      pa += sAk;
      pb += ldb;
    }
    v128.store(c + (<usize>j << 2), c0);
  }
  for (; j < N; j++) {
    let s: f32 = 0;
    let pa = a;
    let pb = b + (<usize>j << 2);
    for (let k = 0; k < K; k++) {
      s += load<f32>(pa) * load<f32>(pb);
      pa += sAk;
      pb += ldb;
    }
    store<f32>(c + (<usize>j << 2), s);
  }
}

export function bmmRows(
  a: usize, b: usize, c: usize, Z: i32, M: i32, K: i32, N: i32,
  sAz: usize, sAi: usize, sAk: usize, sBz: usize,
): void {
  const ldb = <usize>N << 2;
  const ldc = <usize>N << 2;
  for (let z = 0; z < Z; z++) {
    const az = a + <usize>z * sAz;
    const bz = b + <usize>z * sBz;
    const cz = c + <usize>z * (<usize>M * ldc);
    // Column strips outside, row blocks inside: a strip of B (K × 8 floats) stays in cache for every row block
    // (with the rows outside, a large-K product such as Xᵀ·dY re-read all of B from memory per row block).
    const M4 = M & ~3;
    let j = 0;
    for (; j + 8 <= N; j += 8)
      for (let i = 0; i < M4; i += 4) tile4x8(az + <usize>i * sAi, sAi, sAk, bz + (<usize>j << 2), ldb, cz + <usize>i * ldc + (<usize>j << 2), ldc, K);
    for (; j + 4 <= N; j += 4)
      for (let i = 0; i < M4; i += 4) tile4x4(az + <usize>i * sAi, sAi, sAk, bz + (<usize>j << 2), ldb, cz + <usize>i * ldc + (<usize>j << 2), ldc, K);
    for (; j < N; j++) // scalar tail columns of the 4-row blocks
      for (let i = 0; i < M4; i++) {
        let s: f32 = 0;
        let pa = az + <usize>i * sAi;
        let pb = bz + (<usize>j << 2);
        for (let k = 0; k < K; k++) {
          s += load<f32>(pa) * load<f32>(pb);
          pa += sAk;
          pb += ldb;
        }
        store<f32>(cz + <usize>i * ldc + (<usize>j << 2), s);
      }
    let i = M4;
    for (; i < M; i++) row1(az + <usize>i * sAi, sAk, bz, ldb, cz + <usize>i * ldc, K, N);
  }
}

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Scalar tail of a dot product: Σ_{k ≥ k0} a[k] b[k]. */
@inline function dotTail(a: usize, b: usize, k0: i32, K: i32): f32 {
  let s: f32 = 0;
  for (let k = k0; k < K; k++) s += load<f32>(a + (<usize>k << 2)) * load<f32>(b + (<usize>k << 2));
  return s;
}

export function bmmDots(a: usize, b: usize, c: usize, Z: i32, M: i32, K: i32, N: i32, sAz: usize, sBz: usize): void {
  const rowBytes = <usize>K << 2;
  const ldc = <usize>N << 2;
  const K4 = K & ~3;
  for (let z = 0; z < Z; z++) {
    const az = a + <usize>z * sAz;
    const bz = b + <usize>z * sBz;
    const cz = c + <usize>z * (<usize>M * ldc);
    let i = 0;
    // 2 rows of A × 4 rows of Bᵀ at a time: 8 accumulators on 6 loads per 4 k.
    for (; i + 2 <= M; i += 2) {
      const a0 = az + <usize>i * rowBytes;
      const a1 = a0 + rowBytes;
      const c0 = cz + <usize>i * ldc;
      let j = 0;
      for (; j + 4 <= N; j += 4) {
        const b0 = bz + <usize>j * rowBytes;
        const b1 = b0 + rowBytes, b2 = b1 + rowBytes, b3 = b2 + rowBytes;
        let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
        let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
        for (let k = 0; k < K4; k += 4) {
          const o = <usize>k << 2;
          const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
          const y0 = v128.load(b0 + o), y1 = v128.load(b1 + o), y2 = v128.load(b2 + o), y3 = v128.load(b3 + o);
          s00 = f32x4.add(s00, f32x4.mul(x0, y0)); s01 = f32x4.add(s01, f32x4.mul(x0, y1));
          s02 = f32x4.add(s02, f32x4.mul(x0, y2)); s03 = f32x4.add(s03, f32x4.mul(x0, y3));
          s10 = f32x4.add(s10, f32x4.mul(x1, y0)); s11 = f32x4.add(s11, f32x4.mul(x1, y1));
          s12 = f32x4.add(s12, f32x4.mul(x1, y2)); s13 = f32x4.add(s13, f32x4.mul(x1, y3));
        }
        const o = <usize>j << 2;
        store<f32>(c0 + o, hsum(s00) + dotTail(a0, b0, K4, K));
        store<f32>(c0 + o + 4, hsum(s01) + dotTail(a0, b1, K4, K));
        store<f32>(c0 + o + 8, hsum(s02) + dotTail(a0, b2, K4, K));
        store<f32>(c0 + o + 12, hsum(s03) + dotTail(a0, b3, K4, K));
        store<f32>(c0 + ldc + o, hsum(s10) + dotTail(a1, b0, K4, K));
        store<f32>(c0 + ldc + o + 4, hsum(s11) + dotTail(a1, b1, K4, K));
        store<f32>(c0 + ldc + o + 8, hsum(s12) + dotTail(a1, b2, K4, K));
        store<f32>(c0 + ldc + o + 12, hsum(s13) + dotTail(a1, b3, K4, K));
      }
      for (; j < N; j++) {
        const bj = bz + <usize>j * rowBytes;
        store<f32>(c0 + (<usize>j << 2), dot(a0, bj, K4, K));
        store<f32>(c0 + ldc + (<usize>j << 2), dot(a1, bj, K4, K));
      }
    }
    for (; i < M; i++) {
      const ai = az + <usize>i * rowBytes;
      for (let j = 0; j < N; j++) store<f32>(cz + <usize>i * ldc + (<usize>j << 2), dot(ai, bz + <usize>j * rowBytes, K4, K));
    }
  }
}

@inline function dot(a: usize, b: usize, K4: i32, K: i32): f32 {
  let acc = f32x4.splat(0);
  for (let k = 0; k < K4; k += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + (<usize>k << 2)), v128.load(b + (<usize>k << 2))));
  return hsum(acc) + dotTail(a, b, K4, K);
}

// out[r, :] = x[idx[r], :] for r < n, rows of `rowBytes` bytes (idx: int32, checked in range by the caller).
export function gatherRows(x: usize, idx: usize, out: usize, n: i32, rowBytes: usize): void {
  for (let r = 0; r < n; r++) {
    const i = <usize>load<i32>(idx + (<usize>r << 2));
    memory.copy(out + <usize>r * rowBytes, x + i * rowBytes, rowBytes);
  }
}

// ---- One KV-cache decoding step of the whole GPT (src/policy/decode.ts), no tfjs ops ----------------------
//
// The same arithmetic as the tfjs path of src/policy/sample.ts (decodeCached), one token per slot:
//
//   x = wte[id] + wpe[pos];  per layer: u = LN₁(x); [q|k|v] = u·W_qkv + b_qkv; k, v → self cache at t;
//   per head, att = softmax([q·Kₚ(group)ᵀ (valid prefix keys) | q·Kₛᵀ (self keys 0…t)] / √D);
//   y = att·[Vₚ | Vₛ];  x += y·W_proj + b_proj;  x += gelu(LN₂(x)·W_fc + b_fc)·W_mproj + b_mproj;
//   logits = LN_f(x)·W_head,   gelu(a) = a·σ((a²·0.044715 + 1)·a·2√(2/π))   (gelu.ts, sigmoid form)
//
// Everything is addressed through a descriptor of i32 words at `desc` (byte offsets into this memory):
//   0 E, 1 H, 2 F (MLP width), 3 V, 4 L (layers), 5 ns (slots), 6 Gm (slots per group), 7 Pp, 8 Tmax,
//   9 wte, 10 wpe, 11 lnf.g, 12 lnf.b, 13 head.w, 14 ids (i32 [ns]), 15 pos (i32 [ns]), 16 pre (i32 [groups]),
//   17 x [ns,E], 18 u [ns,E], 19 qkv [ns,3E], 20 y [ns,E], 21 m [ns,F], 22 logits [ns,V], 23 scores [Pp+Tmax],
//   then 16 words per layer l at 24 + 16·l: ln1.g, ln1.b, wqkv, bqkv, wproj, bproj, ln2.g, ln2.b, wfc, bfc,
//   wmproj, bmproj, Kp [groups,H,Pp,D], Vp, Ks [ns,H,Tmax,D], Vs.

@inline function w(desc: usize, i: i32): usize {
  return <usize>load<i32>(desc + (<usize>i << 2));
}

/** out[r] = LN(x[r]) · g + b over rows of E (mean, centred variance, rsqrt(var + 1e-5), as GPT.layerNorm). */
function layerNormRows(x: usize, out: usize, g: usize, b: usize, rows: i32, E: i32): void {
  const inv: f32 = <f32>1 / <f32>E;
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>(r * E) << 2);
    const or = out + (<usize>(r * E) << 2);
    let s: f32 = 0;
    for (let i = 0; i < E; i++) s += load<f32>(xr + (<usize>i << 2));
    const mean = s * inv;
    let v: f32 = 0;
    for (let i = 0; i < E; i++) {
      const d = load<f32>(xr + (<usize>i << 2)) - mean;
      v += d * d;
    }
    const rs = <f32>1 / sqrt<f32>(v * inv + <f32>1e-5);
    for (let i = 0; i < E; i++) {
      const o = <usize>i << 2;
      store<f32>(or + o, (load<f32>(xr + o) - mean) * rs * load<f32>(g + o) + load<f32>(b + o));
    }
  }
}

/** out = a [rows, K] · W [K, N] (+ bias [N] when bias ≠ 0) (+ out's previous value when accumulate). */
function linearRows(a: usize, wt: usize, bias: usize, out: usize, rows: i32, K: i32, N: i32, accumulate: bool, tmp: usize): void {
  const target = accumulate ? tmp : out;
  bmmRows(a, wt, target, 1, rows, K, N, 0, <usize>K << 2, 4, 0);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < N; j++) {
      const o = (<usize>(r * N + j)) << 2;
      let v = load<f32>(target + o);
      if (bias) v += load<f32>(bias + (<usize>j << 2));
      if (accumulate) v = load<f32>(out + o) + v;
      store<f32>(out + o, v);
    }
}

// @inline constants: literals in the code, not globals (the module keeps no state).
// @ts-ignore: decorator
@inline const GELU_A: f32 = 0.044715;
// @ts-ignore: decorator
@inline const GELU_K2: f32 = 1.5957691216057308; // 2·√(2/π)

/**
 * e^x in f32 without tables (Mathf.exp would add a data segment): x = n·ln2 + r, |r| ≤ ln2/2, e^r by its
 * degree-6 Taylor polynomial (relative error ≤ 0.347⁷/7! ≈ 1.3e-7, about one f32 ulp), times 2ⁿ built in the
 * exponent bits. exp(x) = 0 below −87.3 (where f32 turns subnormal), ∞ above 88.72; NaN stays NaN.
 */
@inline function expf(x: f32): f32 {
  if (x != x) return x;
  if (x > <f32>88.72) return Infinity;
  if (x < <f32>-87.3) return 0;
  const n: f32 = nearest<f32>(x * <f32>1.4426950408889634);
  const r = x - n * <f32>0.693145751953125 - n * <f32>1.428606765330187e-6;
  const p = <f32>1 + r * (<f32>1 + r * (<f32>0.5 + r * (<f32>0.16666666666666666 + r * (<f32>0.041666666666666664 + r * (<f32>0.008333333333333333 + r * <f32>0.001388888888888889)))));
  // 2ⁿ as 2^⌊n/2⌋ · 2^(n − ⌊n/2⌋): n runs −126 … 128 and each factor stays a normal float.
  const ni = <i32>n;
  const n1 = ni >> 1;
  return p * reinterpret<f32>((n1 + 127) << 23) * reinterpret<f32>((ni - n1 + 127) << 23);
}

/** expf on 4 lanes (same polynomial as expf; inputs clamped to [−87.3, 88.72]: no ∞, no subnormals). */
@inline function expf4(x0: v128): v128 {
  const x = f32x4.max(f32x4.min(x0, f32x4.splat(88.72)), f32x4.splat(-87.3));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.4426950408889634)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693145751953125))), f32x4.mul(n, f32x4.splat(1.428606765330187e-6)));
  let p = f32x4.add(f32x4.splat(0.008333333333333333), f32x4.mul(r, f32x4.splat(0.001388888888888889)));
  p = f32x4.add(f32x4.splat(0.041666666666666664), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(0.16666666666666666), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(0.5), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1), f32x4.mul(r, p));
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const n1 = i32x4.shr_s(ni, 1);
  const bias = i32x4.splat(127);
  return f32x4.mul(f32x4.mul(p, i32x4.shl(i32x4.add(n1, bias), 23)), i32x4.shl(i32x4.add(i32x4.sub(ni, n1), bias), 23));
}

/** m[i] = gelu(m[i]) for i < n (sigmoid form, see above), 4 lanes at a time. */
function geluInPlace(m: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const a = v128.load(m + o);
    const z = f32x4.mul(f32x4.mul(f32x4.add(f32x4.mul(f32x4.mul(a, a), f32x4.splat(GELU_A)), f32x4.splat(1)), a), f32x4.splat(GELU_K2));
    const sig = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expf4(f32x4.neg(z))));
    v128.store(m + o, f32x4.mul(a, sig));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const a = load<f32>(m + o);
    const z = (a * a * GELU_A + <f32>1) * a * GELU_K2;
    store<f32>(m + o, a * (<f32>1 / (<f32>1 + expf(-z))));
  }
}

/**
 * One head's attention for one slot: scores over `valid` prefix keys then `self` own keys (contiguous in
 * `scores`), softmax, y[0…D) = Σ prefix p·v + Σ self p·v. Heads of 16 keep y in 4 registers.
 */
@inline function attendHead(q: usize, preK: usize, preV: usize, valid: i32, selfK: usize, selfV: usize, self: i32, D: i32, scale: f32, scores: usize, yo: usize): void {
  const hb = <usize>D << 2;
  const n = valid + self;
  let mx: f32 = -Infinity;
  for (let j = 0; j < n; j++) {
    const k = j < valid ? preK + <usize>j * hb : selfK + <usize>(j - valid) * hb;
    const v = dotRow(q, k, D) * scale;
    store<f32>(scores + (<usize>j << 2), v);
    mx = max(mx, v);
  }
  const inv: f32 = <f32>1 / expShift(scores, n, mx);
  if (D == 16) {
    let p0 = f32x4.splat(0), p1 = f32x4.splat(0), p2 = f32x4.splat(0), p3 = f32x4.splat(0);
    for (let j = 0; j < valid; j++) {
      const pj = f32x4.splat(load<f32>(scores + (<usize>j << 2)) * inv);
      const vj = preV + <usize>j * hb;
      p0 = f32x4.add(p0, f32x4.mul(pj, v128.load(vj)));
      p1 = f32x4.add(p1, f32x4.mul(pj, v128.load(vj, 16)));
      p2 = f32x4.add(p2, f32x4.mul(pj, v128.load(vj, 32)));
      p3 = f32x4.add(p3, f32x4.mul(pj, v128.load(vj, 48)));
    }
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    for (let j = valid; j < n; j++) {
      const pj = f32x4.splat(load<f32>(scores + (<usize>j << 2)) * inv);
      const vj = selfV + <usize>(j - valid) * hb;
      s0 = f32x4.add(s0, f32x4.mul(pj, v128.load(vj)));
      s1 = f32x4.add(s1, f32x4.mul(pj, v128.load(vj, 16)));
      s2 = f32x4.add(s2, f32x4.mul(pj, v128.load(vj, 32)));
      s3 = f32x4.add(s3, f32x4.mul(pj, v128.load(vj, 48)));
    }
    v128.store(yo, f32x4.add(p0, s0));
    v128.store(yo, f32x4.add(p1, s1), 16);
    v128.store(yo, f32x4.add(p2, s2), 32);
    v128.store(yo, f32x4.add(p3, s3), 48);
    return;
  }
  for (let d = 0; d < D; d += 4) {
    let a0 = f32x4.splat(0);
    for (let j = 0; j < valid; j++)
      a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(scores + (<usize>j << 2)) * inv), v128.load(preV + <usize>j * hb + (<usize>d << 2))));
    let a1 = f32x4.splat(0);
    for (let j = valid; j < n; j++)
      a1 = f32x4.add(a1, f32x4.mul(f32x4.splat(load<f32>(scores + (<usize>j << 2)) * inv), v128.load(selfV + <usize>(j - valid) * hb + (<usize>d << 2))));
    v128.store(yo + (<usize>d << 2), f32x4.add(a0, a1));
  }
}

export function decodeStep(desc: usize, t: i32): void {
  const E = load<i32>(desc), H = load<i32>(desc + 4), F = load<i32>(desc + 8), V = load<i32>(desc + 12);
  const L = load<i32>(desc + 16), ns = load<i32>(desc + 20), Gm = load<i32>(desc + 24), Pp = load<i32>(desc + 28);
  const Tmax = load<i32>(desc + 32);
  const D = E / H;
  const scale: f32 = <f32>1 / sqrt<f32>(<f32>D);
  const ids = w(desc, 14), pos = w(desc, 15), pre = w(desc, 16);
  const x = w(desc, 17), u = w(desc, 18), qkv = w(desc, 19), y = w(desc, 20), m = w(desc, 21), scores = w(desc, 23);
  const rowE = <usize>E << 2;
  // Embeddings.
  const wte = w(desc, 9), wpe = w(desc, 10);
  for (let s = 0; s < ns; s++) {
    const te = wte + <usize>load<i32>(ids + (<usize>s << 2)) * rowE;
    const pe = wpe + <usize>load<i32>(pos + (<usize>s << 2)) * rowE;
    const xs = x + <usize>s * rowE;
    for (let i = 0; i < E; i++) {
      const o = <usize>i << 2;
      store<f32>(xs + o, load<f32>(te + o) + load<f32>(pe + o));
    }
  }
  for (let l = 0; l < L; l++) {
    const base = 24 + 16 * l;
    layerNormRows(x, u, w(desc, base), w(desc, base + 1), ns, E);
    linearRows(u, w(desc, base + 2), w(desc, base + 3), qkv, ns, E, 3 * E, false, 0);
    const Kp = w(desc, base + 12), Vp = w(desc, base + 13), Ks = w(desc, base + 14), Vs = w(desc, base + 15);
    const headBytes = <usize>D << 2;
    for (let s = 0; s < ns; s++) {
      const g = s / Gm;
      const valid = load<i32>(pre + (<usize>g << 2));
      const row = qkv + <usize>(s * 3 * E) * 4;
      for (let h = 0; h < H; h++) {
        const q = row + <usize>(h * D) * 4;
        const selfK = Ks + (<usize>((s * H + h) * Tmax) * headBytes);
        const selfV = Vs + (<usize>((s * H + h) * Tmax) * headBytes);
        // This step's key and value into the self cache at position t.
        memory.copy(selfK + <usize>t * headBytes, row + <usize>(E + h * D) * 4, headBytes);
        memory.copy(selfV + <usize>t * headBytes, row + <usize>(2 * E + h * D) * 4, headBytes);
        const preK = Kp + (<usize>((g * H + h) * Pp) * headBytes);
        const preV = Vp + (<usize>((g * H + h) * Pp) * headBytes);
        attendHead(q, preK, preV, valid, selfK, selfV, t + 1, D, scale, scores, y + (<usize>(s * E + h * D) << 2));
      }
    }
    linearRows(y, w(desc, base + 4), w(desc, base + 5), x, ns, E, E, true, u);
    layerNormRows(x, u, w(desc, base + 6), w(desc, base + 7), ns, E);
    linearRows(u, w(desc, base + 8), w(desc, base + 9), m, ns, E, F, false, 0);
    geluInPlace(m, ns * F);
    linearRows(m, w(desc, base + 10), w(desc, base + 11), x, ns, F, E, true, y);
  }
  layerNormRows(x, u, w(desc, 11), w(desc, 12), ns, E);
  linearRows(u, w(desc, 13), 0, w(desc, 22), ns, E, V, false, 0);
}

/** Σ_d a[d]·b[d] over D floats (D a multiple of 4: the head size). */
@inline function dotRow(a: usize, b: usize, D: i32): f32 {
  let acc = f32x4.splat(0);
  for (let d = 0; d < D; d += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + (<usize>d << 2)), v128.load(b + (<usize>d << 2))));
  return hsum(acc);
}

// out = zeros [rows, cols]; out[idx[r], :] += dy[r, :] for r < n (idx int32, checked in range by the caller):
// the gradient of gatherRows (an embedding lookup's table gradient), rows added in order r = 0, 1, …
export function scatterAddRows(dy: usize, idx: usize, out: usize, n: i32, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  memory.fill(out, 0, <usize>rows * rowBytes);
  const c4 = cols & ~3;
  for (let r = 0; r < n; r++) {
    const src = dy + <usize>r * rowBytes;
    const dst = out + <usize>load<i32>(idx + (<usize>r << 2)) * rowBytes;
    let j = 0;
    for (; j < c4; j += 4) v128.store(dst + (<usize>j << 2), f32x4.add(v128.load(dst + (<usize>j << 2)), v128.load(src + (<usize>j << 2))));
    for (; j < cols; j++) store<f32>(dst + (<usize>j << 2), load<f32>(dst + (<usize>j << 2)) + load<f32>(src + (<usize>j << 2)));
  }
}

// ---- Shared-prefix causal attention for training (src/policy/attention.ts), forward and backward ----------
//
// Rows come in B groups of G; group b's rows share a prompt prefix whose keys/values are Kp, Vp
// [B, H, Pp, D] (valid: j < pre[b]); row i (group ⌊i/G⌋) has S positions of its own, with q | k | v in
// qkv [N·S, 3E] (head h at columns h·D, E + h·D, 2E + h·D). Query t of row i attends to the valid prefix
// keys and its own keys 0…t:
//
//   s_j = q·k_j / √D,  P = softmax(s),  y_t = Σ_j P_j v_j                       y [N·S, E], P [N, H, S, Pp + S]
//
// (P's prefix entries at 0…Pp−1, own keys at Pp + j; masked entries 0). Backward, dy [N·S, E]:
//
//   dP_j = dy_t·v_j,  dS_j = P_j (dP_j − Σ_k P_k dP_k) / √D,  dq_t = Σ_j dS_j k_j,
//   dk_j += dS_j q_t,  dv_j += P_j dy_t                  (prefix keys accumulate over the group's rows)
//
// Sizes in a descriptor of i32 words: 0 B, 1 G, 2 S, 3 Pp, 4 H, 5 D, 6 qkv, 7 Kp, 8 Vp, 9 pre, 10 y | dy,
// 11 P, 12 dqkv, 13 dKp, 14 dVp, 15 scratch (S·(Pp + S) floats).

/**
 * out[0…D) (+)= Σ_{j<n} w_j · rows_j[0…D), w_j at w + j·wStride, row j at rows + j·rowStride (bytes); D a
 * multiple of 4, done 16 columns at a time in 4 registers (then 4 at a time), summing over j in order.
 */
function weightedSum(out: usize, accumulate: bool, w: usize, wStride: usize, n: i32, rows: usize, rowStride: usize, D: i32): void {
  let d = 0;
  for (; d + 16 <= D; d += 16) {
    const o = <usize>d << 2;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let pw = w;
    let pr = rows + o;
    for (let j = 0; j < n; j++) {
      const c = f32x4.splat(load<f32>(pw));
      a0 = f32x4.add(a0, f32x4.mul(c, v128.load(pr)));
      a1 = f32x4.add(a1, f32x4.mul(c, v128.load(pr, 16)));
      a2 = f32x4.add(a2, f32x4.mul(c, v128.load(pr, 32)));
      a3 = f32x4.add(a3, f32x4.mul(c, v128.load(pr, 48)));
      pw += wStride;
      pr += rowStride;
    }
    if (accumulate) {
      a0 = f32x4.add(a0, v128.load(out + o));
      a1 = f32x4.add(a1, v128.load(out + o, 16));
      a2 = f32x4.add(a2, v128.load(out + o, 32));
      a3 = f32x4.add(a3, v128.load(out + o, 48));
    }
    v128.store(out + o, a0);
    v128.store(out + o, a1, 16);
    v128.store(out + o, a2, 32);
    v128.store(out + o, a3, 48);
  }
  for (; d < D; d += 4) {
    const o = <usize>d << 2;
    let a0 = f32x4.splat(0);
    let pw = w;
    let pr = rows + o;
    for (let j = 0; j < n; j++) {
      a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(pw)), v128.load(pr)));
      pw += wStride;
      pr += rowStride;
    }
    if (accumulate) a0 = f32x4.add(a0, v128.load(out + o));
    v128.store(out + o, a0);
  }
}

/** p[0…n) = exp(p − mx) in place (4 lanes at a time); returns their sum. */
function expShift(p: usize, n: i32, mx: f32): f32 {
  let j = 0;
  let sum4 = f32x4.splat(0);
  const mx4 = f32x4.splat(mx);
  for (; j + 4 <= n; j += 4) {
    const e = expf4(f32x4.sub(v128.load(p + (<usize>j << 2)), mx4));
    v128.store(p + (<usize>j << 2), e);
    sum4 = f32x4.add(sum4, e);
  }
  let sum = hsum(sum4);
  for (; j < n; j++) {
    const e = expf(load<f32>(p + (<usize>j << 2)) - mx);
    store<f32>(p + (<usize>j << 2), e);
    sum += e;
  }
  return sum;
}

/** p[0…n) *= c. */
function scaleRow(p: usize, n: i32, c: f32): void {
  let j = 0;
  const c4 = f32x4.splat(c);
  for (; j + 4 <= n; j += 4) v128.store(p + (<usize>j << 2), f32x4.mul(v128.load(p + (<usize>j << 2)), c4));
  for (; j < n; j++) store<f32>(p + (<usize>j << 2), load<f32>(p + (<usize>j << 2)) * c);
}

export function attnForward(desc: usize): void {
  const B = load<i32>(desc), G = load<i32>(desc + 4), S = load<i32>(desc + 8), Pp = load<i32>(desc + 12);
  const H = load<i32>(desc + 16), D = load<i32>(desc + 20);
  const qkv = w(desc, 6), Kp = w(desc, 7), Vp = w(desc, 8), pre = w(desc, 9), y = w(desc, 10), P = w(desc, 11);
  const E = H * D;
  const K = Pp + S;
  const scale: f32 = <f32>1 / sqrt<f32>(<f32>D);
  const hb = <usize>D << 2;
  const rowB = <usize>(3 * E) << 2;
  for (let i = 0; i < B * G; i++) {
    const b = i / G;
    const valid = Pp > 0 ? load<i32>(pre + (<usize>b << 2)) : 0;
    for (let h = 0; h < H; h++) {
      const kp = Kp + <usize>((b * H + h) * Pp) * hb;
      const vp = Vp + <usize>((b * H + h) * Pp) * hb;
      const ks = qkv + <usize>(i * S) * rowB + (<usize>(E + h * D) << 2);
      const vs = qkv + <usize>(i * S) * rowB + (<usize>(2 * E + h * D) << 2);
      for (let t = 0; t < S; t++) {
        const q = qkv + <usize>(i * S + t) * rowB + (<usize>(h * D) << 2);
        const p = P + (<usize>(((i * H + h) * S + t) * K) << 2);
        const ps = p + (<usize>Pp << 2);
        let mx: f32 = -Infinity;
        for (let j = 0; j < valid; j++) {
          const v = dotRow(q, kp + <usize>j * hb, D) * scale;
          store<f32>(p + (<usize>j << 2), v);
          mx = max(mx, v);
        }
        for (let j = 0; j <= t; j++) {
          const v = dotRow(q, ks + <usize>j * rowB, D) * scale;
          store<f32>(ps + (<usize>j << 2), v);
          mx = max(mx, v);
        }
        const sum = expShift(p, valid, mx) + expShift(ps, t + 1, mx);
        const inv: f32 = <f32>1 / sum;
        scaleRow(p, valid, inv);
        scaleRow(ps, t + 1, inv);
        if (Pp > valid) memory.fill(p + (<usize>valid << 2), 0, <usize>(Pp - valid) << 2);
        if (S > t + 1) memory.fill(ps + (<usize>(t + 1) << 2), 0, <usize>(S - t - 1) << 2);
        const yo = y + (<usize>((i * S + t) * E + h * D) << 2);
        weightedSum(yo, false, p, 4, valid, vp, hb, D);
        weightedSum(yo, true, ps, 4, t + 1, vs, rowB, D);
      }
    }
  }
}

export function attnBackward(desc: usize): void {
  const B = load<i32>(desc), G = load<i32>(desc + 4), S = load<i32>(desc + 8), Pp = load<i32>(desc + 12);
  const H = load<i32>(desc + 16), D = load<i32>(desc + 20);
  const qkv = w(desc, 6), Kp = w(desc, 7), Vp = w(desc, 8), pre = w(desc, 9), dy = w(desc, 10), P = w(desc, 11);
  const dqkv = w(desc, 12), dKp = w(desc, 13), dVp = w(desc, 14), dS = w(desc, 15); // dS: scratch [S, Pp + S]
  const E = H * D;
  const K = Pp + S;
  const KB = <usize>K << 2;
  const scale: f32 = <f32>1 / sqrt<f32>(<f32>D);
  const hb = <usize>D << 2;
  const rowB = <usize>(3 * E) << 2;
  const dyRow = <usize>E << 2;
  if (Pp > 0) {
    memory.fill(dKp, 0, <usize>(B * H * Pp) * hb);
    memory.fill(dVp, 0, <usize>(B * H * Pp) * hb);
  }
  for (let i = 0; i < B * G; i++) {
    const b = i / G;
    const valid = Pp > 0 ? load<i32>(pre + (<usize>b << 2)) : 0;
    for (let h = 0; h < H; h++) {
      const kp = Kp + <usize>((b * H + h) * Pp) * hb;
      const vp = Vp + <usize>((b * H + h) * Pp) * hb;
      const dkp = dKp + <usize>((b * H + h) * Pp) * hb;
      const dvp = dVp + <usize>((b * H + h) * Pp) * hb;
      const base = <usize>(i * S) * rowB;
      const qs = qkv + base + (<usize>(h * D) << 2);
      const ks = qkv + base + (<usize>(E + h * D) << 2);
      const vs = qkv + base + (<usize>(2 * E + h * D) << 2);
      const g0 = dy + (<usize>((i * S) * E + h * D) << 2);
      const p0 = P + (<usize>((i * H + h) * S * K) << 2);
      // 1. dS[t, j] = P[t, j] (dy_t·v_j − Σ_k P[t, k] dy_t·v_k) / √D   (0 where P is masked)
      for (let t = 0; t < S; t++) {
        const g = g0 + <usize>t * dyRow;
        const p = p0 + <usize>t * KB;
        const ds = dS + <usize>t * KB;
        let sdot: f32 = 0;
        for (let j = 0; j < valid; j++) {
          const v = dotRow(g, vp + <usize>j * hb, D);
          store<f32>(ds + (<usize>j << 2), v);
          sdot += load<f32>(p + (<usize>j << 2)) * v;
        }
        for (let j = 0; j <= t; j++) {
          const v = dotRow(g, vs + <usize>j * rowB, D);
          store<f32>(ds + (<usize>(Pp + j) << 2), v);
          sdot += load<f32>(p + (<usize>(Pp + j) << 2)) * v;
        }
        for (let j = 0; j < valid; j++) {
          const o = <usize>j << 2;
          store<f32>(ds + o, load<f32>(p + o) * (load<f32>(ds + o) - sdot) * scale);
        }
        for (let j = valid; j < Pp; j++) store<f32>(ds + (<usize>j << 2), 0);
        for (let j = 0; j <= t; j++) {
          const o = <usize>(Pp + j) << 2;
          store<f32>(ds + o, load<f32>(p + o) * (load<f32>(ds + o) - sdot) * scale);
        }
        for (let j = t + 1; j < S; j++) store<f32>(ds + (<usize>(Pp + j) << 2), 0);
        // 2. dq_t = Σ_j dS[t, j] k_j
        const dq = dqkv + base + <usize>t * rowB + (<usize>(h * D) << 2);
        weightedSum(dq, false, ds, 4, valid, kp, hb, D);
        weightedSum(dq, true, ds + (<usize>Pp << 2), 4, t + 1, ks, rowB, D);
      }
      // 3. own keys: dk_j = Σ_{t ≥ j} dS[t, Pp + j] q_t,  dv_j = Σ_{t ≥ j} P[t, Pp + j] dy_t
      for (let j = 0; j < S; j++) {
        const col = <usize>(Pp + j) << 2;
        const from = <usize>j;
        weightedSum(dqkv + base + <usize>j * rowB + (<usize>(E + h * D) << 2), false, dS + from * KB + col, KB, S - j, qs + from * rowB, rowB, D);
        weightedSum(dqkv + base + <usize>j * rowB + (<usize>(2 * E + h * D) << 2), false, p0 + from * KB + col, KB, S - j, g0 + from * dyRow, dyRow, D);
      }
      // 4. prefix keys (shared by the group's rows): dKp_j += Σ_t dS[t, j] q_t,  dVp_j += Σ_t P[t, j] dy_t
      for (let j = 0; j < valid; j++) {
        weightedSum(dkp + <usize>j * hb, true, dS + (<usize>j << 2), KB, S, qs, rowB, D);
        weightedSum(dvp + <usize>j * hb, true, p0 + (<usize>j << 2), KB, S, g0, dyRow, D);
      }
    }
  }
}

// ---- Reductions and exp (tfjs Sum / Exp replacements, src/policy/wasmKernels.ts) -------------------------

// out[r] = Σ_j x[r, j] over rows of `inner` (4 lanes of j ≡ 0…3 mod 4, then the lanes and the tail).
export function sumInner(x: usize, out: usize, outer: i32, inner: i32): void {
  const i4 = inner & ~3;
  const rb = <usize>inner << 2;
  for (let r = 0; r < outer; r++) {
    const xr = x + <usize>r * rb;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
    let j = 0;
    for (; j + 8 <= i4; j += 8) {
      a0 = f32x4.add(a0, v128.load(xr + (<usize>j << 2)));
      a1 = f32x4.add(a1, v128.load(xr + (<usize>j << 2), 16));
    }
    for (; j < i4; j += 4) a0 = f32x4.add(a0, v128.load(xr + (<usize>j << 2)));
    let s = hsum(f32x4.add(a0, a1));
    for (; j < inner; j++) s += load<f32>(xr + (<usize>j << 2));
    store<f32>(out + (<usize>r << 2), s);
  }
}

// out[j] = Σ_r x[r, j] for j < inner (rows added in order r = 0, 1, …).
export function sumOuter(x: usize, out: usize, outer: i32, inner: i32): void {
  const rb = <usize>inner << 2;
  memory.fill(out, 0, rb);
  const i4 = inner & ~3;
  for (let r = 0; r < outer; r++) {
    const xr = x + <usize>r * rb;
    let j = 0;
    for (; j < i4; j += 4) v128.store(out + (<usize>j << 2), f32x4.add(v128.load(out + (<usize>j << 2)), v128.load(xr + (<usize>j << 2))));
    for (; j < inner; j++) store<f32>(out + (<usize>j << 2), load<f32>(out + (<usize>j << 2)) + load<f32>(xr + (<usize>j << 2)));
  }
}

// out[i] = e^x[i] for i < n: expf4 with IEEE edge cases restored (x < −87.3 → 0, x > 88.72 → ∞, NaN → NaN).
export function expArray(x: usize, out: usize, n: i32): void {
  let i = 0;
  const lo = f32x4.splat(-87.3), hi = f32x4.splat(88.72), inf = f32x4.splat(Infinity), zero = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    let e = expf4(v);
    e = v128.bitselect(zero, e, f32x4.lt(v, lo));
    e = v128.bitselect(inf, e, f32x4.gt(v, hi));
    e = v128.bitselect(v, e, f32x4.ne(v, v));
    v128.store(out + (<usize>i << 2), e);
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), expf(load<f32>(x + (<usize>i << 2))));
}

// ---- Log-probability of a target token and entropy, per row of logits (src/policy/logprobs.ts) -------------
//
//   lse = log Σ_v e^{z_v},  lp = z_t − lse,  H = −Σ_v p_v log p_v = lse − Σ_v p_v z_v,  p = softmax(z)
// backward (g_lp, g_H per row):  dz_v = g_lp (δ_{vt} − p_v) − g_H p_v (log p_v + H)

// (Computed around the row maximum m: lp = (z_t − m) − ln s, H = ln s − Σ e (z − m) / s with s = Σ e^{z − m},
// so a row of large logits loses nothing to float32 cancellation. `shift` keeps m and ln s per row: [2, R].)
export function lpEntForward(z: usize, tgt: usize, lp: usize, ent: usize, shift: usize, R: i32, V: i32): void {
  const rb = <usize>V << 2;
  for (let r = 0; r < R; r++) {
    const zr = z + <usize>r * rb;
    let mx: f32 = -Infinity;
    for (let v = 0; v < V; v++) mx = max(mx, load<f32>(zr + (<usize>v << 2)));
    let s4 = f32x4.splat(0), sz4 = f32x4.splat(0);
    const mx4 = f32x4.splat(mx);
    let v = 0;
    for (; v + 4 <= V; v += 4) {
      const d = f32x4.sub(v128.load(zr + (<usize>v << 2)), mx4);
      const e = expf4(d);
      s4 = f32x4.add(s4, e);
      sz4 = f32x4.add(sz4, f32x4.mul(e, d));
    }
    let s = hsum(s4), sz = hsum(sz4);
    for (; v < V; v++) {
      const d = load<f32>(zr + (<usize>v << 2)) - mx;
      const e = expf(d);
      s += e;
      sz += e * d;
    }
    const ls = logf(s);
    const t = load<i32>(tgt + (<usize>r << 2));
    store<f32>(lp + (<usize>r << 2), load<f32>(zr + (<usize>t << 2)) - mx - ls);
    store<f32>(ent + (<usize>r << 2), ls - sz / s);
    store<f32>(shift + (<usize>r << 2), mx);
    store<f32>(shift + (<usize>(R + r) << 2), ls);
  }
}

export function lpEntBackward(z: usize, tgt: usize, shift: usize, ent: usize, glp: usize, gent: usize, dz: usize, R: i32, V: i32): void {
  const rb = <usize>V << 2;
  for (let r = 0; r < R; r++) {
    const zr = z + <usize>r * rb;
    const dr = dz + <usize>r * rb;
    const o = <usize>r << 2;
    const mx = load<f32>(shift + o), ls = load<f32>(shift + (<usize>(R + r) << 2));
    const H = load<f32>(ent + o), a = load<f32>(glp + o), b = load<f32>(gent + o);
    const mx4 = f32x4.splat(mx), ls4 = f32x4.splat(ls), h4 = f32x4.splat(H), a4 = f32x4.splat(a), b4 = f32x4.splat(b);
    let v = 0;
    for (; v + 4 <= V; v += 4) {
      const lpv = f32x4.sub(f32x4.sub(v128.load(zr + (<usize>v << 2)), mx4), ls4); // log p_v
      const p = expf4(lpv);
      // −a p − b p (log p_v + H)
      v128.store(dr + (<usize>v << 2), f32x4.neg(f32x4.mul(p, f32x4.add(a4, f32x4.mul(b4, f32x4.add(lpv, h4))))));
    }
    for (; v < V; v++) {
      const lpv = load<f32>(zr + (<usize>v << 2)) - mx - ls;
      const p = expf(lpv);
      store<f32>(dr + (<usize>v << 2), -p * (a + b * (lpv + H)));
    }
    const t = <usize>load<i32>(tgt + o) << 2;
    store<f32>(dr + t, load<f32>(dr + t) + a);
  }
}

/**
 * ln x for finite x > 0 without tables: x = m·2^e with m ∈ [√½, √2), ln m = 2 atanh(u), u = (m − 1)/(m + 1)
 * (|u| ≤ 0.172), by its odd series to u¹¹ (error ≤ 2·0.172¹³/13 ≈ 2e-11). ln 0 = −∞, NaN or x < 0 → NaN, ∞ → ∞.
 */
@inline function logf(x: f32): f32 {
  if (!(x > 0)) return x == 0 ? -Infinity : NaN;
  if (x == Infinity) return x;
  let bits = reinterpret<i32>(x);
  let e = (bits >> 23) - 127;
  let m = reinterpret<f32>((bits & 0x007fffff) | 0x3f800000); // [1, 2)
  if (m > <f32>1.4142135623730951) {
    m *= 0.5;
    e += 1;
  }
  if (bits < 0x00800000) return logf(x * <f32>8388608) - <f32>15.942385152878742; // subnormal: ·2²³
  const u = (m - <f32>1) / (m + <f32>1);
  const u2 = u * u;
  const s = u * (<f32>2 + u2 * (<f32>0.6666666666666666 + u2 * (<f32>0.4 + u2 * (<f32>0.2857142857142857 + u2 * (<f32>0.2222222222222222 + u2 * <f32>0.18181818181818182)))));
  return s + <f32>e * <f32>0.6931471805599453;
}

// ---- GELU, sigmoid form (src/policy/gelu.ts), forward and backward -----------------------------------------
//   y = x σ(z),  z = (x²·0.044715 + 1)·x·2√(2/π),   dx = dy (σ + x σ (1 − σ) z'),  z' = 2√(2/π)(1 + 3·0.044715 x²)

export function geluForward(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const a = v128.load(x + o);
    const z = f32x4.mul(f32x4.mul(f32x4.add(f32x4.mul(f32x4.mul(a, a), f32x4.splat(GELU_A)), f32x4.splat(1)), a), f32x4.splat(GELU_K2));
    v128.store(y + o, f32x4.mul(a, f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expf4(f32x4.neg(z))))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const a = load<f32>(x + o);
    const z = (a * a * GELU_A + <f32>1) * a * GELU_K2;
    store<f32>(y + o, a * (<f32>1 / (<f32>1 + expf(-z))));
  }
}

export function geluBackward(x: usize, dy: usize, dx: usize, n: i32): void {
  let i = 0;
  const k3 = f32x4.splat(<f32>3 * GELU_A * GELU_K2), k2 = f32x4.splat(GELU_K2), one = f32x4.splat(1);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const a = v128.load(x + o);
    const a2 = f32x4.mul(a, a);
    const z = f32x4.mul(f32x4.mul(f32x4.add(f32x4.mul(a2, f32x4.splat(GELU_A)), one), a), k2);
    const s = f32x4.div(one, f32x4.add(one, expf4(f32x4.neg(z))));
    const dz = f32x4.add(f32x4.mul(a2, k3), k2);
    const d = f32x4.add(f32x4.mul(f32x4.mul(a, f32x4.sub(s, f32x4.mul(s, s))), dz), s);
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), d));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const a = load<f32>(x + o);
    const a2 = a * a;
    const z = (a2 * GELU_A + <f32>1) * a * GELU_K2;
    const s = <f32>1 / (<f32>1 + expf(-z));
    const d = a * (s - s * s) * (a2 * <f32>3 * GELU_A * GELU_K2 + GELU_K2) + s;
    store<f32>(dx + o, load<f32>(dy + o) * d);
  }
}

// ---- LayerNorm over rows of C (GPT.layerNorm), forward and backward ---------------------------------------
//   μ = mean(x), r = 1/√(mean((x − μ)²) + 1e-5), x̂ = (x − μ) r, y = x̂ g + b
//   dx = r (d − mean(d) − x̂ mean(d x̂)) with d = dy g;   dg = Σ_rows dy x̂;   db = Σ_rows dy

export function lnForward(x: usize, g: usize, b: usize, y: usize, mean: usize, rstd: usize, R: i32, C: i32): void {
  const rb = <usize>C << 2;
  const inv: f32 = <f32>1 / <f32>C;
  const C4 = C & ~3;
  for (let r = 0; r < R; r++) {
    const xr = x + <usize>r * rb;
    const yr = y + <usize>r * rb;
    let s4 = f32x4.splat(0);
    let j = 0;
    for (; j < C4; j += 4) s4 = f32x4.add(s4, v128.load(xr + (<usize>j << 2)));
    let s = hsum(s4);
    for (; j < C; j++) s += load<f32>(xr + (<usize>j << 2));
    const mu = s * inv;
    const mu4 = f32x4.splat(mu);
    let q4 = f32x4.splat(0);
    for (j = 0; j < C4; j += 4) {
      const d = f32x4.sub(v128.load(xr + (<usize>j << 2)), mu4);
      q4 = f32x4.add(q4, f32x4.mul(d, d));
    }
    let q = hsum(q4);
    for (; j < C; j++) {
      const d = load<f32>(xr + (<usize>j << 2)) - mu;
      q += d * d;
    }
    const rs: f32 = <f32>1 / sqrt<f32>(q * inv + <f32>1e-5);
    store<f32>(mean + (<usize>r << 2), mu);
    store<f32>(rstd + (<usize>r << 2), rs);
    const rs4 = f32x4.splat(rs);
    for (j = 0; j < C4; j += 4) {
      const o = <usize>j << 2;
      v128.store(yr + o, f32x4.add(f32x4.mul(f32x4.mul(f32x4.sub(v128.load(xr + o), mu4), rs4), v128.load(g + o)), v128.load(b + o)));
    }
    for (; j < C; j++) {
      const o = <usize>j << 2;
      store<f32>(yr + o, (load<f32>(xr + o) - mu) * rs * load<f32>(g + o) + load<f32>(b + o));
    }
  }
}

export function lnBackwardX(x: usize, g: usize, mean: usize, rstd: usize, dy: usize, dx: usize, R: i32, C: i32): void {
  const rb = <usize>C << 2;
  const inv: f32 = <f32>1 / <f32>C;
  for (let r = 0; r < R; r++) {
    const xr = x + <usize>r * rb, dyr = dy + <usize>r * rb, dxr = dx + <usize>r * rb;
    const mu = load<f32>(mean + (<usize>r << 2)), rs = load<f32>(rstd + (<usize>r << 2));
    let sd: f32 = 0, sdx: f32 = 0;
    for (let j = 0; j < C; j++) {
      const o = <usize>j << 2;
      const d = load<f32>(dyr + o) * load<f32>(g + o);
      sd += d;
      sdx += d * (load<f32>(xr + o) - mu) * rs;
    }
    const md = sd * inv, mdx = sdx * inv;
    for (let j = 0; j < C; j++) {
      const o = <usize>j << 2;
      const xh = (load<f32>(xr + o) - mu) * rs;
      store<f32>(dxr + o, rs * (load<f32>(dyr + o) * load<f32>(g + o) - md - xh * mdx));
    }
  }
}

export function lnBackwardGB(x: usize, mean: usize, rstd: usize, dy: usize, dg: usize, db: usize, R: i32, C: i32): void {
  const rb = <usize>C << 2;
  memory.fill(dg, 0, rb);
  memory.fill(db, 0, rb);
  const C4 = C & ~3;
  for (let r = 0; r < R; r++) {
    const xr = x + <usize>r * rb, dyr = dy + <usize>r * rb;
    const mu4 = f32x4.splat(load<f32>(mean + (<usize>r << 2))), rs4 = f32x4.splat(load<f32>(rstd + (<usize>r << 2)));
    let j = 0;
    for (; j < C4; j += 4) {
      const o = <usize>j << 2;
      const d = v128.load(dyr + o);
      v128.store(db + o, f32x4.add(v128.load(db + o), d));
      v128.store(dg + o, f32x4.add(v128.load(dg + o), f32x4.mul(d, f32x4.mul(f32x4.sub(v128.load(xr + o), mu4), rs4))));
    }
    const mu = load<f32>(mean + (<usize>r << 2)), rs = load<f32>(rstd + (<usize>r << 2));
    for (; j < C; j++) {
      const o = <usize>j << 2;
      const d = load<f32>(dyr + o);
      store<f32>(db + o, load<f32>(db + o) + d);
      store<f32>(dg + o, load<f32>(dg + o) + d * (load<f32>(xr + o) - mu) * rs);
    }
  }
}

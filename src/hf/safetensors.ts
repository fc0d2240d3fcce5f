/**
 * safetensors, read and written directly (format of huggingface/safetensors README and
 * `safetensors/src/tensor.rs`, checked against the `safetensors` 0.x Python package in the peers venv):
 *
 *   bytes 0…7     N, unsigned 64-bit little-endian: the length of the header
 *   bytes 8…8+N   UTF-8 JSON: { name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str} }
 *                 (padded with spaces so the data starts 8-byte aligned)
 *   the rest      the byte buffer; offsets are relative to its start, tensors are contiguous, row-major,
 *                 little-endian, and together cover the buffer without gaps or overlaps
 *
 * Only F32 is written; F32, F16 and BF16 are read (widened to Float32Array). Any other dtype, a header that
 * is not JSON, offsets outside the buffer, overlaps or a size that does not match the shape are errors that
 * name the file and tensor.
 */
import { readFile, writeFile } from "node:fs/promises";

export interface Tensor {
  shape: number[];
  data: Float32Array;
}

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Serialize tensors (in the given order) with optional string metadata. */
export function encodeSafetensors(tensors: Map<string, Tensor>, metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    if (t.data.length !== numel(t.shape)) throw new Error(`safetensors: ${name} has ${t.data.length} values for shape [${t.shape}]`);
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + 4 * t.data.length] };
    offset += 4 * t.data.length;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = Buffer.from(json, "utf8");
  const out = Buffer.alloc(8 + head.length + offset);
  out.writeBigUInt64LE(BigInt(head.length), 0);
  head.copy(out, 8);
  let at = 8 + head.length;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.data.length; i++) out.writeFloatLE(t.data[i], at + 4 * i);
    at += 4 * t.data.length;
  }
  return out;
}

function bf16(bits: number): number {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(bits << 16);
  return b.readFloatLE(0);
}

function f16(bits: number): number {
  const s = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (m / 1024);
  if (e === 31) return m ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + m / 1024);
}

/** Parse a safetensors buffer; `file` names it in errors. */
export function decodeSafetensors(buf: Buffer, file = "model.safetensors"): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  if (buf.length < 8) throw new Error(`${file}: too short to be a safetensors file (${buf.length} bytes)`);
  const n = Number(buf.readBigUInt64LE(0));
  if (8 + n > buf.length) throw new Error(`${file}: header length ${n} exceeds the file size ${buf.length}; not a safetensors file?`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(buf.subarray(8, 8 + n).toString("utf8"));
  } catch (err) {
    throw new Error(`${file}: the header is not JSON (${(err as Error).message}); not a safetensors file?`);
  }
  const base = 8 + n;
  const size = buf.length - base;
  const { __metadata__: meta, ...entries } = header as Record<string, unknown>;
  const spans: [number, number, string][] = [];
  const tensors = new Map<string, Tensor>();
  for (const [name, raw] of Object.entries(entries)) {
    const e = raw as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const width = e.dtype === "F32" ? 4 : e.dtype === "F16" || e.dtype === "BF16" ? 2 : 0;
    if (!width) throw new Error(`${file}: tensor ${name} has dtype ${e.dtype}; only F32, F16 and BF16 are read`);
    const [b, end] = e.data_offsets;
    if (!(b >= 0 && end <= size && b <= end)) throw new Error(`${file}: tensor ${name} offsets [${b}, ${end}] lie outside the ${size}-byte buffer`);
    const count = numel(e.shape);
    if (end - b !== count * width) throw new Error(`${file}: tensor ${name} holds ${end - b} bytes but shape [${e.shape}] × ${e.dtype} needs ${count * width}`);
    spans.push([b, end, name]);
    const data = new Float32Array(count);
    const at = base + b;
    for (let i = 0; i < count; i++) {
      data[i] = width === 4 ? buf.readFloatLE(at + 4 * i) : e.dtype === "F16" ? f16(buf.readUInt16LE(at + 2 * i)) : bf16(buf.readUInt16LE(at + 2 * i));
    }
    tensors.set(name, { shape: e.shape, data });
  }
  spans.sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) throw new Error(`${file}: tensors ${spans[i - 1][2]} and ${spans[i][2]} overlap`);
  }
  return { tensors, metadata: (meta ?? {}) as Record<string, string> };
}

export async function writeSafetensors(path: string, tensors: Map<string, Tensor>, metadata?: Record<string, string>): Promise<void> {
  await writeFile(path, encodeSafetensors(tensors, metadata));
}

export async function readSafetensors(path: string): Promise<{ tensors: Map<string, Tensor>; metadata: Record<string, string> }> {
  return decodeSafetensors(await readFile(path), path);
}

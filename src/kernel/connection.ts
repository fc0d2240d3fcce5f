/**
 * The Jupyter connection file: transport, ip, the five ports and the HMAC key shared by a kernel and
 * its clients. A client (Jupyter, nbclient, `rlvr notebook run`) normally writes it and the kernel
 * binds the ports it names. Like ipykernel, the kernel also accepts a path that does not exist yet:
 * it then binds free ports itself and writes the file (atomically), which avoids port races.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";

export const ConnectionInfoSchema = z.object({
  transport: z.enum(["tcp", "ipc"]).default("tcp"),
  ip: z.string().default("127.0.0.1"),
  shell_port: z.number().int().nonnegative(),
  iopub_port: z.number().int().nonnegative(),
  stdin_port: z.number().int().nonnegative(),
  control_port: z.number().int().nonnegative(),
  hb_port: z.number().int().nonnegative(),
  key: z.string().default(""),
  signature_scheme: z
    .string()
    .default("hmac-sha256")
    .refine((s) => s === "hmac-sha256", { message: 'only "hmac-sha256" is supported; set signature_scheme to it' }),
  kernel_name: z.string().optional(),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfoSchema>;

export type Channel = "shell" | "iopub" | "stdin" | "control" | "hb";
export const CHANNELS: readonly Channel[] = ["shell", "iopub", "stdin", "control", "hb"];

/** Read and validate a connection file; the error names the file and the bad field. */
export function readConnectionFile(path: string): ConnectionInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`cannot read connection file ${path}: ${(err as Error).message}`);
  }
  const r = ConnectionInfoSchema.safeParse(raw);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`invalid connection file ${path}: ${why}`);
  }
  return r.data;
}

/** Write a connection file atomically (temp file + rename), mode 0600 because it holds the key. */
export function writeConnectionFile(path: string, info: ConnectionInfo): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info, null, 2), { mode: 0o600 });
  renameSync(tmp, path);
}

/** ZeroMQ endpoint for a channel; port 0 becomes `*` (bind a free port). */
export function endpoint(info: Pick<ConnectionInfo, "transport" | "ip">, port: number): string {
  if (info.transport === "ipc") return `ipc://${info.ip}-${port}`;
  return `tcp://${info.ip}:${port === 0 ? "*" : port}`;
}

export function portOf(info: ConnectionInfo, channel: Channel): number {
  return info[`${channel}_port`];
}

/** A fresh connection with every port 0 (to be bound by the kernel) and a random key. */
export function freshConnection(ip = "127.0.0.1"): ConnectionInfo {
  return {
    transport: "tcp",
    ip,
    shell_port: 0,
    iopub_port: 0,
    stdin_port: 0,
    control_port: 0,
    hb_port: 0,
    key: randomBytes(16).toString("hex"),
    signature_scheme: "hmac-sha256",
  };
}

/**
 * The Jupyter wire protocol (messaging spec 5.3): how one message travels as ZeroMQ frames.
 *
 *   [routing ids...] "<IDS|MSG>" signature header parent_header metadata content [buffers...]
 *
 * `signature = hex(HMAC-SHA256(key, header ‖ parent_header ‖ metadata ‖ content))` over the four JSON
 * frames exactly as sent; an empty key means "no signing" (signature is the empty string).
 * Both the kernel and the project's own client use this file, so they agree by construction.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
const DELIMITER = Buffer.from("<IDS|MSG>");

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

/** One decoded message. `identities` are the ROUTER routing frames to send a reply back on. */
export interface Message<C = Record<string, any>> {
  identities: Buffer[];
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

export class WireError extends Error {}

/** HMAC-SHA256 signature (hex) of the four JSON frames; "" when there is no key. */
export function sign(key: string, frames: (string | Buffer)[]): string {
  if (!key) return "";
  const h = createHmac("sha256", key);
  for (const f of frames) h.update(f);
  return h.digest("hex");
}

export function newHeader(msgType: string, session: string, username = "rlvr-lab"): MessageHeader {
  return {
    msg_id: randomUUID(),
    msg_type: msgType,
    session,
    username,
    date: new Date().toISOString(),
    version: PROTOCOL_VERSION,
  };
}

/** Serialize a message to frames, signing it with `key`. */
export function encodeMessage(
  key: string,
  msg: Pick<Message, "header" | "parent_header" | "metadata" | "content"> & { identities?: Buffer[]; buffers?: Buffer[] },
): Buffer[] {
  const body = [
    Buffer.from(JSON.stringify(msg.header)),
    Buffer.from(JSON.stringify(msg.parent_header ?? {})),
    Buffer.from(JSON.stringify(msg.metadata ?? {})),
    Buffer.from(JSON.stringify(msg.content ?? {})),
  ];
  return [...(msg.identities ?? []), DELIMITER, Buffer.from(sign(key, body)), ...body, ...(msg.buffers ?? [])];
}

/** Parse frames into a message; throws WireError on a missing delimiter, bad JSON or a wrong signature. */
export function decodeMessage(key: string, frames: Buffer[]): Message {
  const at = frames.findIndex((f) => f.equals(DELIMITER));
  if (at < 0) throw new WireError("message has no <IDS|MSG> delimiter");
  if (frames.length < at + 6) throw new WireError(`message has ${frames.length - at - 1} frames after the delimiter, want ≥ 5`);
  const signature = frames[at + 1]!.toString();
  const body = frames.slice(at + 2, at + 6);
  if (key) {
    const want = Buffer.from(sign(key, body));
    const got = Buffer.from(signature);
    if (want.length !== got.length || !timingSafeEqual(want, got)) throw new WireError("invalid HMAC signature");
  }
  try {
    return {
      identities: frames.slice(0, at),
      header: JSON.parse(body[0]!.toString()),
      parent_header: JSON.parse(body[1]!.toString()),
      metadata: JSON.parse(body[2]!.toString()),
      content: JSON.parse(body[3]!.toString()),
      buffers: frames.slice(at + 6),
    };
  } catch (err) {
    throw new WireError(`message frame is not JSON: ${(err as Error).message}`);
  }
}

/**
 * Serializes sends on one ZeroMQ socket: zeromq 6 rejects a `send` while another is in flight
 * ("Socket is busy writing"), and message order on a socket must be kept anyway.
 */
export class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly socket: { send(frames: Buffer[]): Promise<void> }) {}

  send(frames: Buffer[]): Promise<void> {
    const next = this.tail.then(() => this.socket.send(frames));
    this.tail = next.catch(() => {});
    return next;
  }

  /** Resolves once everything queued so far has been handed to ZeroMQ. */
  drained(): Promise<void> {
    return this.tail;
  }
}

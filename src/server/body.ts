// Reads a request body as UTF-8 text, refusing more than a byte limit (413) as soon as it is
// known: from Content-Length before reading, else while reading. The Web-standard reader works on
// every runtime; an adapter may pass a faster one to createApp (see ./body-node.ts).
import type { Context } from "hono";
import { createError } from "../errors";

export type BodyReader = (c: Context, maxBytes: number) => Promise<string>;

// Like Request.text(): invalid sequences become U+FFFD and a leading byte-order mark is dropped.
const utf8 = new TextDecoder();

export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** Refuses a body whose declared length is over the limit (a chunked body declares none). */
export function refuseDeclaredOversize(contentLength: string | undefined, transferEncoding: string | undefined, maxBytes: number): void {
  if (contentLength !== undefined && transferEncoding === undefined && Number(contentLength) > maxBytes) {
    throw createError("PAYLOAD_TOO_LARGE", maxBytes);
  }
}

export const readWebBody: BodyReader = async (c, maxBytes) => {
  refuseDeclaredOversize(c.req.header("content-length"), c.req.header("transfer-encoding"), maxBytes);
  const body = c.req.raw.body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // The rest is left unread: on Node, stopReadingRefusedBodies then stops the socket.
    if (size > maxBytes) throw createError("PAYLOAD_TOO_LARGE", maxBytes);
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decodeUtf8(bytes);
};

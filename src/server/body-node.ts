// Node adapter: reads the body straight from Node's IncomingMessage. Reading it through the
// Web-standard Request made @hono/node-server build an undici Request, an AbortController and a
// web stream over the socket for every POST; that was about a tenth of the CPU an answer costs
// over HTTP (bench/REPORT.md, session 3).
import type { HttpBindings } from "@hono/node-server";
import type { IncomingMessage } from "node:http";
import { createError } from "../errors";
import { decodeUtf8, readWebBody, refuseDeclaredOversize, type BodyReader } from "./body";

export const readNodeBody: BodyReader = (c, maxBytes) => {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  // Without Node's request (app.request() in tests), or once something else has read it, fall back.
  if (!incoming || incoming.readableEnded || incoming.readableFlowing !== null) return readWebBody(c, maxBytes);
  refuseDeclaredOversize(header(incoming, "content-length"), header(incoming, "transfer-encoding"), maxBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (settle: () => void) => {
      incoming.off("data", onData).off("end", onEnd).off("error", onClose).off("close", onClose);
      settle();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Paused, not drained: stopReadingRefusedBodies closes the connection after the 413.
      incoming.pause();
      finish(() => reject(createError("PAYLOAD_TOO_LARGE", maxBytes)));
    };
    const onEnd = () => finish(() => resolve(decodeUtf8(Buffer.concat(chunks, size))));
    // The client went away mid-body: nobody will read the answer, but the handler must not hang.
    const onClose = () => finish(() => reject(createError("INVALID_REQUEST", "body", "the connection closed before the body was complete")));
    incoming.on("data", onData).on("end", onEnd).on("error", onClose).on("close", onClose);
  });
};

function header(incoming: IncomingMessage, name: string): string | undefined {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

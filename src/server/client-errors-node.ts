// Node adapter: requests that are not valid HTTP never reach the app (Node's parser refuses them
// first), and Node answers those with a bare "400 Bad Request" and no body. Here they get what
// every other error gets: a JSON { error: { code, message } } saying what is wrong, with the API's
// security headers, and a line in the log.
import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import { createError, statusOf } from "../errors";
import { API_CONTENT_SECURITY_POLICY } from "./middleware/security-headers";

/** Node's parser and timeout errors → the error to answer with. */
function classify(error: NodeJS.ErrnoException, headersTimeoutMs: number) {
  if (error.code === "HPE_HEADER_OVERFLOW") return createError("HEADERS_TOO_LARGE");
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") return createError("HEADERS_TIMEOUT", headersTimeoutMs);
  // llhttp's reason ("Invalid header value char", "Content-Length can't be present with Transfer-Encoding", …).
  return createError("BAD_HTTP", (error as { reason?: string }).reason ?? error.code ?? "unparseable");
}

const REASONS: Record<number, string> = { 400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large" };


export function answerClientErrors(server: Server, { headersTimeoutMs, log }: { headersTimeoutMs: number; log: (line: string) => void }): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset connection, or one that already has its response, cannot be answered.
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const { code, message } = classify(error, headersTimeoutMs);
    const status = statusOf(code);
    const body = JSON.stringify({ error: { code, message } });
    log(`${status} ${code} before routing: ${message}`);
    socket.end(
      [
        `HTTP/1.1 ${status} ${REASONS[status] ?? "Bad Request"}`,
        "Content-Type: application/json; charset=utf-8",
        `Content-Length: ${Buffer.byteLength(body)}`,
        `Content-Security-Policy: ${API_CONTENT_SECURITY_POLICY}`,
        "X-Content-Type-Options: nosniff",
        "X-Frame-Options: DENY",
        "Connection: close",
        "",
        body,
      ].join("\r\n"),
    );
  });
}

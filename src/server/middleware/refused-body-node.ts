// Node adapter: once a request body has been refused (413), stop reading it. By default the
// rest of the body would be read and thrown away (up to 64 MB in @hono/node-server) so that the
// connection can be reused; a client that keeps sending could keep the server busy with that.
// Instead the socket stops reading (TCP flow control then stalls the sender), the response is
// sent, the write side is closed, and the connection is dropped after a grace period in which a
// client that reads while it sends (curl, fetch, Node) gets to read the 413.
import type { HttpBindings } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";

export interface StopReadingOptions {
  /** How long the client has to read the response before the connection is dropped (default 1000 ms). */
  graceMs?: number;
}

export function stopReadingRefusedBodies(options: StopReadingOptions = {}): MiddlewareHandler<{ Bindings: HttpBindings }> {
  const { graceMs } = { graceMs: 1000, ...options };
  return async (c, next) => {
    await next();
    if (c.res.status !== 413 || !c.env?.incoming) return;
    const { incoming, outgoing } = c.env;
    const stop = () => {
      // Runs after @hono/node-server's own "finish" listener, which starts draining: pause undoes that.
      incoming.pause();
      const socket = incoming.socket;
      socket.end();
      setTimeout(() => socket.destroy(), graceMs).unref();
    };
    if (outgoing.writableFinished) stop();
    else outgoing.once("finish", stop);
  };
}

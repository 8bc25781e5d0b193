import { notReadyHealth } from "../../src/server/health";
import type { Health } from "../../src/types";

/** A ready health report for app tests whose engine is built in memory. */
export const READY_HEALTH: Health = {
  ...notReadyHealth("test"),
  ready: true,
  embedder: { id: "hashing-test", dimension: 1024, reason: "test" },
  index: { kind: "exact", loaded: false, builtAt: "2026-01-01T00:00:00.000Z", buildMs: 0, reason: "test" },
};

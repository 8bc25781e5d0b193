// Node adapter, the entry of each extraction worker thread (extract-node.ts): plain JavaScript
// that registers tsx before loading the TypeScript readers, so the worker starts the same way
// under tsx, vitest and plain node.
import { register } from "tsx/esm/api";

register();
await import("./extract-thread.ts");

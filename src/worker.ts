// Cloudflare Worker entry (wrangler.toml `main`): the same Hono app as the Node server, over the
// bundle that `npm run build:worker` writes to src/worker/bundle/ (a Data module: an ArrayBuffer).
import bundle from "./worker/bundle/qa.bin";
import { createWorkerApp, type AssetFetcher } from "./worker/app";
import { loadConfig } from "./config";

export interface Env {
  /** Static assets from web/ ([assets] binding in wrangler.toml). */
  ASSETS: AssetFetcher;
  /** Optional override of the calibrated refusal threshold, as for Node ([vars] or the dashboard). */
  ABSTAIN_THRESHOLD?: string;
}

type WorkerApp = ReturnType<typeof createWorkerApp>;

// One app per isolate: its engine is built on the first API request and then reused.
let app: WorkerApp | undefined;

export default {
  fetch(request: Request, env: Env, ctx: Parameters<WorkerApp["fetch"]>[2]): Response | Promise<Response> {
    // Validated like Node's configuration; the bindings (ASSETS) are not strings and are not read.
    app ??= createWorkerApp({ bundle, assets: env.ASSETS, abstainBelow: loadConfig({ ABSTAIN_THRESHOLD: env.ABSTAIN_THRESHOLD }).ABSTAIN_THRESHOLD });
    return app.fetch(request, env, ctx);
  },
};

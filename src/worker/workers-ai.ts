// The Workers AI binding ([ai] binding = "AI" in wrangler.toml) as the `fetch` the OpenAI-compatible
// embedder calls, so the Worker embeds questions with e.g. @cf/baai/bge-m3 through the same client
// code (batching, checks, normalisation, errors) as any server. The bundle is built through Workers
// AI's own OpenAI-compatible endpoint (docs/embeddings.md), so both sides use one model.
// Web APIs only.

/** The part of the binding used here: `run(model, { text })` answers `{ shape, data: number[][] }`. */
export interface WorkersAiBinding {
  run(model: string, input: { text: string[] }): Promise<unknown>;
}

/** The base URL the embedder is given with the binding: never fetched, it names the host in the embedder id. */
export const WORKERS_AI_URL = "https://workers-ai.binding/v1";

export function workersAiFetch(ai: WorkersAiBinding): typeof fetch {
  return async (_input, init) => {
    const { model, input } = JSON.parse(String(init?.body)) as { model: string; input: string[] };
    let output: unknown;
    try {
      output = await ai.run(model, { text: input });
    } catch (error) {
      // The client retries a 503 as it would a server's, then reports the service unavailable.
      return Response.json({ error: { message: error instanceof Error ? error.message : String(error) } }, { status: 503 });
    }
    const rows = (output as { data?: unknown })?.data;
    // Handed on as it came: the client checks count, dimension and numbers.
    const data = Array.isArray(rows) ? rows.map((embedding, index) => ({ object: "embedding", index, embedding })) : rows;
    return Response.json({ object: "list", data, model });
  };
}

// Answer time with the model's cross-lingual bridge (retrieve/bridge.ts) on and off, side by side in
// one process: XQuAD dev's report-half questions (tune-model.ts's split), alternated between the two
// engines question by question, so both see the same load. Index-time vectors (passages, sentences,
// the bridge's vocabulary) come from the vector cache; questions and their words go to the model live.
//   SHARED_DIR=../shared nice -n 10 npx tsx scripts/bridge-latency.ts [--batcher] [--per-language 40] [--languages en,ru,de,es] [--models-dir models]
// (--batcher: through the server's query batcher, src/embed/query-batcher.ts)
// Only the ratio of the two means anything on a shared machine; docs/quality-bridge.md has results.
import { parseArgs } from "node:util";
import { loadCorpusDir } from "../src/corpus/load-node";
import { createQueryBatcher } from "../src/embed/query-batcher";
import { createTransformersEmbedder } from "../src/embed/transformers";
import type { Embedder, EmbedKind } from "../src/types";
import { createCachedModel, fitArticlesOf, SHARED_DIR } from "./lib/cached-model";
import { buildModelPipeline } from "./lib/engine";
import { readQuestions, type EvalQuestion } from "./lib/evaluate";

const { values } = parseArgs({
  options: {
    "models-dir": { type: "string", default: "models" },
    batcher: { type: "boolean", default: false },
    "per-language": { type: "string", default: "40" },
    languages: { type: "string", default: "en,ru,de,es" },
  },
});
const XQUAD = `${SHARED_DIR}/eval/xquad`;
const cached = await createCachedModel(values["models-dir"]);
const raw = await createTransformersEmbedder({ modelsDir: values["models-dir"] });
const live = values.batcher ? createQueryBatcher(raw) : raw;
// Cached while the engines are built, live once they answer.
let answering = false;
const embedder: Embedder = {
  id: cached.id,
  dimension: cached.dimension,
  embed: (texts: string[], kind: EmbedKind) => (answering ? live : cached).embed(texts, kind),
  ...(raw.embedTokens && { embedTokens: raw.embedTokens.bind(raw) }),
};

type Question = EvalQuestion & { article?: string };
const all = readQuestions(`${XQUAD}/dev.jsonl`) as Question[];
const fit = fitArticlesOf(all.map((q) => q.article!));
const perLanguage = Number(values["per-language"]);
const byLanguage = values.languages!.split(",").map((language) => all.filter((q) => !fit.has(q.article!) && q.kind === language).slice(0, perLanguage));
// Languages interleaved, so neither engine meets one language's questions first.
const questions = byLanguage.flatMap((list, l) => list.map((q, i) => ({ q, at: i * byLanguage.length + l }))).sort((a, b) => a.at - b.at).map(({ q }) => q);

const { corpus } = await loadCorpusDir(`${XQUAD}/corpus`);
const engines = { on: (await buildModelPipeline(corpus, embedder)).engine, off: (await buildModelPipeline(corpus, embedder, { bridge: false })).engine };
cached.save();
answering = true;
const times: Record<keyof typeof engines, number[]> = { on: [], off: [] };
for (const [i, q] of questions.entries()) {
  for (const name of i % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const)) {
    const started = performance.now();
    await engines[name].answer({ question: q.question, topK: 5, history: [] });
    times[name].push(performance.now() - started);
  }
}
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
console.log(`${questions.length} questions (${values.languages}), ${values.batcher ? "through the query batcher" : "raw embedder"}`);
console.log("| bridge | p50 ms | p95 ms |\n|---|---|---|");
for (const name of ["off", "on"] as const) console.log(`| ${name} | ${percentile(times[name], 0.5).toFixed(1)} | ${percentile(times[name], 0.95).toFixed(1)} |`);
console.log(`ratio on/off: p50 ${(percentile(times.on, 0.5) / percentile(times.off, 0.5)).toFixed(2)}, p95 ${(percentile(times.on, 0.95) / percentile(times.off, 0.95)).toFixed(2)}`);

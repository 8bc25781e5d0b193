// Indexing with the multilingual model, through the Node engine the server uses: a build from
// nothing, a restart with nothing changed, adding one 20-paragraph document both as the server's
// live reload (SIGHUP: the loaded model reused) and as a restart (only the document's texts are
// embedded either way, index/vector-cache.ts, and its vectors inserted into the stored graph,
// index/incremental.ts), answer latency in process, peak RSS, and answers over HTTP at 32
// connections on the real server.
//   npx tsx bench/model-index.ts [--passages 1000] [--corpus DIR] [--keep DIR] [--http-seconds 15] [--json out.json]
// Without --corpus the corpus is synthetic Arabic (bench/lib/synth.ts) of about that many passages.
// --keep DIR works in DIR and leaves it there, so a second run starts from its vector cache (the
// first build is then not "from nothing", and the result says so).
import { cpSync, existsSync, mkdirSync, readdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/log";
import { createNodeEngine, type NodeEngine } from "../src/node/engine";
import { measureHttp } from "./http";
import { loadCorpusDir } from "../src/corpus/load-node";
import { synthesizeCorpus } from "./lib/synth";
import { generatedQuestions } from "./lib/questions";
import { summarize } from "./lib/stats";

const { values } = parseArgs({ options: { passages: { type: "string", default: "1000" }, corpus: { type: "string" }, keep: { type: "string" }, json: { type: "string" }, "http-seconds": { type: "string", default: "15" } } });
const root = values.keep ?? mkdtempSync(join(tmpdir(), "model-index-"));
const fromNothing = !existsSync(join(root, "embeddings", "cache"));
const corpusDir = join(root, "corpus");
const ADDED = "zz-added.txt";
const XQUAD_CORPUS = "../shared/eval/xquad/corpus";
const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);
let peak = rss();
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 200);

try {
  const real = await loadCorpusDir("corpus");
  rmSync(join(corpusDir, ADDED), { force: true });
  if (existsSync(corpusDir)) {
    // --keep: the corpus written by an earlier run, as it was before its document was added.
  } else if (values.corpus) cpSync(values.corpus, corpusDir, { recursive: true });
  else {
    mkdirSync(corpusDir, { recursive: true });
    for (const file of synthesizeCorpus({ sentences: real.corpus.sentences.map((s) => s.text), passages: Number(values.passages) })) {
      writeFileSync(join(corpusDir, file.name), file.bytes);
    }
  }
  const config = loadConfig({ CORPUS_DIR: corpusDir, EMBEDDINGS_DIR: join(root, "embeddings"), EMBEDDER: "transformers", LOG_LEVEL: "warn" });
  const start = async (previous?: NodeEngine) => {
    const t = performance.now();
    const engine = await createNodeEngine(config, createLogger("warn"), { previous });
    return { engine, seconds: +((performance.now() - t) / 1000).toFixed(1), index: engine.health().index.reason };
  };

  const cold = await start();
  const counts = cold.engine.health().counts;
  const unchanged = await start();

  // One new 20-paragraph document of text the corpus has never seen, as a user might add an
  // article: paragraphs of Arabic Wikipedia from the XQuAD sample (../shared, read in place), added
  // once as a live reload and then (20 other paragraphs) as a restart. The synthetic corpus is made
  // of the seed article's sentences, so the seed article's paragraphs would be half cached already;
  // without ../shared they are used anyway, each sentence marked so that it is new.
  const inCorpus = (await loadCorpusDir(corpusDir)).corpus.documents.map((d) => d.text);
  const wikipedia = existsSync(XQUAD_CORPUS)
    ? readdirSync(XQUAD_CORPUS).sort().flatMap((name) => readFileSync(join(XQUAD_CORPUS, name), "utf8").split("\n").filter((line) => line.trim().length > 200))
    : [];
  const seedParagraphs = readFileSync(join("corpus", "000_c1add9699fc6f4ec.txt"), "utf8").trim().split("\n");
  const unseen = wikipedia.filter((paragraph) => !inCorpus.some((text) => text.includes(paragraph)));
  // (When the corpus is the XQuAD sample itself: the seed article's paragraphs, every sentence marked.)
  const novel = unseen.length >= 40 ? unseen : Array.from({ length: 40 }, (_, i) => seedParagraphs[i % seedParagraphs.length].replace(/([.!؟?])(\s|$)/gu, `$1 [${i}]$2`));
  const document = (first: number) => Array.from({ length: 20 }, (_, i) => novel[(first + i) % novel.length]).join("\n");
  writeFileSync(join(corpusDir, ADDED), document(0));
  const embeddedBefore = unchanged.engine.vectorCache?.stats.misses ?? 0;
  const live = await start(unchanged.engine);
  const liveEmbedded = (live.engine.vectorCache?.stats.misses ?? 0) - embeddedBefore;
  writeFileSync(join(corpusDir, ADDED), document(20));
  const added = await start();

  const questions = generatedQuestions((await loadCorpusDir(corpusDir)).corpus, 200);
  const latencies: number[] = [];
  for (const question of questions) {
    const t = performance.now();
    await added.engine.engine.answer({ question, topK: 5, history: [] });
    latencies.push(performance.now() - t);
  }
  const embedded = counts.passages + counts.sentences;
  const result = {
    corpus: values.corpus ?? `synthetic, ${values.passages} passages`,
    counts,
    [fromNothing ? "buildFromNothingSeconds" : "firstStartWithKeptCacheSeconds"]: cold.seconds,
    textsEmbeddedPerSecond: +(embedded / cold.seconds).toFixed(1),
    restartUnchangedSeconds: unchanged.seconds,
    addOneDocumentLiveReloadSeconds: live.seconds,
    // Texts of the document not already in the cache (passages and sentences): what was embedded.
    addOneDocumentLiveReloadTextsEmbedded: liveEmbedded,
    addOneDocumentRestartSeconds: added.seconds,
    addOneDocumentRestartTextsEmbedded: added.engine.vectorCache?.stats.misses,
    addOneDocumentIndex: added.index,
    answerMs: summarize(latencies),
    peakRssMb: peak,
    // The real server on the same folder (one process: the model is loaded once), loaded at 32 connections.
    http: values["http-seconds"] === "0" ? undefined : await measureHttp({
      corpusDir,
      embeddingsDir: join(root, "embeddings"),
      questions,
      connections: [32],
      durationSeconds: Number(values["http-seconds"]),
      startTimeoutMs: 120_000,
      env: { EMBEDDER: "transformers", WORKERS: "1" },
    }),
  };
  console.log(JSON.stringify(result, null, 2));
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
} finally {
  clearInterval(sampler);
  if (!values.keep) rmSync(root, { recursive: true, force: true });
}

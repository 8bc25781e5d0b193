// Refusals that read the question (retrieve/entities.ts), measured on test/questions/nearmiss.jsonl:
// near-miss questions (a twin's subject swapped for another country, person or year) and their
// answerable twins, asked of the seed article and the two documents of test/questions/documents/,
// through the model's pipeline with its calibrated thresholds, as the server runs it.
//   nice -n 10 npx tsx scripts/near-miss.ts [--variant off|numbers|regions|places|people|arabic-names|names|arabic|names-no-bridge] [--built-in]
// (--built-in: the built-in embedder instead of the model, as a server without models/ runs)
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadCorpusDir } from "../src/corpus/load-node";
import type { EntityCheckOptions } from "../src/retrieve/entities";
import { createCachedModel } from "./lib/cached-model";
import { buildInMemoryPipeline, buildModelPipeline, type ModelPipelineOptions } from "./lib/engine";
import { evaluate, readQuestions } from "./lib/evaluate";

const { values } = parseArgs({ options: { variant: { type: "string", default: "people" }, "built-in": { type: "boolean", default: false } } });
// The service checks numbers, countries and Arabic places and people ("people", retriever.ts says why); the other variants check less or more.
const VARIANTS: Record<string, { entityCheck: EntityCheckOptions | false; bridge?: false }> = {
  off: { entityCheck: false },
  numbers: { entityCheck: { kinds: ["number"] } },
  regions: { entityCheck: { kinds: ["number", "region"] } },
  places: { entityCheck: { kinds: ["number", "region", "place"] } },
  people: { entityCheck: { kinds: ["number", "region", "place", "person"] } },
  "arabic-names": { entityCheck: { nameLanguages: ["ar"] } },
  names: { entityCheck: {} },
  arabic: { entityCheck: { arabicWords: true } },
  "names-no-bridge": { entityCheck: {}, bridge: false },
};
const variant = VARIANTS[values.variant!];
if (!variant) throw new Error(`--variant: one of ${Object.keys(VARIANTS).join(", ")}`);

/** The seed article and the two documents written for this set, in one temporary corpus folder. */
function nearMissCorpusDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "near-miss-"));
  for (const file of readdirSync("corpus").filter((f) => f.endsWith(".txt"))) copyFileSync(join("corpus", file), join(dir, file));
  for (const file of readdirSync("test/questions/documents").filter((f) => f.endsWith(".txt"))) copyFileSync(join("test/questions/documents", file), join(dir, file));
  return dir;
}

const dir = nearMissCorpusDir();
const { corpus } = await loadCorpusDir(dir);
rmSync(dir, { recursive: true });
const options: ModelPipelineOptions = { retriever: { entityCheck: variant.entityCheck }, ...(variant.bridge === false && { bridge: false }) };
let engine;
if (values["built-in"]) {
  engine = (await buildInMemoryPipeline(corpus, { retriever: options.retriever })).engine;
} else {
  const model = await createCachedModel();
  engine = (await buildModelPipeline(corpus, model, options)).engine;
  model.save();
}
const rows = (await evaluate(engine, readQuestions("test/questions/nearmiss.jsonl"))).rows;

const share = (n: number, d: number) => (d ? (n / d).toFixed(3) : "–");
console.log(`variant ${values.variant}: ${JSON.stringify(variant)}`);
console.log("| lang | near-miss refused | twins answered | twins hit@1 |\n|---|---|---|---|");
for (const lang of ["all", "ar", "en", "ru", "de", "es"]) {
  const set = rows.filter((r) => lang === "all" || r.question.lang === lang);
  const miss = set.filter((r) => r.question.kind === "nearmiss");
  const twins = set.filter((r) => r.question.kind === "twin");
  console.log(`| ${lang} | ${share(miss.filter((r) => r.abstained).length, miss.length)} (${miss.length}) | ${share(twins.filter((r) => !r.abstained).length, twins.length)} | ${share(twins.filter((r) => !r.abstained && r.rank === 1).length, twins.length)} |`);
}
for (const r of rows) {
  const wrong = r.question.kind === "nearmiss" ? !r.abstained : r.abstained || r.rank !== 1;
  if (wrong) console.log(`miss ${r.question.id} [${r.question.kind}] abstained=${r.abstained} rank=${r.rank} conf=${r.confidence.toFixed(3)}  ${r.question.question}`);
}

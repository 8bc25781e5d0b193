// Shows how a question is analysed and how its candidate sentences score, for tuning:
//   npx tsx scripts/explain.ts "سؤال"
import { buildInMemoryPipeline, loadCorpus } from "./lib/engine";

const question = process.argv.slice(2).join(" ");
const { retriever } = await buildInMemoryPipeline(await loadCorpus(), { abstainBelow: 0 });
const r = await retriever.retrieve(question, { topK: 5 });
console.log(`language ${r.query.language}  confidence ${r.confidence}`);
for (const g of r.query.groups) console.log(`  ${g.word}${g.fromHistory ? " (history)" : ""}: ${g.variants.map((v) => `${v.term}×${v.weight}`).join(" ")}`);
console.log(`dense text: ${r.query.denseText}`);
for (const s of r.candidates.slice(0, 6)) {
  const signals = Object.entries(s.signals).map(([name, value]) => `${name} ${value.toFixed(2)}`).join(" ");
  console.log(`${s.score.toFixed(3)} (${signals})  ¶${s.sentence.paragraph}.${s.sentence.sentence} ${s.sentence.text.slice(0, 90)}`);
}

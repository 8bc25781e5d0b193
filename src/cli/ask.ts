// npm run ask -- "سؤال": answers one question in the terminal, with its citations.
import { loadConfig } from "../config";
import { createLogger } from "../log";
import { createNodeEngine } from "../node/engine";
import { parseAnswerRequest } from "../server/app";
import { AppError } from "../errors";

const question = process.argv.slice(2).join(" ");
if (!question.trim()) {
  console.error('usage: npm run ask -- "your question"');
  process.exit(2);
}

const config = loadConfig();
const { engine, close } = await createNodeEngine(config, createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL));
try {
  const response = await engine.answer(parseAnswerRequest({ question }));
  console.log(response.answer);
  for (const c of response.citations) {
    console.log(`[${c.n}] ${c.docId} ¶${c.paragraph} s${c.sentence} [${c.start}, ${c.end}) score ${c.score.toFixed(3)}`);
  }
  console.log(`${response.abstained ? "abstained" : "answered"} · confidence ${response.confidence.toFixed(3)} · ${JSON.stringify(response.timings)}`);
} catch (error) {
  console.error(error instanceof AppError ? error.message : error);
  process.exit(1);
} finally {
  await close?.(); // the pgvector store's pool, which would keep the process alive
}

import { beforeAll, describe, expect, it } from "vitest";
import { buildInMemoryPipeline, loadCorpus } from "../../../scripts/lib/engine";
import type { Corpus } from "../../../src/types";
import { fixtureFile } from "./fixtures";
import { createLexicons } from "../../../src/text/lexicon";

// Lexicons reach the query analysis through createPipeline's options (the Node engine passes the
// ones it loaded; the Worker none). The dev sample's d16 needs translations with the built-in embedder.
const QUESTION = "Which countries are escalating the situation on the border?";
const GOLD = "بولندا ودول البلطيق، على وجه الخصوص، تعمل على تصعيد الوضع";
const english = createLexicons({
  "en-ar": fixtureFile({ border: ["الحدود", "حدود"], country: ["الدول", "دول"], escalate: ["تصعيد"], situation: ["الوضع"] }),
});

let corpus: Corpus;
beforeAll(async () => {
  corpus = await loadCorpus();
});

describe("lexicons in the pipeline", () => {
  it("translate an English question's words when given", async () => {
    const { engine, retriever } = await buildInMemoryPipeline(corpus, { lexicons: english });
    const { query } = await retriever.retrieve(QUESTION);
    expect(query.groups.find((g) => g.word === "escalating")?.variants.some((v) => v.term.includes("صعد"))).toBe(true);
    const answer = await engine.answer({ question: QUESTION, topK: 3, history: [] });
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0].text).toContain(GOLD);
  });

  it("are off by default: the same question gets no translations", async () => {
    const { retriever } = await buildInMemoryPipeline(corpus);
    const { query } = await retriever.retrieve(QUESTION);
    const escalating = query.groups.find((g) => g.word === "escalating");
    expect(escalating?.variants.some((v) => /[\u0600-\u06FF]/.test(v.term)) ?? false).toBe(false);
  });

  it("can be switched off for ablations even when given", async () => {
    const { retriever } = await buildInMemoryPipeline(corpus, { lexicons: english, expansion: { translation: false } });
    expect((await retriever.retrieve(QUESTION)).query.groups.flatMap((g) => g.variants).some((v) => v.term.includes("صعد"))).toBe(false);
  });
});

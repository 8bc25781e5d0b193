// The mean-vector shift (src/retrieve/language-shift.ts) as the fitting scripts try it: which
// strength, where it applies, and whether the Arabic mean is taken from the background sentences
// embedded as queries (like the question: the direction is the language alone) or as passages
// (like the sources: it also carries the model's offset from queries to passages).
import type { Embedder } from "../../src/types";
import type { CrossLingualProfile } from "../../src/retrieve/retriever";
import { PARALLEL_BACKGROUND } from "../../src/retrieve/background-languages";
import { createLanguageShift, embedLanguageMeans } from "../../src/retrieve/language-shift";

export interface ShiftSpec {
  strength: number;
  apply: "search" | "sentences" | "both";
  arabic: "query" | "passage";
}

export function parseShift(json: string): ShiftSpec {
  const spec = JSON.parse(json) as Partial<ShiftSpec>;
  if (typeof spec.strength !== "number" || !["search", "sentences", "both"].includes(spec.apply ?? "") || !["query", "passage"].includes(spec.arabic ?? "query")) {
    throw new Error(`--shift: expected {"strength": number, "apply": "search"|"sentences"|"both", "arabic"?: "query"|"passage"}, got ${json}`);
  }
  return { strength: spec.strength, apply: spec.apply!, arabic: spec.arabic ?? "query" };
}

export async function languageShiftProfile(model: Embedder, { strength, apply, arabic }: ShiftSpec): Promise<Pick<CrossLingualProfile, "languageShift">> {
  const means = await embedLanguageMeans((texts) => model.embed(texts, "query"));
  if (arabic === "passage") means.set("ar", (await embedLanguageMeans((texts) => model.embed(texts, "passage"), { ar: PARALLEL_BACKGROUND.ar })).get("ar")!);
  return { languageShift: { shift: createLanguageShift({ means, strength }), apply } };
}

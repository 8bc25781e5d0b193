// Refusal thresholds, calibrated per kind of embedder by scripts/calibrate.ts on a question set
// held apart from the evaluation sets (test/questions/calibration.jsonl).
import calibration from "./calibration.json";

export type EmbedderFamily = keyof typeof calibration.thresholds;

export function embedderFamily(embedderId: string): EmbedderFamily {
  return embedderId.startsWith("hashing") ? "hashing" : "transformers";
}

export function thresholdFor(embedderId: string): number {
  return calibration.thresholds[embedderFamily(embedderId)];
}

/**
 * The multilingual model's thresholds, fitted on the model's own scores (scripts/tune-model.ts):
 * one for questions in the sources' language, one for the others (CrossLingualProfile).
 */
export function modelThresholds(): { sameLanguage: number; crossLingual: number } {
  return calibration.model;
}

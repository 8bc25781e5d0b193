// The mean-vector shift: a question in another language than the sources' moved toward their
// language in the model's space before it is compared with them. A multilingual encoder's vectors
// carry a component shared by all text of one language; subtracting the mean vector of the
// question's language and adding the sources' one (each the mean of the same everyday sentences,
// retrieve/background-languages.ts, so the difference is the language and not the topics) removes
// part of that component: q' = normalise(q − α·mean_lang + α·mean_target).
// An experiment, off by default (CrossLingualProfile.languageShift; measured in docs/quality-bridge.md).
import { PARALLEL_BACKGROUND } from "./background-languages";

export interface LanguageShiftOptions {
  /** Mean vector of each language's background sentences (each of `dimension` floats). */
  means: ReadonlyMap<string, Float32Array>;
  /** The sources' language, whose mean is added (default "ar"). */
  target?: string;
  /** α: 0 leaves every vector as it is; 1 swaps one language's mean for the other's. */
  strength: number;
}

export type LanguageShift = (vector: Float32Array, language: string) => Float32Array;

/**
 * The shift for these means. A question in the target language, or in a language without a
 * background set, is returned as it is (the same array), as is any vector when α is 0 or when the
 * shifted vector would have no length.
 */
export function createLanguageShift({ means, target = "ar", strength }: LanguageShiftOptions): LanguageShift {
  const targetMean = means.get(target);
  // One direction per language, computed once.
  const directions = new Map<string, Float32Array>();
  if (targetMean && strength !== 0) {
    for (const [language, mean] of means) {
      if (language === target) continue;
      if (mean.length !== targetMean.length) throw new Error(`language shift: the ${language} mean has ${mean.length} floats, the ${target} mean ${targetMean.length}`);
      directions.set(language, targetMean.map((t, d) => strength * (t - mean[d])));
    }
  }
  return (vector, language) => {
    const direction = directions.get(language);
    if (!direction || direction.length !== vector.length) return vector;
    const shifted = vector.map((x, d) => x + direction[d]);
    let norm = 0;
    for (const x of shifted) norm += x * x;
    norm = Math.sqrt(norm);
    return norm > 1e-12 && Number.isFinite(norm) ? shifted.map((x) => x / norm) : vector;
  };
}

/** The mean of vectors (all of one length); an empty list has none. */
export function meanOf(vectors: readonly Float32Array[]): Float32Array | undefined {
  if (vectors.length === 0) return undefined;
  const mean = new Float32Array(vectors[0].length);
  for (const v of vectors) for (let d = 0; d < mean.length; d++) mean[d] += v[d] / vectors.length;
  return mean;
}

/**
 * Each language's background sentences embedded in one call and averaged. Embedded as queries by
 * default, like the question they shift, so the means differ by language, not by the kind of text.
 */
export async function embedLanguageMeans(
  embed: (texts: string[]) => Promise<Float32Array[]>,
  sentences: Readonly<Record<string, readonly string[]>> = PARALLEL_BACKGROUND,
): Promise<Map<string, Float32Array>> {
  const languages = Object.keys(sentences).filter((language) => sentences[language].length > 0);
  const vectors = await embed(languages.flatMap((language) => [...sentences[language]]));
  const means = new Map<string, Float32Array>();
  let next = 0;
  for (const language of languages) {
    const count = sentences[language].length;
    means.set(language, meanOf(vectors.slice(next, next + count))!);
    next += count;
  }
  return means;
}

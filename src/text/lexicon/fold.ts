// The Arabic folding the lexicon data is stored in: the runtime normaliser itself, so that the
// words a question is analysed into and the stored entries always agree. Changing the
// normaliser means rebuilding the data (npx tsx scripts/build-lexicon.ts; --check verifies).
import { normalizeArabic } from "../normalize";

export function foldArabic(text: string): string {
  return normalizeArabic(text);
}

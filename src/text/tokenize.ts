// Words are maximal runs of letters (with their combining marks) or of digits; everything else
// (spaces, Arabic and Latin punctuation, symbols, emoji, lone surrogates) separates them.
// Digits split from letters so numbers match however they are glued: "2024-2026" → 2024, 2026;
// "2025م" → 2025, م; "ب2023" → ب, 2023.

const WORD = /[\p{L}\p{M}]+|\p{N}+/gu;

/** Splits (normalized) text into words, in order. Never throws, never returns empty strings. */
export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}

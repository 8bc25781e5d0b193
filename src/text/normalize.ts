// Arabic-aware normalization for MATCHING only: the output is compared with other normalized
// text and never shown or used to compute offsets (its length differs from the input's).

const KEEP = 0;
const DROP = 0xffff; // a noncharacter, so never a real replacement

/** Code unit → replacement code unit, KEEP or DROP; a flat table because this runs on every character indexed. */
const REPLACEMENTS = new Uint16Array(0x10000);

function map(from: string, to: string | typeof DROP): void {
  for (const ch of from) REPLACEMENTS[ch.charCodeAt(0)] = to === DROP ? DROP : to.charCodeAt(0);
}
function dropRange(first: number, last: number): void {
  REPLACEMENTS.fill(DROP, first, last + 1);
}

// Tashkeel, Quranic annotation marks and tatweel carry no meaning for matching.
dropRange(0x064b, 0x065f);
dropRange(0x06d6, 0x06ed);
map("\u0670\u0640", DROP);
// Invisible format characters (bidi controls, zero-width joiners, soft hyphen, BOM) would split or hide words.
dropRange(0x200b, 0x200f);
dropRange(0x202a, 0x202e);
dropRange(0x2060, 0x2069);
map("\u00ad\u061c\ufeff", DROP);

map("أإآٱٲٳ", "ا");
map("ى", "ي");
map("ة", "ه");
// Persian keyboard letters that are often typed for the Arabic ones.
map("ی", "ي");
map("ک", "ك");
// Hamza seats are the most common misspelling (مسؤول / مسئول / مسءول, شؤون / شئون):
// folding ؤ and ئ onto a bare ء makes them all match while ء still tells سؤال from سال.
map("ؤئ", "ء");

for (let d = 0; d <= 9; d++) {
  REPLACEMENTS[0x0660 + d] = 0x30 + d; // Arabic-Indic
  REPLACEMENTS[0x06f0 + d] = 0x30 + d; // Extended Arabic-Indic (Persian, Urdu)
}

// The alef that carries tanween fath (مفهوماً، جزءًا) is spelling, not part of the word.
const TANWEEN_ALEF = /\u064b\u0627|\u0627\u064b/g;
function dropTanweenAlef(text: string): string {
  return text.includes("\u064b") ? text.replace(TANWEEN_ALEF, "") : text;
}

/**
 * NFKC (folds presentation forms and ligatures such as ﻻ), lowercase, then:
 * drop tashkeel (and the alef of tanween fath: مفهوماً → مفهوم), tatweel and invisible format characters; أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ ئ → ء;
 * Arabic-Indic and Persian digits → ASCII.
 */
export function normalizeArabic(text: string): string {
  const folded = dropTanweenAlef(text.normalize("NFKC").toLowerCase());
  let out = "";
  let runStart = 0;
  for (let i = 0; i < folded.length; i++) {
    const replacement = REPLACEMENTS[folded.charCodeAt(i)];
    if (replacement === KEEP) continue;
    out += folded.slice(runStart, i);
    if (replacement !== DROP) out += String.fromCharCode(replacement);
    runStart = i + 1;
  }
  return runStart === 0 ? folded : out + folded.slice(runStart);
}

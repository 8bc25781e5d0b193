// Which language a question is in, so the answer can be given in it. Script first (letter counts),
// then, for Latin script, the language whose function words occur most.

import { tokenize } from "./tokenize";

const ARABIC_LETTER = /(?=\p{L})\p{Script=Arabic}/gu;
const LATIN_LETTER = /(?=\p{L})\p{Script=Latin}/gu;
const CYRILLIC_LETTER = /(?=\p{L})\p{Script=Cyrillic}/gu;
const ANY_LETTER = /\p{L}/gu;

// Frequent words that are (mostly) unique to one language; shared ones (la, que, de, en) would only add ties.
const LATIN_MARKERS: ReadonlyArray<readonly [string, ReadonlySet<string>]> = [
  ["en", new Set("the and of to is are was were what when where who whom which why how does did do on with for this that it from by".split(" "))],
  ["fr", new Set("le les des est et qui quand où comment pourquoi quel quelle quels quelles une du dans pour sur avec ce cette il elle sont ont au aux qu ne pas".split(" "))],
  ["es", new Set("el los las es y qué cuándo dónde cómo por para una del con se su quién quiénes cuál cuáles cuánto cuánta cuántos cuántas son está están fue fueron al lo ha han había tiene".split(" "))],
  ["de", new Set("der die das und ist wer wann wo wie warum was ein eine mit von zu den dem nicht auf für sich im sind wurde wurden welche welcher welches welchem welchen wieso weshalb wofür womit wodurch woher wohin worauf viele vielen gibt hat haben hatte hatten wird werden kann können konnte einer eines einem einen nach bei auch über oder seit zum zur durch gegen ohne dass noch".split(" "))],
];
// Letters German uses and English, French and Spanish do not: a word holding one counts for German
// (questions such as "Welches Gebiet betreffen Privatrechnungen typischerweise?" have few function words).
const GERMAN_LETTER = /[äöß]|(?<!g)ü/;

// Persian and Urdu are written in Arabic script too. The model reads them, but the Arabic word rules
// (stems, the evidence gate) do not, so they must not pass for Arabic. Told by their function words,
// which Arabic does not have, together with letters Arabic does not use.
const PERSIAN_WORDS = new Set("است این آن که چه چی چیست کیست کجا کجاست چرا کدام چگونه چطور چقدر چند را از برای با هست نیست بود شد کرد می نمی".split(" "));
const URDU_WORDS = new Set("کیا ہے ہیں کی کے کو میں سے نے یہ وہ کون کب کہاں کیوں کتنا کتنے کتنی تھا تھی".split(" "));
const PERSIAN_LETTER = /[پچژگکی]/u;
const URDU_LETTER = /[ٹڈڑںےہ]/u;

const count = (text: string, letters: RegExp) => text.match(letters)?.length ?? 0;

// Markup, URLs and e-mail addresses are not language: `<img src=x onerror=…>` in an Arabic
// question must not make it English.
const NOT_LANGUAGE = /<[^>]*>?|`[^`]*`|\bhttps?:\/\/\S+|\S+@\S+/g;

/** "ar", "fa", "ur", "en", "fr", "es", "de", "ru", or "und" (no letters, or another script dominates). */
export function detectLanguage(input: string): string {
  const text = input.replace(NOT_LANGUAGE, " ");
  const arabic = count(text, ARABIC_LETTER);
  const latin = count(text, LATIN_LETTER);
  const cyrillic = count(text, CYRILLIC_LETTER);
  const best = Math.max(arabic, latin, cyrillic);
  if (best === 0 || best < count(text, ANY_LETTER) - arabic - latin - cyrillic) return "und";
  // Ties go to Arabic: an Arabic question often quotes Latin names (NATO, Putin).
  if (arabic === best) return arabicScriptLanguage(text);
  if (cyrillic > latin) return "ru";
  return latinLanguage(text);
}

function arabicScriptLanguage(text: string): string {
  const words = text.split(/[^\p{L}\p{M}\u200c]+/u).flatMap((word) => word.split("\u200c"));
  const hits = (markers: ReadonlySet<string>) => words.filter((word) => markers.has(word)).length;
  const [urdu, persian] = [hits(URDU_WORDS), hits(PERSIAN_WORDS)];
  if (urdu > 0 && urdu >= persian && URDU_LETTER.test(text)) return "ur";
  if (persian >= 2 || (persian === 1 && PERSIAN_LETTER.test(text))) return "fa";
  return "ar";
}

function latinLanguage(text: string): string {
  const words = tokenize(text.toLowerCase());
  let language = "en";
  let bestHits = 0;
  for (const [code, markers] of LATIN_MARKERS) {
    let hits = 0;
    for (const word of words) if (markers.has(word) || (code === "de" && GERMAN_LETTER.test(word))) hits++;
    if (hits > bestHits) [language, bestHits] = [code, hits];
  }
  return language;
}

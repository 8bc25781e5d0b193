// Triliteral root candidates by pattern matching (after ISRI, Taghva et al. 2005): words built
// on one root by different patterns meet here although their stems differ — توقيع / وقعت /
// ستوقع (وقع), تصعيد / تصاعد (صعد), سلاح / أسلحة (سلح). Roots conflate much more than stems,
// so callers give them a lower weight. Input must be normalised (normalizeArabic).

/** Marks a root term so it can never collide with a stem and can be weighted apart. */
export const ROOT_MARK = "√";

const ARTICLES = ["وال", "فال", "بال", "كال", "لل", "ال"];
const PREFIXES = ["وس", "فس", "و", "ف", "ب", "ل", "ك", "س"];
const SUFFIXES = ["تين", "تان", "هما", "كما", "ات", "ون", "ين", "ان", "ها", "هم", "هن", "كم", "نا", "يه", "ه", "ت", "ي", "ا", "ن"];

// Patterns over the root letters ف ع ل; every other letter must match literally.
// Longer and more specific patterns first, so مفاعل wins over a looser reading.
const PATTERNS = [
  "استفعال", "مستفعل", "استفعل", "افتعال", "انفعال", "متفاعل", "مفاعيل",
  "تفاعل", "تفعيل", "افتعل", "انفعل", "مفعول", "مفاعل", "متفعل", "مفتعل", "منفعل", "يتفعل", "تتفعل", "فواعل", "فعاءل", "افعال", "فعالي",
  // A leading م ت ا ي ن is more often the pattern's than the root's: مطور is طور, not مطر.
  "مفعل", "تفعل", "افعل", "يفعل", "نفعل", "فاعل", "فعال", "فعيل", "فعول",
].map(compile);

interface Pattern {
  length: number;
  /** Positions of ف, ع, ل in the pattern. */
  rootAt: [number, number, number];
  literals: [number, string][];
}

function compile(pattern: string): Pattern {
  const rootAt = ["ف", "ع", "ل"].map((letter) => pattern.indexOf(letter)) as [number, number, number];
  const literals: [number, string][] = [];
  for (let i = 0; i < pattern.length; i++) if (!rootAt.includes(i)) literals.push([i, pattern[i]]);
  return { length: pattern.length, rootAt, literals };
}

function matchPattern(word: string): string | undefined {
  for (const p of PATTERNS) {
    if (p.length !== word.length) continue;
    if (p.literals.every(([i, letter]) => word[i] === letter)) return p.rootAt.map((i) => word[i]).join("");
  }
  return undefined;
}

/** Root candidates of a normalised Arabic word (0–3 of them), each with ROOT_MARK in front. */
export function rootCandidates(word: string): string[] {
  const roots = new Set<string>();
  const consider = (stem: string) => {
    if (stem.length === 3) roots.add(stem);
    else if (stem.length > 3) {
      const root = matchPattern(stem);
      if (root) roots.add(root);
    }
  };
  // After an article only the rest of the word can hold the root (الضمان is ضمن, never لضم).
  const article = ARTICLES.find((a) => word.startsWith(a) && word.length - a.length >= 3);
  const prefixed = article
    ? [word.slice(article.length)]
    : [word, ...PREFIXES.filter((p) => word.startsWith(p) && word.length - p.length >= 3).map((p) => word.slice(p.length))];
  for (const stem of prefixed) {
    consider(stem);
    // At most two suffixes (ات + ها, ي + ن): enough for the inflections questions use.
    for (const s1 of SUFFIXES) {
      if (!stem.endsWith(s1) || stem.length - s1.length < 3) continue;
      const once = stem.slice(0, -s1.length);
      consider(once);
      for (const s2 of SUFFIXES) if (once.endsWith(s2) && once.length - s2.length >= 3) consider(once.slice(0, -s2.length));
    }
    if (roots.size >= 3) break;
  }
  return [...roots].slice(0, 3).map((root) => ROOT_MARK + root);
}

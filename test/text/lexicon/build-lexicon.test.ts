import { describe, expect, it } from "vitest";
import {
  arabicWords,
  buildEnglishArabic,
  buildSynonyms,
  copyrightTerms,
  decodeDictdNumber,
  parseDictdEntry,
  parseDictdIndex,
  parseMythes,
  readDictd,
  missingPackages,
  missingPackagesMessage,
  requireInstalled,
  scowlListsUpTo,
  serializeLexicon,
} from "../../../scripts/build-lexicon";
import { foldArabic } from "../../../src/text/lexicon/fold";
import { isLexiconFile } from "../../../src/text/lexicon";

const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
function encodeDictdNumber(n: number): string {
  let out = "";
  do {
    out = DIGITS[n % 64] + out;
    n = Math.floor(n / 64);
  } while (n > 0);
  return out;
}

describe("foldArabic", () => {
  it("drops tashkeel, shadda and tatweel and folds hamza seats to ء, ى and ة, as the runtime normaliser does", () => {
    expect(foldArabic("الاتّفاقيّة")).toBe("الاتفاقيه");
    expect(foldArabic("أُمْنِيَة")).toBe("امنيه");
    expect(foldArabic("إِنْذَار")).toBe("انذار");
    expect(foldArabic("مسؤول رئيس مستشفى")).toBe("مسءول رءيس مستشفي");
    expect(foldArabic("عـــربي ٱلحمد آمن")).toBe("عربي الحمد امن");
    expect(foldArabic("\ufeffاِئْتِلاف")).toBe("اءتلاف");
    expect(foldArabic("NATO")).toBe("nato");
  });
});

describe("dictd parsing (FreeDict format)", () => {
  it("decodes dictd base-64 numbers", () => {
    expect(decodeDictdNumber("A")).toBe(0);
    expect(decodeDictdNumber("BA")).toBe(64);
    expect(decodeDictdNumber("hX")).toBe(33 * 64 + 23);
    expect(() => decodeDictdNumber("a*")).toThrow();
  });

  it("parses index rows and skips the 00database metadata rows", () => {
    const index = "00databaseinfo\tc\tgN\n00databaseutf8\tA\tB\n10th\thX\td\nsecurity\tBI2\tBF\n";
    expect(parseDictdIndex(index)).toEqual([
      { headword: "10th", offset: 2135, length: 29 },
      { headword: "security", offset: 1 * 4096 + 8 * 64 + 54, length: 69 },
    ]);
  });

  it("parses a one-translation entry and a numbered one", () => {
    expect(parseDictdEntry("Security /sɪkjˈʊəɹɪti/\nالأمن\n")).toEqual({ headword: "Security", senses: ["الأمن"] });
    expect(parseDictdEntry("الخطبة /ʔalχˈut̪ba/\n1. Allocution\n2. Affiancing\n")).toEqual({
      headword: "الخطبة",
      senses: ["Allocution", "Affiancing"],
    });
  });

  it("reads entries at the index's byte offsets, with the headword as the entry writes it", () => {
    const entries = ["Border /bˈɔːdə/\nالحدود\n", "ديسمبر/كانون الأول /dˈiːsambar/\nDecember\n"];
    const bytes = entries.map((e) => new TextEncoder().encode(e));
    const dict = new Uint8Array(bytes[0].length + bytes[1].length);
    dict.set(bytes[0], 0);
    dict.set(bytes[1], bytes[0].length);
    const index =
      `border\tA\t${encodeDictdNumber(bytes[0].length)}\n` +
      `ديسمبركانون الأول\t${encodeDictdNumber(bytes[0].length)}\t${encodeDictdNumber(bytes[1].length)}\n`;
    expect(readDictd(index, dict)).toEqual([
      { headword: "Border", senses: ["الحدود"] },
      { headword: "ديسمبر/كانون الأول", senses: ["December"] },
    ]);
  });
});

describe("MyThes parsing", () => {
  const sample = "UTF-8\nتحابّ|2\n(فعل)|تَوَادَّ\n(مصدر)|تَوَامُق|تَوَادّ\nبغية|1\n(مصدر)|رَغْبَة|أُمْنِيَة|تَوْق\n";

  it("reads headwords with one synonym list per sense", () => {
    expect(parseMythes(sample)).toEqual([
      { word: "تحابّ", senses: [["تَوَادَّ"], ["تَوَامُق", "تَوَادّ"]] },
      { word: "بغية", senses: [["رَغْبَة", "أُمْنِيَة", "تَوْق"]] },
    ]);
  });

  it("rejects a thesaurus in another encoding", () => {
    expect(() => parseMythes("ISO8859-6\nx|1\n(a)|b\n")).toThrow(/encoding/);
  });
});

describe("building", () => {
  it("splits a phrase into folded content words, dropping function words and parenthesized notes", () => {
    expect(arabicWords("آي - الحرف الأول في اللغة الإنجليزية")).toEqual(["الحرف", "الاول", "اللغه", "الانجليزيه"]);
    expect(arabicWords("عَطِشَ(عَطَشَا شَديدَا)")).toEqual(["عطش"]);
    expect(arabicWords("من")).toEqual([]);
    expect(arabicWords("ديسمبر/كانون الأول")).toEqual(["ديسمبر", "كانون", "الاول"]);
  });

  it("merges eng→ara with inverted ara→eng, direct translations first, rare words filtered", () => {
    const engAra = [
      { headword: "State", senses: ["الحالة، الدولة، يقرّ"] },
      { headword: "Who", senses: ["من"] },
      { headword: "A-bomb", senses: ["القنبلة النووية"] },
      { headword: "Obscure", senses: ["غامض"] },
    ];
    const araEng = [
      { headword: "دولة", senses: ["State", "Country"] },
      { headword: "الإدارة", senses: ["Admin", "Management", "Rotating", "State"] },
    ];
    const entries = buildEnglishArabic(engAra, araEng, { isCommonEnglish: (w) => w !== "obscure" });
    expect(entries).toEqual([
      ["admin", ["الاداره"]],
      ["country", ["دوله"]],
      ["management", ["الاداره"]],
      ["rotating", ["الاداره"]],
      ["state", ["الحاله", "الدوله", "يقر", "دوله", "الاداره"]],
    ]);
  });

  it("caps translations and is deterministic", () => {
    const engAra = [{ headword: "word", senses: ["أ1 بب تت ثث جج حح خخ دد"] }];
    const once = buildEnglishArabic(engAra, [], { maxTranslations: 3 });
    expect(once).toEqual([["word", ["بب", "تت", "ثث"]]]);
    expect(buildEnglishArabic(engAra, [], { maxTranslations: 3 })).toEqual(once);
  });

  it("makes synonyms symmetric, the word's own senses first, and skips multi-word synonyms", () => {
    const thesaurus = parseMythes("UTF-8\nتهديد|2\n(مصدر)|تَهْدَاد|تَخْوِيف\n(مصدر)|إِنْذَار|تحذير شديد\nإنذار|1\n(مصدر)|تَنْبِيه\n");
    expect(buildSynonyms(thesaurus)).toEqual([
      ["انذار", ["تنبيه", "تهديد"]],
      ["تخويف", ["تهديد"]],
      ["تنبيه", ["انذار"]],
      ["تهداد", ["تهديد"]],
      // Within a sense, earlier synonyms rank higher: تخويف is second in its list, انذار first in its.
      ["تهديد", ["تهداد", "انذار", "تخويف"]],
    ]);
  });

  it("serializes one entry a line as valid JSON", () => {
    const text = serializeLexicon({ format: "fmt", licence: "GPL-2+", sources: ["pkg 1.0"] }, [["border", ["الحدود", "حد"]]]);
    expect(text.split("\n")).toContain('"border\\tالحدود حد"');
    expect(JSON.parse(text)).toEqual({ format: "fmt", licence: "GPL-2+", sources: ["pkg 1.0"], entries: ["border\tالحدود حد"] });
    // What the server's loader accepts, with the licence it reports.
    expect(isLexiconFile(JSON.parse(text))).toBe(true);
  });
});

describe("sources", () => {
  it("picks SCOWL lists up to a level, all spellings, in a stable order", () => {
    const names = ["english-words.70", "british-words.10", "english-upper.50", "english-words.10", "README", "special-hacker.50"];
    expect(scowlListsUpTo(names, 60)).toEqual(["british-words.10", "english-upper.50", "english-words.10"]);
  });

  it("copies the Files paragraph and the licence paragraphs it names from a debian/copyright file", () => {
    const copyright = [
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: FreeDict\nSource: https://freedict.org/download",
      "Files: afr-eng/*\nCopyright: 2000-2022 FreeDict contributors\nLicense: GPL-2+",
      "Files: eng-ara/*\nCopyright: 2000-2022 FreeDict contributors\nLicense: GPL-2+ or MPL-1.1",
      "License: GPL-2+\n This program is free software.",
      "License: MPL-1.1\n Mozilla terms.",
    ].join("\n\n");
    expect(copyrightTerms(copyright, "eng-ara/*")).toBe(
      "Upstream-Name: FreeDict\nSource: https://freedict.org/download\n\n" +
        "Files: eng-ara/*\nCopyright: 2000-2022 FreeDict contributors\nLicense: GPL-2+ or MPL-1.1\n\n" +
        "License: GPL-2+\n This program is free software.\n\nLicense: MPL-1.1\n Mozilla terms.",
    );
    expect(() => copyrightTerms(copyright, "ara-eng/*")).toThrow(/ara-eng/);
  });

  it("lists every missing package in one apt-get command", () => {
    const installed = { pkg: "coreutils", files: [] };
    const missing = missingPackages([
      { pkg: "dict-freedict-xxx-yyy", files: ["/nonexistent/freedict-xxx-yyy.index"] },
      installed,
      { pkg: "mythes-zz", files: ["/nonexistent/th_zz.dat"] },
    ]);
    expect(missing).toEqual(["dict-freedict-xxx-yyy", "mythes-zz"]);
    expect(missingPackagesMessage(missing)).toContain("apt-get install -y dict-freedict-xxx-yyy mythes-zz\n");
  });

  it("names the package to install when a source file is missing", () => {
    expect(() => requireInstalled({ pkg: "dict-freedict-xxx-yyy", files: ["/nonexistent/freedict-xxx-yyy.index"] })).toThrow(
      /apt-get install -y dict-freedict-xxx-yyy/,
    );
  });
});

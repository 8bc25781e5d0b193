import { describe, expect, it } from "vitest";
import {
  buildPivot,
  englishGlossWord,
  englishLookup,
  exampleWordCounts,
  licenseName,
  parsePivotEntry,
  serializeLexicon,
} from "../../../scripts/build-lexicon";

// Samples copied from the installed FreeDict files (fra-eng, spa-eng: numbered senses; deu-eng: Ding).
const FRENCH = "frontière /fʀɔ̃tjɛʀ/ <n, fem>\n1. border\n2. boundary, frontier, limit\n";
const SPANISH = "país /paˈis/\ncountry, land\n";
const GERMAN =
  "Grenze /ɡɾˈɛntsə/ <fem, n, sg>\n [geogr.]  [pol.] state border <n>, border <n>, state frontier <n> [Br.]  [rare]\n" +
  "         Note: with another country\n" +
  '      "die Grenze zwischen Deutschland und Polen"  - the border between Germany and Poland\n' +
  '      "(unmittelbar) an der Grenze"  - at the border\n' +
  "   Synonyms: {Landesgrenze}, {Staatsgrenze}\n\n see: {Landesgrenzen}, {Grenzen}\n\n         Note: zu einem anderen Land\n";

describe("parsePivotEntry", () => {
  it("reads a numbered French entry: headword without IPA or part of speech, one sense a line", () => {
    expect(parsePivotEntry(FRENCH)).toEqual({
      headword: "frontière",
      senses: [
        { glosses: ["border"], examples: 0, hasFunctionGloss: false },
        { glosses: ["boundary", "frontier", "limit"], examples: 0, hasFunctionGloss: false },
      ],
    });
    expect(parsePivotEntry(SPANISH)).toEqual({
      headword: "país",
      senses: [{ glosses: ["country", "land"], examples: 0, hasFunctionGloss: false }],
    });
  });

  it("reads a Ding entry: annotations removed, examples counted, notes, synonyms and see-lines skipped", () => {
    expect(parsePivotEntry(GERMAN)).toEqual({
      headword: "Grenze",
      senses: [{ glosses: ["border"], examples: 2, hasFunctionGloss: false }],
    });
  });

  it("marks senses with a function-word gloss", () => {
    expect(parsePivotEntry("quand /kɑ̃/ <conj>\nwhen\n").senses).toEqual([{ glosses: [], examples: 0, hasFunctionGloss: true }]);
    expect(parsePivotEntry("mai /mɛ/ <n, masc>\nMay\n").senses).toEqual([{ glosses: ["may"], examples: 0, hasFunctionGloss: false }]);
  });
});

describe("englishGlossWord", () => {
  it("keeps single words, drops function words around them, rejects phrases", () => {
    expect(englishGlossWord(" security <n>")).toBe("security");
    expect(englishGlossWord("spread out")).toBe("spread");
    expect(englishGlossWord("act for")).toBe("act");
    expect(englishGlossWord("when")).toBeUndefined();
    expect(englishGlossWord("dry land")).toBeUndefined();
    expect(englishGlossWord("no-one")).toBeUndefined();
    expect(englishGlossWord("May")).toBe("may"); // the month: capitalised, so not the modal
  });
});

describe("exampleWordCounts", () => {
  it("counts lowercase words of the German side of example lines only", () => {
    const counts = exampleWordCounts([GERMAN]);
    expect(counts.get("grenze")).toBe(2);
    expect(counts.get("polen")).toBe(1);
    expect(counts.get("border")).toBeUndefined();
    expect(counts.get("landesgrenze")).toBeUndefined();
  });
});

describe("buildPivot", () => {
  const enAr: [string, string[]][] = [
    ["border", ["الحدود"]],
    ["boundary", ["الحد"]],
    ["frontier", ["الحدود"]],
    ["limit", ["الحد"]],
    ["country", ["البلاد"]],
    ["land", ["الارض"]],
    ["may", ["مايو"]],
    ["weapon", ["السلاح"]],
  ];
  const lookup = englishLookup(enAr);

  it("maps headwords through their glosses, agreement adding up, lowercase keys in code-unit order", () => {
    const entries = [FRENCH, SPANISH, GERMAN].map(parsePivotEntry);
    expect(buildPivot(entries, lookup)).toEqual([
      ["frontière", ["الحدود", "الحد"]],
      ["grenze", ["الحدود"]],
      ["país", ["البلاد", "الارض"]],
    ]);
  });

  it("ranks a sense with examples above an earlier bare one (Ding)", () => {
    const entries = [
      parsePivotEntry("Grenze /x/\nlimit <n>\n"),
      parsePivotEntry('Grenze /x/\nborder <n>\n      "a"  - b\n      "c"  - d\n'),
    ];
    expect(buildPivot(entries, lookup)).toEqual([["grenze", ["الحدود", "الحد"]]]);
  });

  it("drops function words, short, long, multi-word and uncommon headwords, and caps translations", () => {
    const entries = [
      "quand /kɑ̃/ <conj>\nwhen\n",
      "qui /ki/\n1. who\n2. weapon\n", // first sense a function word: dropped whatever follows
      "mai /mɛ/ <n, masc>\nMay\n",
      "an /ɑ̃/\nyear\n",
      "arme blanche /x/\nweapon\n",
      "arme /aʀm/ <n, fem>\nweapon\n",
      "rare /x/\nweapon\n",
      "x".repeat(21) + "\nweapon\n",
    ].map(parsePivotEntry);
    expect(buildPivot(entries, lookup, { isCommon: (w) => w !== "rare" })).toEqual([
      ["arme", ["السلاح"]],
      ["mai", ["مايو"]],
    ]);
    const many = parsePivotEntry("mot /x/\nborder, boundary, country, land, weapon\n");
    expect(buildPivot([many], lookup, { maxTranslations: 2 })).toEqual([["mot", ["الحدود", "الحد"]]]);
  });

  it("is deterministic and serializes in the en-ar line format", () => {
    const entries = [FRENCH, SPANISH].map(parsePivotEntry);
    const text = serializeLexicon({ format: "fmt", licence: "GPL-2+", sources: ["src"] }, buildPivot(entries, lookup));
    expect(serializeLexicon({ format: "fmt", licence: "GPL-2+", sources: ["src"] }, buildPivot(entries, lookup))).toBe(text);
    expect(JSON.parse(text).entries).toEqual(["frontière\tالحدود الحد", "país\tالبلاد الارض"]);
  });
});

describe("englishLookup", () => {
  it("falls back to an English base form", () => {
    const lookup = englishLookup([["weapon", ["السلاح"]]]);
    expect(lookup("weapon")).toEqual(["السلاح"]);
    expect(lookup("weapons")).toEqual(["السلاح"]);
    expect(lookup("qwerty")).toEqual([]);
  });
});

describe("licenseName", () => {
  it("reads the licence of one Files paragraph", () => {
    const copyright =
      "Format: x\nUpstream-Name: FreeDict\n\nFiles: deu-eng/*\nCopyright: 1995-2022 Frank Richter\nLicense: GPL-3+\n The GPL-3+ license applies.\n\n" +
      "Files: fra-eng/*\nCopyright: 2000-2022 FreeDict contributors\nLicense: GPL-2+\n";
    expect(licenseName(copyright, "deu-eng/*")).toBe("GPL-3+");
    expect(licenseName(copyright, "fra-eng/*")).toBe("GPL-2+");
    expect(() => licenseName(copyright, "spa-eng/*")).toThrow(/spa-eng/);
  });
});

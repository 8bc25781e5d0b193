// The product is MIT (LICENSE); nothing GPL may ship (issue 16). Fails, listing the offending
// files, if a tracked file or the Cloudflare Worker's bundle holds a GPL licence notice or lexicon
// data. The optional lexicons are GPL data a user builds into the git-ignored lexicons/ folder.
//
// Aimed at notices, not at mentions: a file that says "the lexicons are GPL-2+" names a licence;
// a file that says "distributed under the terms of the GNU General Public License" or carries
// "License: GPL-2+" / "SPDX-License-Identifier: GPL-3.0" puts itself under it.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { buildWorkerBundle } from "../scripts/build-worker";

/** Patterns of text that places a file under a GPL-family licence. */
const GPL_NOTICES: [name: string, pattern: RegExp][] = [
  ["GPL grant ('under the terms of the GNU General Public License')", /\bunder the terms of the GNU (?:Affero |Lesser |Library )?General Public License/i],
  ["GPL grant ('distributed under the GNU General Public License')", /\bdistributed under (?:the terms of )?the GNU (?:Affero |Lesser |Library )?General Public License/i],
  ["GPL licence text ('GNU GENERAL PUBLIC LICENSE Version n')", /GNU (?:AFFERO |LESSER |LIBRARY )?GENERAL PUBLIC LICENSE\s+Version \d/],
  ["GPL grant ('released under the GPL')", /\b(?:licensed|released|distributed) under the (?:terms of the )?(?:GNU )?(?:A|L)?GPL(?:v?\d|-\d|\b)/i],
  ["SPDX identifier", /SPDX-License-Identifier:[^\n]*\b(?:A|L)?GPL/i],
  ["@license banner", /@license\b[^\n]*\b(?:A|L)?GPL/i],
  ["copyright-file stanza ('License: GPL-2+')", /^[ \t]*License:[ \t]*\(?(?:A|L)?GPL/m],
  ["package licence field", /"licen[cs]es?"[ \t]*:[ \t]*"[^"\n]*\b(?:A|L)?GPL/],
];

/** The optional lexicons' file names (src/text/lexicon LEXICON_NAMES), anywhere, and their folder. */
const LEXICON_PATH = /(?:^|\/)(?:(?:en|fr|de|es|ru)-ar|ar-synonyms)\.json$|^lexicons\//;
/** A lexicon file's header, in JSON or as a bundler writes it (sources: [...]): its sources are Debian dictionary packages. */
const LEXICON_SOURCES = /"?sources"?\s*:\s*\[[^\]]*(?:dict-freedict-|mueller7-dict|mythes-)/;
/** A lexicon entry, "word\tعربي …": in JSON (\t escaped) or as esbuild writes it (a raw tab, Arabic as \u06xx). */
const LEXICON_ENTRY = /"[^"\\\n\t]{1,40}(?:\\t|\t)(?:[\u0600-\u06FF]|\\u06[0-9a-fA-F]{2})/g;
/** Fewer entry-like strings than this are examples in code, not a dictionary. */
const LEXICON_MIN_ENTRIES = 50;

/** Files that must name GPL text to do their job, with the reason; nothing else is exempt. */
const ALLOWED: Record<string, string> = {
  LICENSE: "the product's own licence (MIT)",
  "THIRD_PARTY.md": "lists third-party licences, including what is kept out",
  "README.md": "documentation: names the optional lexicons' licences",
  "DESIGN.md": "documentation",
  "test/licence.test.ts": "this test: holds the patterns it looks for",
  "scripts/build-lexicon.ts": "writes the GPL notice of the lexicons it builds into the git-ignored lexicons/LICENSE.md",
  "package-lock.json": "records dependencies' licences (@img/sharp-libvips: LGPL-3.0-or-later, installed by npm, never tracked or bundled; see THIRD_PARTY.md)",
};

interface Finding {
  file: string;
  problem: string;
}

function scan(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  if (LEXICON_PATH.test(file)) findings.push({ file, problem: "a lexicon file (build it with npm run lexicons; never commit or bundle it)" });
  if (LEXICON_SOURCES.test(text)) findings.push({ file, problem: "lexicon data (sources: Debian dictionary packages)" });
  const entries = text.match(LEXICON_ENTRY)?.length ?? 0;
  if (entries >= LEXICON_MIN_ENTRIES) findings.push({ file, problem: `lexicon data (${entries} "word\\tArabic" entries)` });
  for (const [name, pattern] of GPL_NOTICES) {
    const match = pattern.exec(text);
    if (match) findings.push({ file, problem: `${name}: ${JSON.stringify(match[0].slice(0, 80))}` });
  }
  return findings;
}

function report(findings: Finding[]): string {
  return findings.map((f) => `  ${f.file}: ${f.problem}`).join("\n");
}

/** Text of a file, or undefined for binary files (a NUL byte), which hold no licence notice to read. */
function readText(path: string): string | undefined {
  const bytes = readFileSync(path);
  return bytes.includes(0) ? undefined : bytes.toString("utf8");
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

describe("the scanner", () => {
  it("flags GPL notices and lexicon data, not mere mentions of a licence", () => {
    const notices = [
      "This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by",
      "                    GNU GENERAL PUBLIC LICENSE\n                       Version 2, June 1991",
      "// SPDX-License-Identifier: GPL-3.0-or-later",
      "Files: *\nCopyright: 2000 FreeDict\nLicense: GPL-2+\n",
      '{ "name": "x", "license": "GPL-2.0" }',
      "/*! @license foo | Released under the GPL v3 */",
      "- `en-ar.json` is derived from FreeDict and is\n  therefore distributed under the GNU General Public License, version 2",
    ];
    for (const notice of notices) expect(scan("sample.txt", notice), notice).not.toEqual([]);
    const lexicon = `{\n"format": "x",\n"sources": ["dict-freedict-eng-ara 2022 (GPL-2+)"],\n"entries": [\n"border\\tالحدود"\n]}`;
    expect(scan("data.json", lexicon).map((f) => f.problem)).toEqual(["lexicon data (sources: Debian dictionary packages)"]);
    const renamed = Array.from({ length: 60 }, (_, i) => `"w${i}\\tكلمة"`).join(",\n");
    expect(scan("renamed.json", renamed)).toHaveLength(1);
    // As esbuild inlines an imported lexicon JSON: unquoted keys, a raw tab, Arabic escaped.
    const bundled = `var en_ar_default = {\n  sources: ["dict-freedict-eng-ara 2022.04.21-1 (GPL-2+)"],\n  entries: [\n${Array.from({ length: 60 }, (_, i) => `"w${i}\t\\u0643\\u0644"`).join(",\n")}]};`;
    expect(scan("worker.js", bundled).map((f) => f.problem)).toEqual(["lexicon data (sources: Debian dictionary packages)", 'lexicon data (60 "word\\tArabic" entries)']);
    expect(scan("lexicons/en-ar.json", "")).toHaveLength(1);
    expect(scan("src/text/lexicon/ru-ar.json", "")).toHaveLength(1);

    const mentions = [
      "The optional lexicons are GPL data (FreeDict, GPL-2+; the German one GPL-3+).",
      'licence: z.string().describe("Licence of the data, e.g. GPL-2+")',
      'const ENG_RUS_LICENCE = "GPL-2+";',
      '"Files: fra-eng/*\\nLicense: GPL-2+\\n"', // a parser's test input, quoted in code
      '"border\\tالحدود"', // one entry, as an example
    ];
    for (const mention of mentions) expect(scan("sample.ts", mention), mention).toEqual([]);
  });
});

describe("what ships", () => {
  it("no tracked file holds a GPL licence notice or lexicon data", () => {
    const tracked = execFileSync("git", ["ls-files", "-z"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
      .split("\0")
      .filter((file) => file !== "" && !file.startsWith("node_modules/") && !(file in ALLOWED))
      // Deleted in the working tree but not yet committed: nothing to read, and not there to ship.
      .filter((file) => existsSync(file) && statSync(file).isFile());
    expect(tracked.length).toBeGreaterThan(100);
    const findings = tracked.flatMap((file) => {
      const text = readText(file);
      return text === undefined ? scan(file, "") : scan(file, text);
    });
    expect(findings, `GPL notices or lexicon data in tracked files (issue 16: the product is MIT; the lexicons are built by npm run lexicons into the git-ignored lexicons/):\n${report(findings)}`).toEqual([]);
  });

  it("the product says it is MIT, and the lexicons' folder is git-ignored", () => {
    expect(readFileSync("LICENSE", "utf8")).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the arabic-grounded-qa authors\n/);
    expect(JSON.parse(readFileSync("package.json", "utf8")).license).toBe("MIT");
    const check = spawnSync("git", ["check-ignore", "--no-index", "lexicons/en-ar.json"], { encoding: "utf8" });
    expect(check.status, "lexicons/ must be in .gitignore: it holds the GPL lexicons npm run lexicons builds").toBe(0);
  });

  describe("the Cloudflare Worker", () => {
    let script: string;
    beforeAll(async () => {
      // The script wrangler deploys, bundled by esbuild as wrangler does (same entry and
      // conditions); the data bundle qa.bin is checked on its own below, so it stays external.
      const result = await build({
        entryPoints: ["src/worker.ts"],
        bundle: true,
        write: false,
        format: "esm",
        platform: "browser",
        conditions: ["workerd", "worker", "browser"],
        external: ["*.bin"],
        logLevel: "silent",
      });
      script = result.outputFiles.map((file) => file.text).join("\n");
    }, 60_000);

    it("its script holds no lexicon data or GPL notice (and no Node-only module: esbuild would fail on one)", () => {
      expect(script.length).toBeGreaterThan(100_000);
      expect(script).toContain("createWorkerApp"); // the app is in it, so an empty script cannot pass
      const findings = scan("worker script (src/worker.ts bundled)", script);
      expect(findings, `The Worker script must not hold lexicons or GPL notices:\n${report(findings)}`).toEqual([]);
    });

    it("its data bundle (npm run build:worker) holds the corpus and vectors only", async () => {
      const { bytes } = await buildWorkerBundle();
      const findings = scan("src/worker/bundle/qa.bin (npm run build:worker)", Buffer.from(bytes).toString("utf8"));
      expect(findings, `The Worker's data bundle must not hold lexicons or GPL notices:\n${report(findings)}`).toEqual([]);
    });

    it("its static assets (web/, with the vendored marked and DOMPurify) hold no GPL notice", () => {
      const files = filesUnder("web");
      expect(files.some((path) => path.endsWith("index.html"))).toBe(true);
      const findings = files.flatMap((path) => {
        const text = readText(path);
        return text === undefined ? [] : scan(relative(".", path), text);
      });
      expect(findings, `GPL notices or lexicon data in web/:\n${report(findings)}`).toEqual([]);
    });
  });
});

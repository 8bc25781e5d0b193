// The interface's strings: one table per language with the same keys and placeholders, none
// written into the markup, and every key the page uses present in every table.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const web = join(import.meta.dirname, "../../web");
const localesDir = join(web, "js/locales");
const languages = readdirSync(localesDir).filter((f) => f.endsWith(".js")).map((f) => f.replace(/\.js$/, ""));
type Entry = string | Record<string, string>;
const tables: Record<string, Record<string, Entry>> = {};
for (const language of languages) tables[language] = (await import(join(localesDir, `${language}.js`))).default;

const placeholders = (entry: Entry) =>
  [...new Set((typeof entry === "string" ? [entry] : Object.values(entry)).flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();

describe("interface language tables", () => {
  it("cover Arabic, English and every language the answers are written in", () => {
    expect(languages.sort()).toEqual(["ar", "de", "en", "es", "fr", "ru"]);
  });

  it.each(languages)("%s has exactly the keys of the English table, with the same placeholders", (language) => {
    const table = tables[language];
    expect(Object.keys(table).sort()).toEqual(Object.keys(tables.en).sort());
    for (const [key, entry] of Object.entries(table)) {
      if (typeof entry !== "string") {
        expect(entry.other, `${language} ${key} needs an "other" plural form`).toBeTypeOf("string");
        // Plural forms may drop {count} ("one document"), but never bring in a name English lacks.
        for (const name of placeholders(entry)) expect(placeholders(tables.en[key]).concat("count"), `${language} ${key}`).toContain(name);
        continue;
      }
      expect(placeholders(entry), `${language} ${key}`).toEqual(placeholders(tables.en[key]));
      expect(entry.trim(), `${language} ${key}`).not.toBe("");
    }
  });

  it("the markup holds no visible words: every string comes from the tables", () => {
    const html = readFileSync(join(web, "index.html"), "utf8");
    const visible = html
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<script\b[\s\S]*?<\/script>/gi, "")
      .replace(/<[^>]+>/g, " ");
    expect(visible.match(/\p{L}+/gu)).toBeNull();
    // Attributes people read (placeholder, aria-label, title, content) are filled in by the script too.
    for (const match of html.matchAll(/\s(placeholder|aria-label|title|alt)="([^"]*)"/g)) expect(match[2], match[0]).toBe("");
  });

  it("every key the markup and the scripts ask for exists", () => {
    const html = readFileSync(join(web, "index.html"), "utf8");
    const keys = new Set<string>();
    for (const m of html.matchAll(/data-i18n="([^"]+)"/g)) keys.add(m[1]);
    for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g)) for (const pair of m[1].split(";")) keys.add(pair.split(":")[1].trim());
    const jsDir = join(web, "js");
    for (const file of readdirSync(jsDir).filter((f) => f.endsWith(".js"))) {
      const code = readFileSync(join(jsDir, file), "utf8");
      for (const m of code.matchAll(/\bt(?:Nodes)?\("([\w.]+)"/g)) keys.add(m[1]);
    }
    expect(keys.size).toBeGreaterThan(30);
    for (const key of keys) expect(Object.keys(tables.en), key).toContain(key);
  });
});

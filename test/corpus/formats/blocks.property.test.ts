import fc from "fast-check";
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { writeBlocks } from "../../../src/corpus/formats/blocks";

// Random markup as mammoth and Readability give it: headings, paragraphs, nested blocks, lists,
// tables, line breaks, inline tags, and scripts/styles that must never become text.
const word = fc.constantFrom("نص", "المياه", "تقرير", "water", "2024", "؛", ".", "قال", "«اقتباس»", "&amp;");
const inlineText = fc.array(word, { minLength: 0, maxLength: 6 }).map((w) => w.join(" "));
const inline: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: inlineText },
  { weight: 1, arbitrary: inlineText.map((t) => `<b>${t}</b> <a href="#">${t}</a>`) },
  { weight: 1, arbitrary: inlineText.map((t) => `${t}<br>${t}`) },
  { weight: 1, arbitrary: fc.constant(`<script>SCRIPT_TEXT()</script><style>.STYLE_TEXT{}</style>`) },
);
const block: fc.Arbitrary<string> = fc.letrec<{ block: string }>((tie) => ({
  block: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    inline.map((t) => `<p>${t}</p>`),
    fc.tuple(fc.integer({ min: 1, max: 4 }), inlineText).map(([level, t]) => `<h${level}>${t}</h${level}>`),
    fc.array(inline, { maxLength: 3 }).map((items) => `<ul>${items.map((i) => `<li>${i}</li>`).join("")}</ul>`),
    fc.array(fc.array(inlineText, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((rows) => `<table>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</table>`),
    fc.array(tie("block"), { maxLength: 3 }).map((children) => `<div>${children.join("")}</div>`),
  ),
})).block;

describe("writeBlocks (property)", () => {
  it("writes trimmed non-blank lines, never script text, and sections that start at their heading, in order", () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 8 }), (blocks) => {
        const { document } = parseHTML(`<!doctype html><html><body>${blocks.join("\n")}</body></html>`);
        const { text, sections } = writeBlocks(document.body);
        expect(text).not.toMatch(/SCRIPT_TEXT|STYLE_TEXT/);
        if (text) for (const line of text.split("\n")) expect(line).toBe(line.replace(/\s+/g, " ").trim() || "never blank");
        let previousEnd = 0;
        for (const section of sections) {
          expect(section.start).toBeGreaterThanOrEqual(previousEnd);
          expect(section.start === 0 || text[section.start - 1] === "\n").toBe(true);
          expect(text.slice(section.start, section.start + section.heading.length)).toBe(section.heading);
          expect(section.end).toBeGreaterThanOrEqual(section.start + section.heading.length);
          expect(section.end).toBeLessThanOrEqual(text.length);
          expect(section.end === text.length || text[section.end] === "\n").toBe(true);
          previousEnd = section.end;
        }
      }),
      { numRuns: 300 },
    );
  });
});

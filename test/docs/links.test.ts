// Every relative link and #anchor in README.md and docs/*.md leads somewhere (issue 29): the file
// exists, and an anchor matches a heading as GitHub names it (its slug, Arabic headings included)
// or an explicit <a id>/<a name>. Web links are not fetched: the tests run offline.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

const PAGES = ["README.md", ...readdirSync("docs").filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];

/**
 * GitHub's heading ids (github-slugger): lower case, every character that is not a letter, mark,
 * digit, connector, space or hyphen dropped, each space a hyphen; a repeated slug gets -1, -2, ….
 */
function githubSlug(heading: string, seen: Map<string, number>): string {
  const base = heading.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
  const count = seen.get(base) ?? 0;
  seen.set(base, count + 1);
  return count === 0 ? base : `${base}-${count}`;
}

/** Markdown with fenced code blocks and inline code removed: links and headings there are text. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** A heading's text as rendered: links become their text, emphasis and code marks go. */
function headingText(raw: string): string {
  return raw
    .replace(/\s+#+\s*$/, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/[*_`]/g, "")
    .trim();
}

function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const lines = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").split("\n");
  for (const line of lines) {
    const heading = /^ {0,3}#{1,6}\s+(.*)$/.exec(line);
    if (heading) anchors.add(githubSlug(headingText(heading[1]), seen));
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** Link targets: [text](target), ![alt](target), [ref]: target, and src/href in inline HTML. */
function linksOf(markdown: string): string[] {
  const text = withoutCode(markdown);
  const targets = [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]),
    ...[...text.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)="([^"]+)"/g)].map((m) => m[1]),
  ];
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

describe("githubSlug", () => {
  it("names headings as GitHub does", () => {
    const seen = new Map<string, number>();
    expect(githubSlug("Running on Postgres + pgvector", seen)).toBe("running-on-postgres--pgvector");
    expect(githubSlug("XQuAD: Arabic Wikipedia, questions in five languages", seen)).toBe("xquad-arabic-wikipedia-questions-in-five-languages");
    expect(githubSlug("The seed article's dev sample", seen)).toBe("the-seed-articles-dev-sample");
    expect(githubSlug("HNSW_M and efSearch", seen)).toBe("hnsw_m-and-efsearch");
    expect(githubSlug("أسئلة بالعربية؟", seen)).toBe("أسئلة-بالعربية");
    expect(githubSlug("Running on Postgres + pgvector", seen)).toBe("running-on-postgres--pgvector-1");
  });

  it("keeps Arabic diacritics (marks) as GitHub does", () => {
    expect(githubSlug("مُقدّمة", new Map())).toBe("مُقدّمة");
  });
});

describe("links in README.md and docs/", () => {
  it("finds links and anchors to check", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(linksOf(readme).length).toBeGreaterThan(5);
    expect(anchorsOf(readme).size).toBeGreaterThan(5);
  });

  for (const page of PAGES) {
    it(`${page}: every relative link and anchor resolves`, () => {
      const broken: string[] = [];
      for (const link of linksOf(readFileSync(page, "utf8"))) {
        const [pathPart, anchor] = link.split("#", 2) as [string, string | undefined];
        const target = pathPart === "" ? page : normalize(join(dirname(page), decodeURIComponent(pathPart)));
        if (!existsSync(target)) {
          broken.push(`${link}: no file ${target}`);
          continue;
        }
        if (anchor === undefined || anchor === "") continue;
        if (statSync(target).isDirectory() || !target.endsWith(".md")) {
          broken.push(`${link}: an anchor into ${target}, which is not a markdown page`);
          continue;
        }
        if (!anchorsOf(readFileSync(target, "utf8")).has(decodeURIComponent(anchor))) broken.push(`${link}: no heading #${anchor} in ${target}`);
      }
      expect(broken, `fix these links in ${page}`).toEqual([]);
    });
  }
});

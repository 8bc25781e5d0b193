// Writes a parsed HTML tree (mammoth's output for DOCX, Readability's article for web pages) as
// plain text with one paragraph per line, recording each heading's section span as it writes.
// Runs anywhere: it only needs a DOM (linkedom), never a browser, and nothing in it is executed.
import type { SectionSpan } from "../../types";

/** Elements whose text makes a line of its own. */
const BLOCK = new Set([
  "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre", "figure",
  "figcaption", "li", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "caption",
  "h1", "h2", "h3", "h4", "h5", "h6", "hr", "address", "details", "summary", "body", "html",
]);
const HEADING = /^h[1-6]$/;
/** Never text: code, styles, embedded objects and form controls. */
const SKIP = new Set(["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "button", "select", "textarea", "input", "head"]);
/**
 * Between a table's cells: a line of cells without punctuation would otherwise read as one run-on
 * sentence, and the Arabic semicolon is a sentence terminator for the segmenter.
 */
export const CELL_SEPARATOR = " ؛ ";

/** The minimal DOM surface walked here (linkedom's nodes satisfy it). */
interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

export interface WrittenBlocks {
  text: string;
  sections: SectionSpan[];
}

/** One paragraph per line; a heading's section runs from its line to the next heading. */
export function writeBlocks(root: DomNode): WrittenBlocks {
  const writer = new LineWriter();
  walk(root, writer);
  writer.flush();
  return writer.finish();
}

function walk(node: DomNode, writer: LineWriter): void {
  if (node.nodeType === 3) {
    writer.inline(node.textContent ?? "");
    return;
  }
  if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
  const tag = node.nodeName.toLowerCase();
  if (SKIP.has(tag)) return;
  if (tag === "br") {
    writer.inline(" ");
    return;
  }
  if (tag === "tr") {
    writer.flush();
    const cells = Array.from(node.childNodes).filter((c) => /^(td|th)$/i.test(c.nodeName));
    const texts = cells.map((cell) => collapse(innerText(cell))).filter(Boolean);
    writer.line(texts.join(CELL_SEPARATOR));
    return;
  }
  const block = BLOCK.has(tag);
  if (block) writer.flush();
  if (HEADING.test(tag)) {
    writer.heading(collapse(innerText(node)));
    return;
  }
  for (const child of Array.from(node.childNodes)) walk(child, writer);
  if (block) writer.flush();
}

function innerText(node: DomNode): string {
  if (node.nodeType === 3) return node.textContent ?? "";
  if (node.nodeType !== 1) return "";
  const tag = node.nodeName.toLowerCase();
  if (SKIP.has(tag)) return "";
  if (tag === "br") return " ";
  const inner = Array.from(node.childNodes).map(innerText).join("");
  return BLOCK.has(tag) ? ` ${inner} ` : inner;
}

/** Every run of blank space one space, trimmed (a line break inside a paragraph is not a new paragraph). */
function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

class LineWriter {
  private readonly parts: string[] = [];
  /** Where the next character goes: advanced as each piece is written. */
  private position = 0;
  private pending = "";
  private readonly sections: SectionSpan[] = [];
  private open: { heading: string; start: number } | undefined;

  inline(text: string): void {
    this.pending += text;
  }

  flush(): void {
    const line = collapse(this.pending);
    this.pending = "";
    if (line) this.line(line);
  }

  line(line: string): void {
    if (!line) return;
    if (this.position > 0) this.write("\n");
    this.write(line);
  }

  heading(text: string): void {
    if (!text) return;
    if (this.position > 0) this.write("\n");
    this.closeSection();
    this.open = { heading: text, start: this.position };
    this.write(text);
  }

  finish(): WrittenBlocks {
    this.closeSection();
    return { text: this.parts.join(""), sections: this.sections };
  }

  private write(piece: string): void {
    this.parts.push(piece);
    this.position += piece.length;
  }

  /** A section ends where the text written under it ends (before the newline that follows). */
  private closeSection(): void {
    if (!this.open) return;
    const end = this.position > this.open.start && this.parts.at(-1) === "\n" ? this.position - 1 : this.position;
    this.sections.push({ heading: this.open.heading, start: this.open.start, end });
    this.open = undefined;
  }
}

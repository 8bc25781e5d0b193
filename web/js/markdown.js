// Answer markdown → sanitized DOM. Raw HTML in an answer (for example quoted from a source or
// echoed from a question) is shown as text; DOMPurify then removes anything marked still lets through.
import { DOMPurify, Marked } from "../vendor/deps.js";

const escapes = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text) => text.replace(/[&<>"']/g, (ch) => escapes[ch]);

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    // Images would load remote content and break the layout; show their text instead.
    image: ({ text }) => escapeHtml(text),
  },
});

const sanitizeOptions = {
  ALLOWED_TAGS: [
    "p", "br", "strong", "em", "b", "i", "del", "s", "blockquote", "ul", "ol", "li", "code", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "a", "table", "thead", "tbody", "tr", "th", "td",
  ],
  ALLOWED_ATTR: ["href", "title", "start"],
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

const blockTags = "p, li, blockquote, h1, h2, h3, h4, h5, h6, td, th";

/** @returns {DocumentFragment} */
export function renderMarkdown(markdown) {
  const fragment = DOMPurify.sanitize(marked.parse(markdown), sanitizeOptions);
  // An English answer may quote Arabic sentences: each block picks its own direction.
  for (const block of fragment.querySelectorAll(blockTags)) block.setAttribute("dir", "auto");
  for (const link of fragment.querySelectorAll("a[href]")) link.setAttribute("rel", "noopener noreferrer nofollow");
  return fragment;
}

/**
 * Replaces each marker "[n]" in the text of `root` (outside code and links) with makeLink(n),
 * when makeLink returns an element for it.
 */
export function linkMarkers(root, makeLink) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest("code, pre, a") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const textNodes = [];
  while (walker.nextNode()) textNodes.push(walker.currentNode);

  for (const node of textNodes) {
    const text = node.nodeValue ?? "";
    const pieces = [];
    let last = 0;
    for (const match of text.matchAll(/\[(\d{1,3})\]/g)) {
      const link = makeLink(Number(match[1]));
      if (!link) continue;
      pieces.push(text.slice(last, match.index), link);
      last = match.index + match[0].length;
    }
    if (pieces.length === 0) continue;
    pieces.push(text.slice(last));
    node.replaceWith(...pieces.filter((piece) => piece !== ""));
  }
}

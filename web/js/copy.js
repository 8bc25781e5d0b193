// Copying a citation: the quoted sentence with its reference (title, paragraph, sentence) and the
// shareable link to that sentence. The plain text is markdown that reads as plain text (a "> "
// quote, the link in <…>), so it pastes well into a chat, an e-mail or a markdown file; rich
// editors get the same as HTML (a blockquote and a link). No HTML is ever put into the page.

/**
 * @param {{ text: string, reference: string, link: string, language?: string }} quote
 * @returns {{ plain: string, html: string }}
 */
export function citationClipboard({ text, reference, link, language }) {
  const quoted = text.split(/\r\n|\n|\r/).map((line) => `> ${line}`.trimEnd()).join("\n");
  const plain = `${quoted}\n>\n> — ${reference}\n> <${link}>\n`;

  const fragment = document.createElement("div");
  const blockquote = document.createElement("blockquote");
  blockquote.dir = "auto";
  if (language) blockquote.lang = language;
  blockquote.cite = link;
  const quote = document.createElement("p");
  quote.textContent = text;
  const source = document.createElement("p");
  const anchor = document.createElement("a");
  anchor.href = link;
  anchor.textContent = reference;
  source.append("— ", anchor);
  blockquote.append(quote, source);
  fragment.append(blockquote);
  // Serialised from nodes built with textContent, so the source's own text is escaped.
  return { plain, html: fragment.innerHTML };
}

/**
 * Writes both forms where the browser can (ClipboardItem), else the plain one. Resolves true when
 * the clipboard was written.
 */
export async function writeClipboard({ plain, html }) {
  const clipboard = navigator.clipboard;
  if (clipboard?.write && typeof ClipboardItem === "function") {
    try {
      await clipboard.write([
        new ClipboardItem({
          "text/plain": new Blob([plain], { type: "text/plain" }),
          "text/html": new Blob([html], { type: "text/html" }),
        }),
      ]);
      return true;
    } catch {
      /* some browsers refuse text/html, or the permission: try plain text */
    }
  }
  if (clipboard?.writeText) {
    try {
      await clipboard.writeText(plain);
      return true;
    } catch {
      /* fall through */
    }
  }
  return legacyCopy(plain);
}

/** Pages served over plain http (no secure context) have no navigator.clipboard. */
function legacyCopy(text) {
  const previous = document.activeElement;
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "visually-hidden";
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  area.remove();
  if (previous instanceof HTMLElement) previous.focus({ preventScroll: true });
  return copied;
}

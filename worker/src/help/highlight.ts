import { escapeHtml } from "../lib/html";

/**
 * snippet() and highlight() mark matches with two private-use characters, which article text
 * never contains (they are removed at save). The marked text is escaped first and only then
 * are the markers turned into <mark>, so nothing in an article can open a tag.
 */
export const MATCH_START = "\uE000";
export const MATCH_END = "\uE001";

export const stripMarkers = (text: string) => text.replace(/[\uE000\uE001]/g, "");

export function markedToHtml(marked: string): string {
  let open = false;
  let html = "";
  for (const part of marked.split(/([\uE000\uE001])/)) {
    if (part === MATCH_START && !open) {
      html += "<mark>";
      open = true;
    } else if (part === MATCH_END && open) {
      html += "</mark>";
      open = false;
    } else if (part !== MATCH_START && part !== MATCH_END) html += escapeHtml(part);
  }
  return open ? `${html}</mark>` : html;
}

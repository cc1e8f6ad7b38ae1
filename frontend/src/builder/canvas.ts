// What the canvas frame shows besides the components: the note type's own stylesheet (so the
// card looks as in Anki) and the builder's chip/box styles (GrapesJS's canvasCss).
import type { Editor } from "grapesjs";

/** Styles for the builder's own chips and boxes inside the canvas (never saved). */
export const CANVAS_CSS = `
.atd-tag-chip { display: inline-block; padding: 0 .35em; margin: 0 .1em; border-radius: .35em;
  background: #e6f0ff; color: #1c3f7a; border: 1px solid #9bb9ea;
  font: 600 0.85em/1.5 sans-serif; }
.atd-section-box { border: 1px dashed #c48a00; padding: 1.4em .4em .4em; margin: .2em 0;
  position: relative; min-height: 2.4em; }
.atd-section-box::before { content: attr(data-atd-label); position: absolute;
  top: .15em; left: .4em;
  font: 600 .7em sans-serif; color: #8a6100; }
.atd-raw-block { display: inline-block; max-width: 100%; border: 1px solid #bbb;
  border-radius: .3em; color: #444; font: .75em/1.4 monospace; padding: .2em .4em;
  background: repeating-linear-gradient(45deg, #f4f4f4, #f4f4f4 6px, #ececec 6px, #ececec 12px);
  white-space: pre-wrap; text-align: left; }
[data-atd-locked] { outline: 1px dotted #999; outline-offset: 2px; }
.atd-raw-block .atd-raw-note { display: block; font: italic .9em sans-serif; color: #666; }
.atd-raw-block code { display: block; max-height: 8em; overflow: hidden; }
`;

const STYLE_ID = "atd-notetype-css";

/**
 * Put `css` (the note type's stylesheet) into the canvas frame, replacing the previous one,
 * and resolve the template's relative media names (`_image.png`) against `mediaBase`.
 */
export function showNotetypeCss(
  editor: Editor,
  css: string,
  mediaBase: string,
  frameDoc?: Document,
): void {
  // The document the card's components are drawn in (the canvas frame's).
  const doc = frameDoc ?? editor.getWrapper()?.getEl()?.ownerDocument;
  // In the body: GrapesJS renders the frame's head from its own model and would drop it.
  if (!doc?.body) return;
  let style = doc.getElementById(STYLE_ID);
  if (!style) {
    style = doc.createElement("style");
    style.id = STYLE_ID;
    doc.body.append(style);
  }
  if (style.textContent !== css) style.textContent = css;
  let base = doc.querySelector("base");
  if (!base) {
    base = doc.createElement("base");
    doc.head.prepend(base);
  }
  const href = new URL(mediaBase, location.href).href;
  if (base.href !== href) base.href = href;
}

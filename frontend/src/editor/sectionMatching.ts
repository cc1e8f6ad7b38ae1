// sectionMatching(): with the cursor in `{{#F}}`, `{{^F}}` or `{{/F}}`, highlight that tag and
// its partner (like bracket matching); a tag without a partner is marked as an error.
import type { Extension } from "@codemirror/state";
import {
  Decoration,
  type DecorationSet,
  EditorView,
  ViewPlugin,
  type ViewUpdate,
} from "@codemirror/view";
import { pairSections, scanTags, tagAt } from "./tags";

const matching = Decoration.mark({ class: "cm-anki-matching" });
const nonMatching = Decoration.mark({ class: "cm-anki-nonmatching" });

function build(view: EditorView): DecorationSet {
  const tags = scanTags(view.state.doc.toString());
  const index = tagAt(tags, view.state.selection.main.head);
  const tag = tags[index];
  if (!tag || tag.kind === "replace") return Decoration.none;
  const { partner } = pairSections(tags);
  const other = partner.get(index);
  const otherTag = other === undefined ? undefined : tags[other];
  if (!otherTag) return Decoration.set([nonMatching.range(tag.from, tag.to)]);
  return Decoration.set(
    [matching.range(tag.from, tag.to), matching.range(otherTag.from, otherTag.to)],
    true,
  );
}

const theme = EditorView.baseTheme({
  ".cm-anki-matching": {
    outline: "1px solid var(--anki-match, #2f7d32)",
    backgroundColor: "var(--anki-match-bg, rgba(47, 125, 50, 0.15))",
  },
  ".cm-anki-nonmatching": {
    outline: "1px solid var(--anki-nomatch, #c62828)",
    backgroundColor: "var(--anki-nomatch-bg, rgba(198, 40, 40, 0.15))",
  },
});

/** Highlight the partner of the section tag under the cursor. */
export function sectionMatching(): Extension {
  const plugin = ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      constructor(view: EditorView) {
        this.decorations = build(view);
      }
      update(update: ViewUpdate): void {
        if (update.docChanged || update.selectionSet) this.decorations = build(update.view);
      }
    },
    { decorations: (value) => value.decorations },
  );
  return [plugin, theme];
}

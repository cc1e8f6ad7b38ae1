// ankiSyntax(): Anki's `{{…}}` tags marked on top of the HTML highlighting, so a template's
// logic stands out from its markup: sections, filters and field names each get a class.
import { type Extension, RangeSetBuilder } from "@codemirror/state";
import {
  Decoration,
  type DecorationSet,
  EditorView,
  ViewPlugin,
  type ViewUpdate,
} from "@codemirror/view";
import { scanTags } from "./tags";

const tagMark = Decoration.mark({ class: "cm-anki-tag" });
const sectionMark = Decoration.mark({ class: "cm-anki-tag cm-anki-section" });
const filterMark = Decoration.mark({ class: "cm-anki-filter" });
const fieldMark = Decoration.mark({ class: "cm-anki-field" });

function build(view: EditorView): DecorationSet {
  // Templates are small; scanning the whole text keeps comment handling exact.
  const builder = new RangeSetBuilder<Decoration>();
  for (const tag of scanTags(view.state.doc.toString())) {
    const section = tag.kind !== "replace";
    builder.add(tag.from, tag.to, section ? sectionMark : tagMark);
    const innerFrom = tag.from + 2;
    if (tag.filters.length > 0 && tag.nameFrom > innerFrom) {
      builder.add(innerFrom, tag.nameFrom, filterMark);
    }
    const nameTo = tag.nameFrom + tag.name.length;
    if (tag.name && nameTo <= tag.to - 2) builder.add(tag.nameFrom, nameTo, fieldMark);
  }
  return builder.finish();
}

const theme = EditorView.baseTheme({
  // !important: the HTML highlighter's spans sit inside ours and would otherwise win.
  ".cm-anki-tag, .cm-anki-tag *": { color: "var(--anki-tag, #7a3e9d) !important" },
  ".cm-anki-tag": {
    backgroundColor: "var(--anki-tag-bg, rgba(122, 62, 157, 0.08))",
    borderRadius: "3px",
  },
  ".cm-anki-section, .cm-anki-section *": {
    color: "var(--anki-section, #b35900) !important",
    fontWeight: "600",
  },
  ".cm-anki-filter, .cm-anki-filter *": { color: "var(--anki-filter, #0b7a75) !important" },
  ".cm-anki-field": { fontWeight: "600" },
});

/** Highlight Anki template tags (`{{Field}}`, `{{#F}}…{{/F}}`, `{{filter:F}}`). */
export function ankiSyntax(): Extension {
  const plugin = ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      constructor(view: EditorView) {
        this.decorations = build(view);
      }
      update(update: ViewUpdate): void {
        if (update.docChanged) this.decorations = build(update.view);
      }
    },
    { decorations: (value) => value.decorations },
  );
  return [plugin, theme];
}

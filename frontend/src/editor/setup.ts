// The extensions every template or CSS editor gets; the Anki-specific ones come from their own
// files. Colours are CSS variables so one style serves light and dark schemes.
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { css } from "@codemirror/lang-css";
import { html } from "@codemirror/lang-html";
import {
  bracketMatching,
  foldGutter,
  HighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from "@codemirror/language";
import { lintGutter, lintKeymap } from "@codemirror/lint";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import type { Extension } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

const highlight = HighlightStyle.define([
  { tag: [t.tagName, t.angleBracket], color: "var(--cm-tag, #22639e)" },
  { tag: t.attributeName, color: "var(--cm-attr, #7a5c00)" },
  { tag: [t.attributeValue, t.string], color: "var(--cm-string, #2e7d32)" },
  { tag: t.comment, color: "var(--cm-comment, #7b7b7b)", fontStyle: "italic" },
  { tag: [t.keyword, t.modifier], color: "var(--cm-keyword, #8e24aa)" },
  { tag: [t.number, t.unit, t.color], color: "var(--cm-number, #c2410c)" },
  { tag: [t.propertyName], color: "var(--cm-property, #0b5394)" },
  { tag: [t.className, t.labelName], color: "var(--cm-class, #9a3412)" },
  { tag: t.invalid, color: "var(--cm-invalid, #c62828)" },
]);

const theme = EditorView.theme({
  "&": {
    height: "100%",
    fontSize: "13px",
    backgroundColor: "var(--editor-bg)",
    color: "var(--fg)",
  },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
  ".cm-gutters": {
    backgroundColor: "var(--editor-gutter)",
    color: "var(--muted)",
    borderRight: "1px solid var(--border)",
  },
  ".cm-activeLine": { backgroundColor: "var(--editor-active)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--editor-active)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--fg)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--editor-selection) !important",
  },
  ".cm-panels": { backgroundColor: "var(--panel)", color: "var(--fg)" },
  ".cm-tooltip": {
    backgroundColor: "var(--panel)",
    color: "var(--fg)",
    border: "1px solid var(--border)",
  },
});

// No auto-closing of brackets or tags: Anki's editor has none, and typed text stays as typed.
/** Base extensions for an editor of `language` (a template side is HTML, styling is CSS). */
export function baseEditor(language: "html" | "css"): Extension {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    foldGutter(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    autocompletion(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    lintGutter(),
    EditorView.lineWrapping,
    syntaxHighlighting(highlight),
    theme,
    language === "html" ? html({ autoCloseTags: false }) : css(),
    keymap.of([
      ...defaultKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...completionKeymap,
      ...lintKeymap,
      indentWithTab,
    ]),
  ];
}

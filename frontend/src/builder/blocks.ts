// The blocks offered for dragging onto the card. Anki tags and sections use the builder's own
// component types; the rest are plain elements. Field blocks start on the note type's fields.
import type { Editor } from "grapesjs";

interface BlockSpec {
  id: string;
  label: string;
  category: string;
  content: (fields: string[]) => Record<string, unknown>;
}

const text = (content: string): Record<string, unknown> => ({ type: "textnode", content });

/** The field a new block shows first: a likely one by name, else the first field. */
function pick(fields: string[], ...likely: string[]): string {
  return likely.find((name) => fields.includes(name)) ?? fields[0] ?? "Front";
}

// Image and Audio start without a file (no request for a name that does not exist); the
// src trait picks one from the note type's media (a leading underscore keeps Anki from
// deleting it as unused).
const BLOCKS: BlockSpec[] = [
  {
    id: "field",
    label: "Field",
    category: "Anki",
    content: (f) => ({ type: "atd-tag", atdField: pick(f), atdFilters: "" }),
  },
  {
    id: "cloze",
    label: "Cloze",
    category: "Anki",
    content: (f) => ({ type: "atd-tag", atdField: pick(f, "Text"), atdFilters: "cloze" }),
  },
  {
    id: "hint",
    label: "Hint",
    category: "Anki",
    content: (f) => ({ type: "atd-tag", atdField: pick(f, "Hint", "Extra"), atdFilters: "hint" }),
  },
  {
    id: "type-in",
    label: "Type-in answer",
    category: "Anki",
    content: (f) => ({ type: "atd-tag", atdField: pick(f, "Back"), atdFilters: "type" }),
  },
  {
    id: "conditional",
    label: "Conditional section",
    category: "Anki",
    content: (f) => ({
      type: "atd-section",
      atdField: pick(f, "Back Extra", "Extra"),
      atdCondition: "filled",
      components: [],
    }),
  },
  {
    id: "frontside",
    label: "FrontSide",
    category: "Anki",
    content: () => ({ type: "atd-tag", atdField: "FrontSide", atdFilters: "" }),
  },
  {
    id: "tts",
    label: "TTS",
    category: "Anki",
    content: (f) => ({ type: "atd-tag", atdField: pick(f), atdFilters: "tts en_US" }),
  },
  {
    id: "image",
    label: "Image",
    category: "Layout",
    content: () => ({
      type: "atd-element",
      tagName: "img",
      attributes: { src: "", alt: "" },
    }),
  },
  {
    id: "audio",
    label: "Audio",
    category: "Layout",
    content: () => ({
      type: "atd-element",
      tagName: "audio",
      attributes: { controls: "", src: "" },
    }),
  },
  {
    id: "divider",
    label: "Divider",
    category: "Layout",
    content: () => ({ type: "atd-element", tagName: "hr" }),
  },
  {
    id: "heading",
    label: "Heading",
    category: "Layout",
    content: () => ({ type: "atd-text", tagName: "h2", components: [text("Heading")] }),
  },
  {
    id: "text",
    label: "Text",
    category: "Layout",
    content: () => ({ type: "atd-text", tagName: "p", components: [text("Text")] }),
  },
  {
    id: "columns",
    label: "Columns",
    category: "Layout",
    content: () => ({
      type: "atd-element",
      tagName: "div",
      style: { display: "flex", gap: "1em" },
      components: [
        { type: "atd-element", tagName: "div", style: { flex: "1" } },
        { type: "atd-element", tagName: "div", style: { flex: "1" } },
      ],
    }),
  },
  {
    id: "container",
    label: "Container",
    category: "Layout",
    content: () => ({ type: "atd-element", tagName: "div" }),
  },
];

/** (Re)register the blocks, their first field chosen from `fields`. */
export function registerBlocks(editor: Editor, fields: string[]): void {
  const manager = editor.Blocks;
  for (const spec of BLOCKS) {
    manager.remove(spec.id);
    manager.add(spec.id, {
      label: spec.label,
      category: spec.category,
      content: spec.content(fields),
      attributes: {
        "data-testid": "builder-block",
        "data-block": spec.id,
        title: `Add ${spec.label}`,
      },
    });
  }
}

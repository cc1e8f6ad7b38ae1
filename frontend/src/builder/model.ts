// The builder's own view of a template: a tree of segments, each keeping the exact text it was
// read from. Serialising an unchanged tree is concatenating those texts, so loading and saving
// without edits gives back the template byte for byte, whatever it contains.

/** One attribute of an element, as written (`source` includes the whitespace before it). */
export interface Attr {
  name: string;
  /** The decoded value, or null for a bare attribute (`<video controls>`). */
  value: string | null;
  source: string;
}

/** Plain text between tags (entities kept as written). */
export interface TextSegment {
  kind: "text";
  source: string;
}

/** Anything the builder does not edit: kept verbatim and shown read-only. */
export interface RawSegment {
  kind: "raw";
  source: string;
  /** Why it is opaque, shown to the user ("script", "comment", "event attribute onclick"…). */
  reason: string;
}

/** An Anki replacement `{{filter:…:Field}}`, `{{FrontSide}}`. */
export interface TagSegment {
  kind: "tag";
  source: string;
  field: string;
  filters: string[];
}

/** `{{#Field}}…{{/Field}}` (filled) or `{{^Field}}…{{/Field}}` (empty). */
export interface SectionSegment {
  kind: "section";
  field: string;
  inverted: boolean;
  open: string;
  close: string;
  children: Segment[];
}

/** An element of a well-understood tag whose attributes the builder can edit. */
export interface ElementSegment {
  kind: "element";
  tag: string;
  attrs: Attr[];
  /** The open tag as written, `<div class="x">`. */
  open: string;
  /** The close tag as written; empty for void elements. */
  close: string;
  children: Segment[];
  /**
   * Why its tags are kept as written (Anki tags or scripts in its attributes): its children
   * are edited in the builder, its own attributes only in code view. Absent when editable.
   */
  locked?: string;
}

export type Segment = TextSegment | RawSegment | TagSegment | SectionSegment | ElementSegment;

/** What kind of block an Anki tag is, from its filters and field. */
export type TagKind = "field" | "cloze" | "hint" | "type" | "frontside" | "tts";

export function tagKind(field: string, filters: readonly string[]): TagKind {
  if (filters.length === 0 && field === "FrontSide") return "frontside";
  if (filters.some((f) => f === "cloze" || f === "cloze-only")) {
    return filters[0] === "type" ? "type" : "cloze";
  }
  if (filters[0] === "type") return "type";
  if (filters.includes("hint")) return "hint";
  if (filters.some((f) => f.startsWith("tts"))) return "tts";
  return "field";
}

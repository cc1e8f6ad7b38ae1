// Pure helpers over Anki template text: find `{{…}}` tags the way Anki's lexer does (tags inside
// an HTML comment are text), pair `{{#F}}`/`{{^F}}` with `{{/F}}`, and list field references.
// No DOM and no CodeMirror here, so these can be unit-tested on plain strings.
import { utf16Offset } from "./positions";

export type TagKind = "open" | "inverted" | "close" | "replace";

export interface Tag {
  /** Offset of the first `{`. */
  from: number;
  /** Offset just past the closing `}}`. */
  to: number;
  kind: TagKind;
  /** The field (or special field) name, trimmed: the last `:`-separated part. */
  name: string;
  /** Filters in the order written (`{{a:b:F}}` → ["a", "b"]); empty for sections. */
  filters: string[];
  /** Offset of the name's first character, for precise decorations. */
  nameFrom: number;
}

const OPEN = "{{";
const CLOSE = "}}";
const COMMENT_OPEN = "<!--";
const COMMENT_CLOSE = "-->";

/** Every tag in `source`, in order; an unclosed `{{` ends the scan (Anki reports it). */
export function scanTags(source: string): Tag[] {
  const tags: Tag[] = [];
  let pos = 0;
  while (pos < source.length) {
    const tagAt = source.indexOf(OPEN, pos);
    if (tagAt < 0) break;
    const commentAt = source.indexOf(COMMENT_OPEN, pos);
    if (commentAt >= 0 && commentAt < tagAt) {
      const commentEnd = source.indexOf(COMMENT_CLOSE, commentAt + COMMENT_OPEN.length);
      // An unclosed comment is plain text to Anki, so the tags after it still count.
      if (commentEnd >= 0) {
        pos = commentEnd + COMMENT_CLOSE.length;
        continue;
      }
    }
    const end = source.indexOf(CLOSE, tagAt + OPEN.length);
    if (end < 0) break;
    tags.push(classify(source, tagAt, end + CLOSE.length));
    pos = end + CLOSE.length;
  }
  return tags;
}

function classify(source: string, from: number, to: number): Tag {
  const innerFrom = from + OPEN.length;
  const raw = source.slice(innerFrom, to - CLOSE.length);
  // Anki drops extra opening braces first: `{{{Front}}}` is `{{Front}}` and a `}`.
  const unbraced = raw.replace(/^\{+/, "");
  const lead = raw.length - unbraced.trimStart().length;
  const inner = unbraced.trim();
  // As in Anki, a tag of one character (`{{#}}`) is a replacement, whatever the character.
  const sigil = inner.length < 2 ? "" : inner.charAt(0);
  const kind: TagKind =
    sigil === "#" ? "open" : sigil === "^" ? "inverted" : sigil === "/" ? "close" : "replace";
  if (kind !== "replace") {
    const rest = inner.slice(1);
    const name = rest.trim();
    const nameFrom = innerFrom + lead + 1 + (rest.length - rest.trimStart().length);
    return { from, to, kind, name, filters: [], nameFrom };
  }
  const parts = inner.split(":");
  const last = parts.pop() ?? "";
  const name = last.trim();
  const lastAt = raw.lastIndexOf(last);
  const nameFrom = innerFrom + lastAt + (last.length - last.trimStart().length);
  return { from, to, kind, name, filters: parts.map((p) => p.trim()), nameFrom };
}

export interface SectionPairs {
  /** Index of a section tag in the scanned list → index of its partner. */
  partner: Map<number, number>;
  /** Indexes of section tags with no partner (or a wrongly named one). */
  unmatched: Set<number>;
}

/** Pair opening and closing section tags as Anki's parser nests them. */
export function pairSections(tags: readonly Tag[]): SectionPairs {
  const partner = new Map<number, number>();
  const unmatched = new Set<number>();
  const stack: number[] = [];
  tags.forEach((tag, index) => {
    if (tag.kind === "open" || tag.kind === "inverted") {
      stack.push(index);
    } else if (tag.kind === "close") {
      const top = stack[stack.length - 1];
      if (top !== undefined && tags[top]?.name === tag.name) {
        stack.pop();
        partner.set(top, index);
        partner.set(index, top);
      } else {
        unmatched.add(index);
      }
    }
  });
  for (const index of stack) unmatched.add(index);
  return { partner, unmatched };
}

/** The index of the tag whose span contains `pos` (ends inclusive), or -1. */
export function tagAt(tags: readonly Tag[], pos: number): number {
  return tags.findIndex((tag) => tag.from <= pos && pos <= tag.to);
}

/** True when a template uses field `name` in any tag (replacement, filter or section). */
export function referencesField(source: string, name: string): boolean {
  return scanTags(source).some((tag) => tag.name === name);
}

/**
 * 1-based line and column (as the engine reports them: the column counts code points) → UTF-16
 * offset into `source`.
 */
export function offsetOf(source: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = source.indexOf("\n", offset);
    if (next < 0) return source.length;
    offset = next + 1;
  }
  const lineEnd = source.indexOf("\n", offset);
  const limit = lineEnd < 0 ? source.length : lineEnd;
  return offset + utf16Offset(source.slice(offset, limit), Math.max(0, column - 1));
}

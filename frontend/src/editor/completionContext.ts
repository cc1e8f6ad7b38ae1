// Pure: where the cursor is inside a `{{…}}` tag and what may be typed there.

export type CompletionPlace =
  /** After `{{#`, `{{^` or `{{/`: a field name (a section). */
  | "section"
  /** After `{{` or `{{filter:`: a field, a special field or a filter. */
  | "replacement";

export interface TagContext {
  place: CompletionPlace;
  /** Offset where the word being completed starts. */
  from: number;
  /** The text typed so far for that word. */
  typed: string;
  /** The sigil of a section tag ("#", "^", "/"), or "" for a replacement. */
  sigil: string;
}

/**
 * The completion context for the cursor at `pos`, given the text of its line up to the cursor
 * (`before`, ending at `pos`); null when the cursor is not inside an open `{{`.
 */
export function tagContext(before: string, pos: number): TagContext | null {
  const open = before.lastIndexOf("{{");
  if (open < 0) return null;
  const inner = before.slice(open + 2);
  if (inner.includes("}}") || inner.includes("{")) return null;
  const lead = inner.length - inner.trimStart().length;
  const sigil = /^[#^/]/.test(inner.trimStart()) ? inner.trimStart().charAt(0) : "";
  if (sigil) {
    const after = inner.slice(lead + 1);
    const skip = after.length - after.trimStart().length;
    const typed = after.slice(skip);
    return { place: "section", from: pos - typed.length, typed, sigil };
  }
  const colon = inner.lastIndexOf(":");
  const word = inner.slice(colon + 1);
  const typed = word.trimStart();
  return { place: "replacement", from: pos - typed.length, typed, sigil: "" };
}

/** The innermost section still open before `pos` (for completing `{{/`). */
export function openSectionBefore(text: string): string | null {
  const stack: string[] = [];
  const pattern = /\{\{\s*([#^/])\s*([^}]*?)\s*\}\}/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const [, sigil, name] = match;
    if (sigil === "/") {
      if (stack[stack.length - 1] === name) stack.pop();
    } else if (name !== undefined) {
      stack.push(name);
    }
  }
  return stack[stack.length - 1] ?? null;
}

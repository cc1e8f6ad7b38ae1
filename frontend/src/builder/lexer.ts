// Template text → flat tokens. Every token keeps its exact source slice; the tokens of a
// template concatenate back to the template. Anything this small lexer does not fully
// understand becomes a "raw" token rather than a guess.
import type { Attr } from "./model";

export type Token =
  | { type: "text"; source: string }
  | { type: "raw"; source: string; reason: string }
  | { type: "open"; source: string; tag: string; attrs: Attr[]; selfClosing: boolean }
  | { type: "close"; source: string; tag: string }
  | { type: "mustache"; source: string; inner: string };

/** Elements whose content is not HTML: taken whole, start tag to end tag, as one raw token. */
const RAW_TEXT = new Set(["script", "style", "textarea", "title", "xmp", "noscript", "template"]);

const OPEN_START = /^<([a-zA-Z][a-zA-Z0-9-]*)/;
const ATTR = /^(\s+)([^\s"'>/=]+)(?:(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/;
const OPEN_END = /^\s*(\/?)>/;
const CLOSE = /^<\/([a-zA-Z][a-zA-Z0-9-]*)\s*>/;

/** Decode the few entities that matter for comparing attribute values. */
export function decodeEntities(text: string): string {
  return text.replace(
    /&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/gi,
    (entity, code: string) => {
      const lower = code.toLowerCase();
      if (lower.startsWith("#")) {
        const point = lower.startsWith("#x")
          ? parseInt(lower.slice(2), 16)
          : parseInt(lower.slice(1), 10);
        return point <= 0x10ffff ? String.fromCodePoint(point) : entity;
      }
      const named: Record<string, string> = {
        amp: "&",
        lt: "<",
        gt: ">",
        quot: '"',
        apos: "'",
        nbsp: "\u00a0",
      };
      return named[lower] ?? entity;
    },
  );
}

interface OpenTag {
  tag: string;
  attrs: Attr[];
  selfClosing: boolean;
  length: number;
}

/** A start tag at the beginning of `text`, or null when it is not a plain one. */
function readOpenTag(text: string): OpenTag | null {
  const start = OPEN_START.exec(text);
  if (!start) return null;
  let rest = text.slice(start[0].length);
  let length = start[0].length;
  const attrs: Attr[] = [];
  for (;;) {
    const end = OPEN_END.exec(rest);
    if (end) {
      return {
        tag: start[1]!.toLowerCase(),
        attrs,
        selfClosing: end[1] === "/",
        length: length + end[0].length,
      };
    }
    const attr = ATTR.exec(rest);
    if (!attr) return null;
    const raw = attr[4] ?? attr[5] ?? attr[6];
    attrs.push({
      name: attr[2]!.toLowerCase(),
      value: raw === undefined ? null : decodeEntities(raw),
      source: attr[0],
    });
    rest = rest.slice(attr[0].length);
    length += attr[0].length;
  }
}

/** Where the next `<`-construct or `{{` starts at or after `from` (or the end). */
function nextSpecial(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "<" && /[a-zA-Z/!?]/.test(text[i + 1] ?? "")) return i;
    if (c === "{" && text[i + 1] === "{") return i;
  }
  return text.length;
}

/** Split a template into tokens whose sources concatenate to `text`. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const raw = (end: number, reason: string): void => {
    tokens.push({ type: "raw", source: text.slice(i, end), reason });
    i = end;
  };
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest.startsWith("{{")) {
      const end = text.indexOf("}}", i + 2);
      const inner = end < 0 ? "" : text.slice(i + 2, end);
      if (end < 0 || inner.includes("{{")) {
        raw(text.length, "an unclosed {{ tag");
      } else if (/^\s*=/.test(inner)) {
        // Changed delimiters change how the rest is read: keep all of it as it is.
        raw(text.length, "changed tag delimiters {{=…=}}");
      } else {
        tokens.push({ type: "mustache", source: text.slice(i, end + 2), inner });
        i = end + 2;
      }
    } else if (rest.startsWith("<!--")) {
      const end = text.indexOf("-->", i + 4);
      raw(end < 0 ? text.length : end + 3, "an HTML comment");
    } else if (rest.startsWith("</")) {
      const close = CLOSE.exec(rest);
      if (close) {
        tokens.push({ type: "close", source: close[0], tag: close[1]!.toLowerCase() });
        i += close[0].length;
      } else {
        const end = text.indexOf(">", i);
        raw(end < 0 ? text.length : end + 1, "an end tag it cannot read");
      }
    } else if (rest.startsWith("<!") || rest.startsWith("<?")) {
      const end = text.indexOf(">", i);
      raw(end < 0 ? text.length : end + 1, "a declaration");
    } else if (/^<[a-zA-Z]/.test(rest)) {
      const open = readOpenTag(rest);
      if (!open) {
        const end = text.indexOf(">", i);
        raw(end < 0 ? text.length : end + 1, "a tag it cannot read (Anki tags inside it?)");
      } else if (RAW_TEXT.has(open.tag) && !open.selfClosing) {
        const closeAt = rest.toLowerCase().indexOf(`</${open.tag}`, open.length);
        const closeEnd = closeAt < 0 ? -1 : text.indexOf(">", i + closeAt);
        raw(closeEnd < 0 ? text.length : closeEnd + 1, `a <${open.tag}> block`);
      } else {
        const source = rest.slice(0, open.length);
        tokens.push({ type: "open", source, ...open });
        i += open.length;
      }
    } else {
      const end = nextSpecial(text, i + 1);
      tokens.push({ type: "text", source: text.slice(i, end) });
      i = end;
    }
  }
  return tokens;
}

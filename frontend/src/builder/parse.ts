// Tokens → segment tree. Elements and sections nest only when they close where they opened;
// an opener whose closer is missing or crosses another construct stays a raw segment (its
// content is read again at the outer level), so the tree never claims more than it understands.
import { tokenize, type Token } from "./lexer";
import { type ElementSegment, type Segment } from "./model";

/** Elements the builder edits (their attributes, their children). Others are opaque. */
const KNOWN_TAGS = new Set(
  (
    "div span p b i u s strong em small big sub sup mark code kbd pre blockquote q cite abbr " +
    "h1 h2 h3 h4 h5 h6 hr br img a ul ol li dl dt dd table thead tbody tfoot tr td th caption " +
    "section article header footer aside main nav figure figcaption ruby rt rp font center " +
    "audio video source details summary label del ins"
  ).split(" "),
);
const VOID_TAGS = new Set(["br", "hr", "img", "source", "wbr", "col", "area", "input", "meta"]);

/** Attributes the builder understands; `data-*` and `aria-*` too. Anything else is opaque. */
const KNOWN_ATTRS = new Set(
  (
    "class id style title lang dir alt src width height href target rel colspan rowspan align " +
    "valign color face size controls loop muted autoplay preload poster start type reversed " +
    "role tabindex hidden open draggable translate"
  ).split(" "),
);

/** Why an element cannot be edited visually, or null when it can. */
function opaqueReason(token: Extract<Token, { type: "open" }>): string | null {
  if (!KNOWN_TAGS.has(token.tag)) return `an element <${token.tag}> the builder does not know`;
  if (token.selfClosing && !VOID_TAGS.has(token.tag)) return `a self-closed <${token.tag}/>`;
  for (const attr of token.attrs) {
    if (attr.source.includes("{{")) return "Anki tags inside an attribute";
    if (attr.name.startsWith("on")) return `an event attribute ${attr.name}`;
    if (/^(data|aria)-/.test(attr.name)) continue;
    if (!KNOWN_ATTRS.has(attr.name)) return `an attribute ${attr.name} the builder does not know`;
    if (/^\s*javascript:/i.test(attr.value ?? "")) return "a javascript: link";
  }
  return null;
}

/** A replacement or section tag's parts, or null when it is not one the builder can edit. */
function readTag(inner: string): { field: string; filters: string[] } | null {
  const text = inner.trim();
  if (!text || /[{}]/.test(text) || /^[#^/!>=&]/.test(text)) return null;
  const parts = text.split(":");
  const field = parts.pop()!.trim();
  if (!field) return null;
  return { field, filters: parts.map((p) => p.trim()) };
}

/** The key of the construct a token closes ("e:div", "s:Field"), or null. */
function closerOf(token: Token): string | null {
  if (token.type === "close") return `e:${token.tag}`;
  if (token.type === "mustache" && token.inner.trim().startsWith("/")) {
    return `s:${token.inner.trim().slice(1).trim()}`;
  }
  return null;
}

class TreeBuilder {
  private pos = 0;
  /** Openers already found unclosed: stay raw without reading their content again. */
  private readonly failed = new Set<number>();

  constructor(private readonly tokens: Token[]) {}

  /** How many open constructs wait for each closer ("e:div", "s:Field"). */
  private readonly open = new Map<string, number>();

  /** Read segments until `closer` (consumed) or an enclosing construct's closer (left for it). */
  parseUntil(closer: string | null): { children: Segment[]; closed: string | null } {
    const children: Segment[] = [];
    if (closer) this.open.set(closer, (this.open.get(closer) ?? 0) + 1);
    try {
      while (this.pos < this.tokens.length) {
        const token = this.tokens[this.pos]!;
        const ends = closerOf(token);
        if (ends === null) {
          children.push(this.parseOne(token));
        } else if (ends === closer) {
          this.pos++;
          return { children, closed: token.source };
        } else if (this.open.has(ends)) {
          return { children, closed: null };
        } else {
          this.pos++;
          children.push({
            kind: "raw",
            source: token.source,
            reason: "a closing tag with no opening",
          });
        }
      }
      return { children, closed: null };
    } finally {
      if (closer) {
        const left = this.open.get(closer)! - 1;
        if (left) this.open.set(closer, left);
        else this.open.delete(closer);
      }
    }
  }

  private parseOne(token: Token): Segment {
    this.pos++;
    if (token.type === "text") return { kind: "text", source: token.source };
    if (token.type === "raw") return { kind: "raw", source: token.source, reason: token.reason };
    if (token.type === "close") throw new Error("unreachable: closers are handled by the caller");
    if (token.type === "mustache") return this.parseMustache(token);
    return this.parseElement(token);
  }

  private parseMustache(token: Extract<Token, { type: "mustache" }>): Segment {
    const inner = token.inner.trim();
    if (inner.startsWith("#") || inner.startsWith("^")) {
      const field = inner.slice(1).trim();
      const start = this.pos;
      const body = this.failed.has(start)
        ? { children: [], closed: null }
        : this.parseUntil(`s:${field}`);
      if (body.closed === null || !field) {
        // Unclosed or crossing: the opener alone is opaque; its content is read again outside.
        this.failed.add(start);
        this.pos = start;
        return { kind: "raw", source: token.source, reason: "a section that is not closed here" };
      }
      return {
        kind: "section",
        field,
        inverted: inner.startsWith("^"),
        open: token.source,
        close: body.closed,
        children: body.children,
      };
    }
    const tag = readTag(token.inner);
    if (!tag) return { kind: "raw", source: token.source, reason: "an Anki tag it cannot read" };
    return { kind: "tag", source: token.source, ...tag };
  }

  private parseElement(token: Extract<Token, { type: "open" }>): Segment {
    const isVoid = VOID_TAGS.has(token.tag);
    const element: ElementSegment = {
      kind: "element",
      tag: token.tag,
      attrs: token.attrs,
      open: token.source,
      close: "",
      children: [],
    };
    if (!isVoid && !token.selfClosing) {
      const start = this.pos;
      const body = this.failed.has(start)
        ? { children: [], closed: null }
        : this.parseUntil(`e:${token.tag}`);
      if (body.closed === null) {
        this.failed.add(start);
        this.pos = start;
        return {
          kind: "raw",
          source: token.source,
          reason: `a <${token.tag}> that is not closed here`,
        };
      }
      element.children = body.children;
      element.close = body.closed;
    }
    const reason = opaqueReason(token);
    if (!reason) return element;
    // A known container with odd attributes keeps its tags verbatim but its content editable
    // (a card wrapped in <div class="{{Tags}}"> stays usable); anything else is opaque.
    if (KNOWN_TAGS.has(token.tag) && !isVoid && !token.selfClosing) {
      return { ...element, locked: reason };
    }
    return { kind: "raw", source: serializeElement(element), reason };
  }
}

function serializeElement(element: ElementSegment): string {
  return element.open + serializeSegments(element.children) + element.close;
}

/** Text of segments: each one's own source, so an unchanged tree gives back its input. */
export function serializeSegments(segments: readonly Segment[]): string {
  let out = "";
  for (const segment of segments) {
    switch (segment.kind) {
      case "text":
      case "raw":
      case "tag":
        out += segment.source;
        break;
      case "section":
        out += segment.open + serializeSegments(segment.children) + segment.close;
        break;
      case "element":
        out += serializeElement(segment);
        break;
    }
  }
  return out;
}

/** Read a template into segments; `serializeSegments(parseTemplate(t)) === t` for any `t`. */
export function parseTemplate(text: string): Segment[] {
  // At the top level a closer has nothing to close: parseUntil keeps it as raw.
  return new TreeBuilder(tokenize(text)).parseUntil(null).children;
}

// Segments ↔ GrapesJS components. Each component keeps the text it came from and a snapshot
// of its editable state; writing back emits that text unchanged unless the state differs, and
// then rewrites only the part that changed (an attribute, a tag's field). GrapesJS's own
// toHTML is never used for anything that came from the template.
import type { Component } from "grapesjs";
import { MANAGED_PREFIX } from "./css";
import { tagKind, type Attr, type Segment } from "./model";
import { serializeSegments } from "./parse";

/** GrapesJS component definition (what `components(...)` accepts). */
export type Definition = Record<string, unknown>;

/** Element origin kept on a component: how it was written, and its state when loaded. */
interface ElementOrigin {
  open: string;
  close: string;
  attrs: Attr[];
  /** The children's source when they were all plain text (so an RTE pass can be undone). */
  inner: string | null;
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
}

export function escapeText(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\u00a0/g, "&nbsp;"); // as Anki's editor writes it
}

/** `{{filters:field}}` as Anki writes it. */
export function tagText(field: string, filters: string): string {
  const prefix = filters.trim() ? `${filters.trim()}:` : "";
  return `{{${prefix}${field}}}`;
}

/** What a tag chip shows on the canvas. */
export function tagLabel(field: string, filters: string): string {
  const list = filters ? filters.split(":") : [];
  const kind = tagKind(field, list);
  const names = {
    field: "",
    cloze: "Cloze ",
    hint: "Hint ",
    type: "Type-in ",
    frontside: "",
    tts: "TTS ",
  };
  return kind === "frontside" ? "Front side" : `${names[kind]}${tagText(field, filters)}`;
}

export function sectionLabel(field: string, condition: string): string {
  const cloze = /^c(\d+)$/.exec(field);
  if (cloze) return condition === "empty" ? `not on cloze ${cloze[1]}` : `on cloze ${cloze[1]}`;
  return condition === "empty" ? `if ${field} is empty` : `if ${field} is filled`;
}

/** Component definitions for segments (decode: entity text → displayed text). */
export function toDefinitions(
  segments: readonly Segment[],
  decode: (s: string) => string,
): Definition[] {
  return segments.map((segment): Definition => {
    switch (segment.kind) {
      case "text":
        return {
          type: "textnode",
          content: decode(segment.source),
          atdSource: segment.source,
          atdShown: decode(segment.source),
        };
      case "raw":
        return { type: "atd-raw", atdSource: segment.source, atdReason: segment.reason };
      case "tag": {
        const filters = segment.filters.join(":");
        return {
          type: "atd-tag",
          atdField: segment.field,
          atdFilters: filters,
          atdSource: segment.source,
          atdOrigin: [segment.field, filters],
        };
      }
      case "section": {
        const condition = segment.inverted ? "empty" : "filled";
        return {
          type: "atd-section",
          atdField: segment.field,
          atdCondition: condition,
          atdOpen: segment.open,
          atdClose: segment.close,
          atdOrigin: [segment.field, condition],
          components: toDefinitions(segment.children, decode),
        };
      }
      case "element": {
        const textOnly = segment.children.every((c) => c.kind === "text");
        const attributes: Record<string, string> = {};
        for (const attr of segment.attrs) attributes[attr.name] = attr.value ?? "";
        const origin: ElementOrigin = {
          open: segment.open,
          close: segment.close,
          attrs: segment.attrs,
          inner: textOnly ? serializeSegments(segment.children) : null,
        };
        if (segment.locked !== undefined) {
          // No attributes on the canvas: `src="{{Image}}"` would only make a failed request.
          return {
            type: "atd-locked",
            tagName: segment.tag,
            atdElement: origin,
            atdReason: segment.locked,
            components: toDefinitions(segment.children, decode),
          };
        }
        return {
          type: textOnly && segment.children.length > 0 ? "atd-text" : "atd-element",
          tagName: segment.tag,
          attributes,
          atdElement: origin,
          components: toDefinitions(segment.children, decode),
        };
      }
    }
  });
}

/** The editable state of an element component, compared against the snapshot taken on load. */
function elementState(component: Component): string {
  const attributes = { ...(component.get("attributes") as Record<string, unknown>) };
  return JSON.stringify([
    component.get("tagName"),
    attributes,
    component.getClasses(),
    component.getStyle(),
  ]);
}

/** Remember each element's loaded state (call once the definitions are components). */
export function snapshot(components: readonly Component[]): void {
  for (const component of components) {
    if (component.get("atdElement"))
      component.set("atdState", elementState(component), { silent: true });
    snapshot(component.components().models);
  }
}

/** The current attributes of an element component, in the order they should be written. */
function currentAttributes(component: Component): Map<string, string> {
  const out = new Map<string, string>();
  const classes = component.getClasses() as string[];
  const attributes = component.get("attributes") as Record<string, unknown>;
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    out.set(name, value === true ? "" : String(value));
  }
  if (classes.length) out.set("class", classes.join(" "));
  const style = Object.entries(component.getStyle() as Record<string, unknown>)
    .filter(([key, value]) => typeof value === "string" && value !== "" && !key.startsWith("__"))
    .map(([key, value]) => `${key}: ${String(value)};`)
    .join(" ");
  if (style) out.set("style", style);
  return out;
}

/** The open tag for an element whose state changed: unchanged attributes keep their text. */
function rewriteOpen(component: Component, origin: ElementOrigin | null): string {
  const tag = String(component.get("tagName") ?? "div");
  const current = currentAttributes(component);
  let out = `<${tag}`;
  for (const attr of origin?.attrs ?? []) {
    if (!current.has(attr.name)) continue;
    const value = current.get(attr.name)!;
    current.delete(attr.name);
    const same = attr.value === value || (attr.value === null && value === "");
    out += same ? attr.source : ` ${attr.name}="${escapeAttr(value)}"`;
  }
  for (const [name, value] of current) {
    if (
      name === "id" &&
      !origin?.attrs.some((a) => a.name === "id") &&
      value === component.getId()
    ) {
      continue; // GrapesJS's own id, not the user's
    }
    out += value === "" ? ` ${name}` : ` ${name}="${escapeAttr(value)}"`;
  }
  return `${out}>`;
}

const VOID = new Set(["br", "hr", "img", "source", "wbr", "col", "area", "input", "meta"]);

/**
 * Template text for a list of components (the builder's serialiser). `decode` turns HTML
 * text into what it displays (the same function the definitions were made with).
 */
export function fromComponents(
  components: readonly Component[],
  decode: (s: string) => string,
): string {
  return components.map((c) => fromComponent(c, decode)).join("");
}

function fromComponent(component: Component, decode: (s: string) => string): string {
  const type = component.get("type") as string;
  if (type === "textnode") {
    const content = String(component.get("content") ?? "");
    const source = component.get("atdSource") as string | undefined;
    return source !== undefined && component.get("atdShown") === content
      ? source
      : escapeText(content);
  }
  if (type === "atd-raw") return String(component.get("atdSource"));
  if (type === "atd-tag") {
    const field = String(component.get("atdField"));
    const filters = String(component.get("atdFilters") ?? "");
    const origin = component.get("atdOrigin") as [string, string] | undefined;
    const source = component.get("atdSource") as string | undefined;
    if (source !== undefined && origin && origin[0] === field && origin[1] === filters)
      return source;
    return tagText(field, filters);
  }
  let children = fromComponents(component.components().models, decode);
  // A component GrapesJS made itself (after rich-text editing) may hold its HTML as `content`.
  const content = component.get("content");
  if (!children && typeof content === "string" && type !== "atd-raw") children = content;
  if (type === "atd-section") {
    const field = String(component.get("atdField"));
    const condition = String(component.get("atdCondition"));
    const origin = component.get("atdOrigin") as [string, string] | undefined;
    const unchanged = origin && origin[0] === field && origin[1] === condition;
    const open = unchanged
      ? String(component.get("atdOpen"))
      : `{{${condition === "empty" ? "^" : "#"}${field}}}`;
    const close =
      unchanged || origin?.[0] === field
        ? String(component.get("atdClose") ?? `{{/${field}}}`)
        : `{{/${field}}}`;
    return open + children + close;
  }
  const origin = (component.get("atdElement") as ElementOrigin | undefined) ?? null;
  if (type === "atd-locked" && origin) return origin.open + children + origin.close;
  const tag = String(component.get("tagName") ?? "div");
  const unchanged = origin !== null && component.get("atdState") === elementState(component);
  const open = unchanged ? origin.open : rewriteOpen(component, origin);
  const close =
    origin && origin.close !== "" && unchanged ? origin.close : VOID.has(tag) ? "" : `</${tag}>`;
  // After rich-text editing the children are new components; equal text keeps the old source.
  const inner =
    origin?.inner != null && decode(origin.inner) === decode(children) ? origin.inner : children;
  return open + inner + close;
}

/** The managed class of a component (`atd-…`), or null. */
export function managedClassOf(component: Component): string | null {
  const classes = component.getClasses() as string[];
  return classes.find((name) => name.startsWith(MANAGED_PREFIX)) ?? null;
}

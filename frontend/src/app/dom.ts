// A tiny element builder: the UI is plain DOM, and this keeps construction readable.

type Child = Node | string | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined | ((event: Event) => void);

/**
 * Create an element. Attributes: `testid` → data-testid, `on<event>` → listener, `true` →
 * present, `false`/null/undefined → absent; anything else is set as a string attribute.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, AttrValue> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (typeof value === "function") {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "testid") {
      element.dataset.testid = String(value);
    } else if (key === "value" && "value" in element) {
      (element as HTMLInputElement).value = String(value);
    } else {
      element.setAttribute(
        key === "className" ? "class" : key,
        value === true ? "" : String(value),
      );
    }
  }
  append(element, children);
  return element;
}

/** Append children, skipping the empty ones. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replace all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A labelled icon-ish button (the label is the accessible name and tooltip). */
export function button(
  text: string,
  label: string,
  testid: string,
  onClick: () => void,
  extra: Record<string, AttrValue> = {},
): HTMLButtonElement {
  return h(
    "button",
    { type: "button", testid, "aria-label": label, title: label, onclick: onClick, ...extra },
    text,
  );
}

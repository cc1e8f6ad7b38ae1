// A titled panel section with a toolbar, shared by the fields, card types, samples and history.
import { h } from "./dom";

export interface Panel {
  element: HTMLElement;
  body: HTMLElement;
  tools: HTMLElement;
}

/** A panel with `title`, a toolbar on the right of the heading and a body. */
export function panel(testid: string, title: string): Panel {
  const id = `${testid}-title`;
  const tools = h("div", { class: "panel-tools" });
  const body = h("div", { class: "panel-body" });
  const element = h(
    "section",
    { testid, class: "panel", "aria-labelledby": id },
    h("header", { class: "panel-head" }, h("h3", { id }, title), tools),
    body,
  );
  return { element, body, tools };
}

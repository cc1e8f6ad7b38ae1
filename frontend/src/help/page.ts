// The help page (route #/help): the template syntax, every lint rule (from the server, so it
// always matches the engine) and the keyboard shortcuts.
import { errorMessage } from "../api/client";
import { button, h, replaceChildren } from "../app/dom";
import { listLintRules, type LintRuleDoc } from "../gallery/api";
import { openShortcutSheet, shortcutTable } from "./shortcuts";
import { SYNTAX } from "./syntax";
import { startTour } from "./tour";

/** Whether a location hash is the help page's route. */
export function isHelpRoute(hash: string): boolean {
  return /^#\/help(?:[/?]|$)/.test(hash);
}

function rule(doc: LintRuleDoc): HTMLElement {
  return h(
    "li",
    { class: "lint-rule", testid: "lint-rule", "data-rule-id": doc.id },
    h(
      "div",
      { class: "lint-rule-head" },
      h("span", { class: `severity severity-${doc.severity}` }, doc.severity),
      h("strong", {}, doc.title),
      h("code", { class: "muted" }, doc.id),
    ),
    h("p", {}, doc.explanation),
    h("a", { href: doc.docs_url, target: "_blank", rel: "noopener noreferrer" }, "Read more"),
  );
}

function lintRules(): HTMLElement {
  const list = h("ul", { class: "lint-rules" }, h("li", { class: "muted" }, "Loading the rules…"));
  listLintRules().then(
    (rules) => replaceChildren(list, ...rules.map(rule)),
    (error: unknown) =>
      replaceChildren(
        list,
        h(
          "li",
          { class: "error", role: "alert" },
          `The rules could not load: ${errorMessage(error)}`,
        ),
      ),
  );
  return list;
}

function section(id: string, title: string, ...content: (Node | string)[]): HTMLElement {
  return h("section", { class: "help-section", id: `help-${id}` }, h("h2", {}, title), ...content);
}

/** The help page element (data-testid="help-page"). */
export function helpPage(): HTMLElement {
  const syntax = SYNTAX.map((part) =>
    h(
      "div",
      { class: "syntax-part", id: `help-${part.id}` },
      h("h3", {}, part.title),
      h("p", {}, part.intro),
      h(
        "dl",
        { class: "syntax-list" },
        ...part.entries.flatMap((entry) => [
          h("dt", {}, h("code", {}, entry.code)),
          h("dd", {}, entry.text),
        ]),
      ),
    ),
  );
  const jump = (id: string, label: string): HTMLButtonElement =>
    // Buttons, not #anchors: the hash is the page's route.
    button(label, `Jump to ${label}`, `help-jump-${id}`, () =>
      document.getElementById(`help-${id}`)?.scrollIntoView({ behavior: "smooth" }),
    );
  return h(
    "article",
    { class: "help-page", testid: "help-page", "aria-labelledby": "help-title" },
    h(
      "header",
      { class: "help-head" },
      h("h1", { id: "help-title" }, "Help"),
      h(
        "nav",
        { class: "help-nav", "aria-label": "Help sections" },
        jump("start", "Getting started"),
        jump("syntax", "Template syntax"),
        jump("lint", "Lint rules"),
        jump("keys", "Shortcuts"),
        button("Take the tour", "Take the guided tour", "tour-start", startTour),
        h("a", { href: "#/", class: "button" }, "Back to the library"),
      ),
    ),
    section(
      "start",
      "Getting started",
      h(
        "ol",
        {},
        h("li", {}, "Create a note type with “+ New”: blank, or from the gallery of starters."),
        h(
          "li",
          {},
          "Or import one: an .apkg, .colpkg, CrowdAnki export or folder, or from a running Anki (AnkiConnect).",
        ),
        h(
          "li",
          {},
          "Edit the front, back and styling; the preview updates as you type, for each platform and in night mode.",
        ),
        h(
          "li",
          {},
          "Fix what the lint underlines, then export, or send the note type back to Anki.",
        ),
      ),
    ),
    section("syntax", "Template syntax", ...syntax),
    section(
      "lint",
      "Lint rules",
      h(
        "p",
        {},
        "The designer checks each note type with these rules as you type. Errors are what Anki refuses or shows as broken; warnings and information are best practices.",
      ),
      lintRules(),
    ),
    section(
      "keys",
      "Keyboard shortcuts",
      shortcutTable(),
      button(
        "Show as a sheet",
        "Show the keyboard shortcut sheet",
        "shortcut-open",
        openShortcutSheet,
      ),
    ),
  );
}

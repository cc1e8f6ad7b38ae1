// The start screen when no note type is open: an empty state that says what to do next. Its
// buttons press the library's own controls, so there is one way to create and import.
import { api } from "../api/client";
import { button, h, replaceChildren } from "../app/dom";
import { startTour } from "./tour";

function press(selector: string): void {
  document.querySelector<HTMLElement>(selector)?.click();
}

/** The welcome view with the empty state (data-testid="empty-state"). */
export function welcomeView(): HTMLElement {
  const headline = h("h2", {}, "Anki Template Designer");
  const lead = h("p", {}, "Open a note type from the library, or start a new one:");
  const actions = h(
    "div",
    { class: "empty-actions" },
    button(
      "Create from the gallery",
      "Create a note type from a starter",
      "empty-create",
      () => press('[data-testid="new-notetype"]'),
      {
        class: "primary",
      },
    ),
    button(
      "Import an .apkg…",
      "Import an .apkg, .colpkg, CrowdAnki or folder export",
      "empty-import-file",
      () => press("#import-file"),
    ),
    button(
      "Import from Anki…",
      "Import note types from a running Anki (AnkiConnect)",
      "empty-import-anki",
      () => press('[data-testid="import-anki"]'),
    ),
  );
  const view = h(
    "div",
    { class: "welcome empty-state", testid: "empty-state" },
    headline,
    lead,
    actions,
    h(
      "p",
      { class: "muted empty-more" },
      "New here? ",
      h("a", { href: "#/help" }, "Read the help"),
      " or ",
      h(
        "a",
        {
          href: "#/",
          onclick: (event: Event) => {
            event.preventDefault();
            startTour();
          },
        },
        "take the tour",
      ),
      ". Press ? for keyboard shortcuts.",
    ),
  );
  // An empty library gets a headline of its own; a failed request keeps the general one.
  api.list().then(
    (summaries) => {
      view.dataset.empty = String(summaries.length === 0);
      if (summaries.length === 0) {
        replaceChildren(headline, "Your library is empty");
        replaceChildren(
          lead,
          "Create your first note type from the gallery, or bring one you already have:",
        );
      }
    },
    () => undefined,
  );
  return view;
}

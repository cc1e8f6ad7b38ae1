// First run and help: the "?" shortcut sheet, the first-visit tour, and the help links that the
// app mounts in the library.
import { h } from "../app/dom";
import "./help.css";
import { isTyping, openShortcutSheet } from "./shortcuts";
import { maybeStartTour } from "./tour";

export { helpPage, isHelpRoute } from "./page";
export { openShortcutSheet } from "./shortcuts";
export { startTour, tourWanted } from "./tour";
export { welcomeView } from "./welcome";

/** Install the "?" key and start the tour on a first visit; call once after the app exists. */
export function installFirstRun(): void {
  document.addEventListener("keydown", (event) => {
    if (event.key !== "?" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target) || document.querySelector("dialog[open]")) return;
    event.preventDefault();
    openShortcutSheet();
  });
  maybeStartTour();
}

/** The library footer's help links: the help page and the shortcut sheet. */
export function helpLinks(): HTMLElement {
  return h(
    "span",
    { class: "help-links" },
    h(
      "a",
      {
        href: "#/help",
        class: "button",
        testid: "help-link",
        title: "Template syntax, lint rules, shortcuts",
      },
      "Help",
    ),
    h(
      "button",
      {
        type: "button",
        testid: "shortcut-button",
        title: "Keyboard shortcuts (?)",
        "aria-label": "Keyboard shortcuts",
        onclick: () => openShortcutSheet(),
      },
      "?",
    ),
  );
}

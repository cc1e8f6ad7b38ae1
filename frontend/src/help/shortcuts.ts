// The keyboard shortcut sheet: one list of the designer's keys, shown by "?" or a button, and
// on the help page.
import { h } from "../app/dom";

interface Shortcut {
  keys: string[];
  what: string;
}

interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl";

/** Every shortcut, grouped as the screens are. */
export const SHORTCUTS: ShortcutGroup[] = [
  {
    title: "Anywhere",
    shortcuts: [
      { keys: ["?"], what: "Show this sheet (when not typing)" },
      { keys: ["Esc"], what: "Close a dialog or this sheet" },
    ],
  },
  {
    title: "Library",
    shortcuts: [
      { keys: ["Tab"], what: "Move between note types" },
      { keys: ["Enter"], what: "Open the focused note type" },
    ],
  },
  {
    title: "Template editors",
    shortcuts: [
      { keys: [MOD, "1"], what: "Front template" },
      { keys: [MOD, "2"], what: "Back template" },
      { keys: [MOD, "3"], what: "Styling (CSS)" },
      { keys: [MOD, "F"], what: "Find (and replace) in the editor" },
      { keys: [MOD, "G"], what: "Find next (Shift for previous)" },
      { keys: [MOD, "Z"], what: "Undo" },
      { keys: [MOD, "Y"], what: "Redo (also Shift+" + MOD + "+Z)" },
      { keys: ["Ctrl", "Space"], what: "Complete a field name or filter" },
      { keys: [MOD, "/"], what: "Comment or uncomment the line" },
      { keys: [MOD, "Shift", "M"], what: "Open the list of lint problems" },
      { keys: ["F8"], what: "Go to the next lint problem" },
      { keys: ["Tab"], what: "Indent (press Esc first to leave the editor with Tab)" },
    ],
  },
];

/** The shortcuts as definition lists, one per group. */
export function shortcutTable(): HTMLElement {
  return h(
    "div",
    { class: "shortcut-groups" },
    ...SHORTCUTS.map((group) =>
      h(
        "section",
        { class: "shortcut-group" },
        h("h3", {}, group.title),
        h(
          "dl",
          {},
          ...group.shortcuts.flatMap((shortcut) => [
            h(
              "dt",
              {},
              ...shortcut.keys.flatMap((key, index) => [
                index ? h("span", { class: "plus" }, "+") : null,
                h("kbd", {}, key),
              ]),
            ),
            h("dd", {}, shortcut.what),
          ]),
        ),
      ),
    ),
  );
}

let open: HTMLDialogElement | null = null;

/** Show the shortcut sheet (a modal dialog; Esc or Close closes it). */
export function openShortcutSheet(): void {
  if (open) return;
  const close = (): void => dialog.close();
  const dialog = h(
    "dialog",
    {
      class: "dialog shortcut-sheet",
      testid: "shortcut-sheet",
      "aria-labelledby": "shortcut-sheet-title",
    },
    h("h2", { id: "shortcut-sheet-title" }, "Keyboard shortcuts"),
    shortcutTable(),
    h(
      "div",
      { class: "dialog-buttons" },
      h("a", { href: "#/help", onclick: close }, "More help"),
      h(
        "button",
        { type: "button", class: "primary", testid: "shortcut-close", onclick: close },
        "Close",
      ),
    ),
  );
  dialog.addEventListener("close", () => {
    dialog.remove();
    open = null;
  });
  open = dialog;
  document.body.append(dialog);
  dialog.showModal();
}

/** Whether a key event happens while the user types (then "?" is just a character). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

// The starter gallery: a card per starter note type with a live thumbnail (the first sample's
// front, rendered by the server in a sandboxed frame), its description and a "Use this" button.
import { api, errorMessage } from "../api/client";
import type { NoteTypeDocument } from "../api/types";
import { h, replaceChildren } from "../app/dom";
import { createFromStarter, listStarters, type StarterDoc } from "./api";
import "./gallery.css";

export interface GalleryOptions {
  /** The name for the new note type; empty → the starter's own name. */
  name: () => string;
  /** Called with the new note type once it is created. */
  created: (doc: NoteTypeDocument) => void;
  /** Called with a message the user must see (the name is taken, the server is down…). */
  failed: (message: string) => void;
}

/** `base`, or `base 2`, `base 3`…: the first name not in `taken` (ignoring case: clearer lists). */
export function freeName(base: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((name) => name.toLowerCase()));
  let candidate = base;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${base} ${n}`;
  return candidate;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function thumbnail(starter: StarterDoc): HTMLElement {
  // No allow-same-origin and no scripts: the card page can neither run nor reach the app.
  // The card as Anki would show it next to this page: in night mode when the system is dark.
  const night = window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
  const frame = h("iframe", {
    class: "gallery-thumb",
    src: night ? `${starter.thumbnail_url}?night_mode=true` : starter.thumbnail_url,
    sandbox: "",
    loading: "lazy",
    tabindex: -1,
    "aria-hidden": "true",
    title: `Preview of ${starter.name}`,
  });
  return h("div", { class: "gallery-thumb-box" }, frame);
}

type Use = (starter: StarterDoc, button: HTMLButtonElement) => Promise<void>;

function item(starter: StarterDoc, use: Use): HTMLElement {
  const useButton = h(
    "button",
    {
      type: "button",
      class: "primary",
      testid: "gallery-use",
      "aria-label": `Use the ${starter.name} starter`,
    },
    "Use this",
  );
  useButton.addEventListener("click", () => void use(starter, useButton));
  const kind = starter.kind === "cloze" ? "Cloze" : "Standard";
  return h(
    "li",
    { class: "gallery-item", testid: "gallery-item", "data-starter-id": starter.id },
    thumbnail(starter),
    h(
      "div",
      { class: "gallery-text" },
      h("h3", {}, starter.name),
      h("p", { class: "gallery-description" }, starter.description),
      h(
        "p",
        { class: "muted gallery-meta", title: `Fields: ${starter.field_names.join(", ")}` },
        `${kind} · ${plural(starter.field_names.length, "field")} · ${starter.card_type_names.join(", ")}`,
      ),
    ),
    useButton,
  );
}

/** The gallery (`data-testid="gallery"`); it loads the starters itself. */
export function createGallery(options: GalleryOptions): HTMLElement {
  const list = h("ul", { class: "gallery-list", "aria-label": "Starter note types" });
  const element = h(
    "section",
    { class: "gallery", testid: "gallery", "aria-label": "Starter gallery" },
    h("h3", { class: "gallery-title" }, "Or start from the gallery"),
    list,
  );
  replaceChildren(list, h("li", { class: "muted" }, "Loading the gallery…"));
  const use = async (starter: StarterDoc, button: HTMLButtonElement): Promise<void> => {
    button.disabled = true;
    try {
      // A name typed by the user is kept as it is (the server says if it is taken); without
      // one, the starter's own name with a number if the library already has it.
      const typed = options.name().trim();
      const name =
        typed ||
        freeName(
          starter.name,
          (await api.list()).map((s) => s.name),
        );
      options.created(await createFromStarter(starter.id, name));
    } catch (error) {
      options.failed(errorMessage(error));
    } finally {
      button.disabled = false;
    }
  };
  listStarters().then(
    (starters) => replaceChildren(list, ...starters.map((starter) => item(starter, use))),
    (error: unknown) =>
      replaceChildren(
        list,
        h(
          "li",
          { class: "error", role: "alert" },
          `The gallery could not load: ${errorMessage(error)}`,
        ),
      ),
  );
  return element;
}

// The library (left column): every note type in the workspace, searchable; create, import.
// The list is virtual (virtualList.ts): a workspace of thousands of note types scrolls as one
// of ten, and a search keystroke filters and repaints once per frame.
import { api, errorMessage } from "../api/client";
import type { Kind, SummaryDoc } from "../api/types";
import { createGallery } from "../gallery/gallery";
import { helpLinks } from "../help";
import { importFromAnki } from "./ankiDialogs";
import { toast } from "./dialogs";
import { button, h } from "./dom";
import { perFrame } from "./frame";
import { VirtualList } from "./virtualList";

export interface LibraryHooks {
  open: (id: string) => void;
}

/** What a search looks through: name, kind, fields and card types, lower case. */
function haystackOf(summary: SummaryDoc): string {
  return [summary.name, summary.kind, ...summary.field_names, ...summary.card_type_names]
    .join(" ")
    .toLowerCase();
}

/** The words of a search, lower case. */
function wordsOf(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/** True when `summary` matches every word of `query` (name, kind, fields, card types). */
export function matches(summary: SummaryDoc, query: string): boolean {
  const haystack = haystackOf(summary);
  return wordsOf(query).every((word) => haystack.includes(word));
}

/** Row height of a library entry (two lines); app.css gives .library-item the same. */
const ROW_HEIGHT = 46;
/**
 * Up to this many entries the list is rendered whole: cheap at this size, and the browser's
 * find-in-page (and a test looking an entry up by its text) sees every one.
 */
const RENDER_ALL_UP_TO = 200;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export class Library {
  readonly element: HTMLElement;
  private readonly list: VirtualList<SummaryDoc>;
  private readonly search: HTMLInputElement;
  private summaries: SummaryDoc[] = [];
  /** haystackOf(summaries[i]), computed once per load rather than per keystroke and row. */
  private haystacks: string[] = [];
  private active: string | null = null;
  private generation = 0;

  constructor(private readonly hooks: LibraryHooks) {
    this.search = h("input", {
      type: "search",
      testid: "library-search",
      placeholder: "Search note types",
      "aria-label": "Search note types",
    });
    // A burst of keystrokes filters once per frame.
    this.search.addEventListener("input", perFrame(() => this.render()));
    this.list = new VirtualList<SummaryDoc>({
      label: "Note types",
      testid: "library-list",
      className: "library-list",
      rowHeight: ROW_HEIGHT,
      renderAllUpTo: RENDER_ALL_UP_TO,
      renderRow: (summary) => this.row(summary),
      activate: (summary) => this.hooks.open(summary.id),
    });
    const file = h("input", {
      type: "file",
      testid: "import-file",
      accept: ".apkg,.colpkg,.json,.zip",
      multiple: true,
      class: "visually-hidden",
      id: "import-file",
    });
    file.addEventListener("change", () => {
      const files = [...(file.files ?? [])];
      file.value = "";
      void this.importFiles(files);
    });
    const anki = button(
      "From Anki…",
      "Import from a running Anki (AnkiConnect)",
      "import-anki",
      () => void importFromAnki(() => void this.refresh()),
    );
    this.element = h(
      "aside",
      { testid: "library", class: "library", "aria-label": "Library" },
      h(
        "header",
        { class: "library-head" },
        h("h1", {}, "Note types"),
        button("+ New", "Create a note type", "new-notetype", () => this.createDialog(), {
          class: "primary",
        }),
      ),
      this.search,
      this.list.element,
      h(
        "footer",
        { class: "library-foot" },
        h(
          "label",
          {
            for: "import-file",
            class: "button",
            title: ".apkg, .colpkg, CrowdAnki .json or a zipped folder",
          },
          "Import file…",
        ),
        file,
        anki,
        helpLinks(),
      ),
    );
  }

  /** Reload the list from the server. */
  async refresh(): Promise<void> {
    // Only the latest request may paint: an older answer could still list a deleted note type.
    const mine = ++this.generation;
    try {
      const summaries = await api.list();
      if (mine !== this.generation) return;
      this.load(summaries);
    } catch (error) {
      if (mine !== this.generation) return;
      this.list.showMessage(errorMessage(error), "error");
    }
  }

  /** Show `summaries` (what refresh() fetched; the list benchmark passes its own). */
  load(summaries: SummaryDoc[]): void {
    this.summaries = summaries;
    this.haystacks = summaries.map(haystackOf);
    this.render();
  }

  /** Highlight the open note type. */
  setActive(id: string | null): void {
    if (id === this.active) return;
    this.active = id;
    this.list.setSelected(this.list.data.findIndex((s) => s.id === id));
    this.list.refresh();
  }

  private row(summary: SummaryDoc): HTMLElement {
    const on = summary.id === this.active;
    const kind = summary.kind === "cloze" ? "Cloze" : "Standard";
    return h(
      "li",
      {
        testid: "library-item",
        class: on ? "library-item active" : "library-item",
        "data-notetype-id": summary.id,
        "aria-current": on ? "page" : "false",
      },
      h("span", { class: "library-name" }, summary.name),
      h(
        "span",
        { class: "muted" },
        `${kind} · ${plural(summary.field_names.length, "field")} · ${plural(summary.card_type_names.length, "card")}`,
      ),
    );
  }

  private render(): void {
    const words = wordsOf(this.search.value);
    const shown = words.length
      ? this.summaries.filter((_, i) => words.every((w) => this.haystacks[i]?.includes(w)))
      : this.summaries;
    this.list.setItems(shown);
    this.list.setSelected(shown.findIndex((s) => s.id === this.active));
    if (shown.length === 0) {
      const none = "No note types yet — create or import one.";
      this.list.showMessage(this.summaries.length ? "No note type matches." : none);
    }
  }

  private async importFiles(files: File[]): Promise<void> {
    for (const file of files) {
      try {
        const result = await api.importFile(file);
        const names = result.imported.map((s) => s.name).join(", ");
        toast(
          `Imported ${plural(result.imported.length, "note type")} from ${file.name}: ${names}`,
        );
      } catch (error) {
        toast(`Import of ${file.name} failed: ${errorMessage(error)}`, "error");
      }
    }
    await this.refresh();
  }

  private createDialog(): void {
    const name = h("input", {
      type: "text",
      id: "new-notetype-name",
      testid: "new-notetype-name",
      required: true,
      autocomplete: "off",
    });
    const kind = h(
      "select",
      { id: "new-notetype-kind", testid: "new-notetype-kind" },
      h("option", { value: "standard" }, "Standard (front and back)"),
      h("option", { value: "cloze" }, "Cloze"),
    );
    const close = (): void => {
      dialog.close();
      dialog.remove();
    };
    const form = h(
      "form",
      { method: "dialog", class: "form" },
      h("h2", {}, "New note type"),
      h("label", { for: "new-notetype-name" }, "Name"),
      name,
      h("label", { for: "new-notetype-kind" }, "Kind"),
      kind,
      h(
        "div",
        { class: "dialog-buttons" },
        h("button", { type: "button", onclick: close }, "Cancel"),
        h("button", { type: "submit", testid: "new-notetype-create", class: "primary" }, "Create"),
      ),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.create(name.value.trim(), kind.value as Kind, close);
    });
    const gallery = createGallery({
      name: () => name.value,
      created: (doc) => {
        close();
        void this.refresh();
        this.hooks.open(doc.id);
      },
      failed: (message) => toast(message, "error"),
    });
    const dialog = h(
      "dialog",
      {
        class: "dialog with-gallery",
        testid: "new-notetype-dialog",
        "aria-label": "New note type",
      },
      form,
      gallery,
    );
    dialog.addEventListener("close", () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    name.focus();
  }

  private async create(name: string, kind: Kind, close: () => void): Promise<void> {
    if (!name) {
      toast("Give the note type a name.", "error");
      return;
    }
    try {
      const doc = await api.create(name, kind);
      close();
      await this.refresh();
      this.hooks.open(doc.id);
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }
}

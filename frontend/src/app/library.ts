// The library (left column): every note type in the workspace, searchable; create, import.
import { api, errorMessage } from "../api/client";
import type { Kind, SummaryDoc } from "../api/types";
import { createGallery } from "../gallery/gallery";
import { helpLinks } from "../help";
import { importFromAnki } from "./ankiDialogs";
import { toast } from "./dialogs";
import { button, h, replaceChildren } from "./dom";

export interface LibraryHooks {
  open: (id: string) => void;
}

/** True when `summary` matches every word of `query` (name, kind, fields, card types). */
export function matches(summary: SummaryDoc, query: string): boolean {
  const haystack = [summary.name, summary.kind, ...summary.field_names, ...summary.card_type_names]
    .join(" ")
    .toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export class Library {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly search: HTMLInputElement;
  private summaries: SummaryDoc[] = [];
  private active: string | null = null;
  private generation = 0;

  constructor(private readonly hooks: LibraryHooks) {
    this.search = h("input", {
      type: "search",
      testid: "library-search",
      placeholder: "Search note types",
      "aria-label": "Search note types",
    });
    this.search.addEventListener("input", () => this.render());
    this.list = h("ul", { class: "library-list", "aria-label": "Note types" });
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
      this.list,
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
      this.summaries = summaries;
      this.render();
    } catch (error) {
      if (mine !== this.generation) return;
      replaceChildren(this.list, h("li", { class: "error" }, errorMessage(error)));
    }
  }

  /** Highlight the open note type. */
  setActive(id: string | null): void {
    this.active = id;
    for (const item of this.list.querySelectorAll<HTMLElement>("[data-notetype-id]")) {
      const on = item.dataset.notetypeId === id;
      item.classList.toggle("active", on);
      item.setAttribute("aria-current", on ? "page" : "false");
    }
  }

  private render(): void {
    const query = this.search.value;
    const shown = this.summaries.filter((s) => matches(s, query));
    replaceChildren(
      this.list,
      ...shown.map((summary) =>
        h(
          "li",
          {
            testid: "library-item",
            class: "library-item",
            "data-notetype-id": summary.id,
            tabindex: 0,
            role: "link",
            onclick: () => this.hooks.open(summary.id),
            onkeydown: (event: Event) => {
              if ((event as KeyboardEvent).key === "Enter") this.hooks.open(summary.id);
            },
          },
          h("span", { class: "library-name" }, summary.name),
          h(
            "span",
            { class: "muted" },
            `${summary.kind === "cloze" ? "Cloze" : "Standard"} · ${plural(summary.field_names.length, "field")} · ${plural(summary.card_type_names.length, "card")}`,
          ),
        ),
      ),
      shown.length === 0
        ? h(
            "li",
            { class: "muted empty" },
            this.summaries.length
              ? "No note type matches."
              : "No note types yet — create or import one.",
          )
        : null,
    );
    this.setActive(this.active);
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

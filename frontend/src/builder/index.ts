// Entry of the visual block builder: the "Visual" toggle next to the code editors. GrapesJS
// and the rest of the builder load on the first click (they are large), then take over.
import type { NoteTypeDoc } from "../api/types";

/** What the builder needs of the designer's draft store. */
export interface BuilderStore {
  /** The note type's id: the canvas loads template media from its media route. */
  readonly id: string;
  notetype: NoteTypeDoc;
  fieldNames(): string[];
  edit(kind: "text", mutate: (notetype: NoteTypeDoc) => void): void;
  subscribe(listener: (kind: string) => void): () => void;
}

export interface BuilderHandle {
  destroy(): void;
}

/**
 * Put the Visual toggle into the editors section (`.editor-bar`); the builder then follows
 * the editors' card select and `data-side`, and writes through `store` like the code editor.
 */
export function mountBuilder(store: BuilderStore, editors: HTMLElement): BuilderHandle {
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "builder-toggle";
  toggle.dataset.testid = "builder-toggle";
  toggle.textContent = "Visual";
  toggle.title = "Switch between the code editor and the visual block builder";
  toggle.setAttribute("aria-pressed", "false");
  editors.querySelector(".editor-bar")?.append(toggle);
  let builder: { setActive(on: boolean): void; isActive: boolean; destroy(): void } | null = null;
  let destroyed = false;
  let loading = false;
  toggle.addEventListener("click", () => {
    if (builder) {
      builder.setActive(!builder.isActive);
      return;
    }
    if (loading) return;
    loading = true;
    toggle.disabled = true;
    void import("./session")
      .then(({ Builder }) => {
        if (destroyed) return;
        builder = new Builder(store, editors, toggle);
        builder.setActive(true);
      })
      .catch((error: unknown) => {
        toggle.title = `The visual builder failed to load: ${String(error)}`;
        console.warn(toggle.title);
      })
      .finally(() => {
        loading = false;
        toggle.disabled = false;
      });
  });
  return {
    destroy(): void {
      destroyed = true;
      builder?.destroy();
      toggle.remove();
    },
  };
}

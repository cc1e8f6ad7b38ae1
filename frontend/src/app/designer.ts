// The designer page for one note type: header (name, save status, export, delete), conflict
// banner, editors, panels, and the preview in the right column.
import { api, errorMessage } from "../api/client";
import type { ExportFormat, NoteTypeDocument } from "../api/types";
import { mountBuilder } from "../builder";
import { createPreview, type PreviewHandle } from "../preview";
import { pushToAnki } from "./ankiDialogs";
import { Autosave, type SaveState } from "./autosave";
import { cardTypesPanel } from "./cardTypesPanel";
import type { DesignerContext } from "./context";
import { confirmDialog, promptDialog, toast } from "./dialogs";
import { button, h } from "./dom";
import { EditorPane } from "./editors";
import { perFrame } from "./frame";
import { fieldsPanel } from "./fieldsPanel";
import { historyPanel } from "./historyPanel";
import { LintController } from "./lintState";
import { lintPanel } from "./lintPanel";
import { clearLocalDraft, loadLocalDraft } from "./localDraft";
import { samplesPanel } from "./samplesPanel";
import { DraftStore } from "./store";

export interface DesignerHooks {
  /** The note type's name or existence changed: the library should reload. */
  libraryChanged: () => void;
  /** The note type was deleted: leave the page. */
  closed: () => void;
}

/** Offer a Blob as a download named `name`. */
function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export class Designer {
  readonly element: HTMLElement;
  private readonly store: DraftStore;
  private readonly autosave: Autosave;
  private readonly editors: EditorPane;
  private readonly preview: PreviewHandle | null;
  private readonly destroyers: Array<() => void> = [];
  private readonly status: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly nameLabel: HTMLElement;
  /** What the library shows of this note type, as last saved: reload the list when it changes. */
  private listed: string;

  constructor(
    doc: NoteTypeDocument,
    previewHost: HTMLElement,
    private readonly hooks: DesignerHooks,
  ) {
    this.store = new DraftStore(doc);
    this.listed = this.listing();
    this.status = h(
      "span",
      { testid: "save-status", class: "save-status", "data-state": "saved", role: "status" },
      "All changes saved",
    );
    this.autosave = new Autosave(this.store, (state, text) => this.showState(state, text));
    this.banner = this.conflictBanner();
    this.nameLabel = h(
      "h2",
      { testid: "notetype-name", class: "notetype-name" },
      doc.notetype.name,
    );
    const context = this.context(() => this.historyRefresh());
    const history = historyPanel(context);
    // One lint state for the panel and the editors' markers: one request per draft version.
    const lint = new LintController(this.store);
    this.editors = new EditorPane(this.store, lint, (diagnostic) => void lint.fix(diagnostic));
    const problems = lintPanel(lint, (card, side, from, to) =>
      this.editors.reveal(card, side, from, to),
    );
    const panels = [
      problems,
      fieldsPanel(context),
      cardTypesPanel(context),
      samplesPanel(context),
      history,
    ];
    for (const p of panels) this.destroyers.push(p.destroy);
    this.destroyers.push(
      () => this.editors.destroy(),
      () => lint.destroy(),
      () => this.autosave.destroy(),
    );
    this.destroyers.push(
      this.store.subscribe((kind) => {
        if (kind === "structure" || kind === "reset")
          this.nameLabel.textContent = this.store.notetype.name;
      }),
    );
    this.historyRefresh = () => history.refresh();
    this.element = h(
      "div",
      { testid: "designer", class: "designer" },
      this.header(),
      this.banner,
      this.editors.element,
      h("div", { class: "panels" }, ...panels.map((p) => p.element)),
    );
    // The Visual toggle: the block builder edits the same draft as the code editor.
    const builder = mountBuilder(this.store, this.editors.element);
    this.destroyers.push(() => builder.destroy());
    this.preview = this.mountPreview(previewHost);
    this.restoreLocalDraft(doc);
  }

  private historyRefresh: () => void = () => undefined;

  private context(onServerChange: () => void): DesignerContext {
    return { store: this.store, autosave: this.autosave, onServerChange };
  }

  private mountPreview(host: HTMLElement): PreviewHandle | null {
    try {
      return createPreview(host, this.store.previewSource());
    } catch (error) {
      // The designer stays usable without a preview; say what went wrong.
      host.append(
        h(
          "p",
          { testid: "preview-error", class: "error" },
          `Preview failed: ${errorMessage(error)}`,
        ),
      );
      return null;
    }
  }

  /** An edit kept in this browser (server was down, tab closed) is put back and saved. */
  private restoreLocalDraft(doc: NoteTypeDocument): void {
    const local = loadLocalDraft(doc.id);
    if (!local) return;
    const same =
      JSON.stringify(local.notetype) === JSON.stringify(doc.notetype) &&
      JSON.stringify(local.samples) === JSON.stringify(doc.samples);
    if (same) {
      clearLocalDraft(doc.id, true);
      return;
    }
    this.store.restoreLocal(local.notetype, local.samples, local.baseRevision);
    toast("Restored unsaved changes kept in this browser; saving them now.");
  }

  private header(): HTMLElement {
    const format = h(
      "select",
      { testid: "export-format", "aria-label": "Export format" },
      h("option", { value: "apkg" }, ".apkg"),
      h("option", { value: "crowdanki" }, "CrowdAnki"),
      h("option", { value: "folder" }, "Folder"),
    );
    return h(
      "header",
      { class: "designer-header" },
      this.nameLabel,
      button("✎", "Rename note type", "rename-notetype", () => void this.rename(), {
        class: "icon",
      }),
      this.status,
      h("span", { class: "spacer" }),
      format,
      button(
        "Export",
        "Download the note type in the chosen format",
        "export-button",
        () => void this.export(format.value as ExportFormat),
      ),
      button(
        "Send to Anki",
        "Update this note type in the running Anki (AnkiConnect)",
        "push-anki",
        () => void this.push(),
      ),
      button("Delete", "Delete this note type", "delete-notetype", () => void this.remove(), {
        class: "danger-text",
      }),
    );
  }

  private conflictBanner(): HTMLElement {
    return h(
      "div",
      { testid: "conflict-banner", class: "banner", role: "alert", hidden: true },
      h(
        "span",
        {},
        "This note type was saved elsewhere (another tab or window) since you opened it. ",
      ),
      button(
        "Load theirs",
        "Discard my changes and load the saved version",
        "conflict-load-theirs",
        () => void this.resolve(false),
      ),
      button(
        "Keep mine",
        "Save my version over theirs",
        "conflict-keep-mine",
        () => void this.resolve(true),
        {
          class: "primary",
        },
      ),
    );
  }

  private async resolve(keepMine: boolean): Promise<void> {
    try {
      if (keepMine) await this.autosave.keepMine();
      else await this.autosave.loadTheirs();
      this.historyRefresh();
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  /** The save state on screen; every keystroke reports "dirty", it is painted once per frame. */
  private shownState: { state: SaveState; text: string } = {
    state: "saved",
    text: "All changes saved",
  };
  private readonly paintState = perFrame(() => {
    const { state, text } = this.shownState;
    if (this.status.dataset.state !== state) this.status.dataset.state = state;
    if (this.status.textContent !== text) this.status.textContent = text;
    this.banner.hidden = state !== "conflict";
  });

  private showState(state: SaveState, text: string): void {
    this.shownState = { state, text };
    this.paintState();
    if (state === "saved") {
      this.historyRefresh();
      const listed = this.listing();
      if (listed !== this.listed) {
        this.listed = listed;
        this.hooks.libraryChanged();
      }
    }
  }

  private listing(): string {
    const { notetype } = this.store;
    return JSON.stringify([notetype.name, notetype.fields.length, notetype.card_types.length]);
  }

  private async rename(): Promise<void> {
    const name = await promptDialog("Rename note type to", this.store.notetype.name, "Rename");
    if (!name || name === this.store.notetype.name) return;
    this.store.edit("structure", (notetype) => {
      notetype.name = name;
    });
  }

  private async export(format: ExportFormat): Promise<void> {
    if (!(await this.autosave.flush())) {
      toast("Exporting the last saved version; your latest edits are not saved yet.", "error");
    }
    try {
      const { blob, name } = await api.exportFile(this.store.id, format);
      download(blob, name);
      toast(`Exported ${name}.`);
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  private async push(): Promise<void> {
    if (!(await this.autosave.flush())) {
      toast("Save your edits first (see the status next to the name).", "error");
      return;
    }
    await pushToAnki(this.store.id);
  }

  private async remove(): Promise<void> {
    const name = this.store.notetype.name;
    const ok = await confirmDialog(
      `Delete note type “${name}” and its whole history? This cannot be undone.`,
      "Delete",
      true,
    );
    if (!ok) return;
    try {
      await api.remove(this.store.id);
      clearLocalDraft(this.store.id, true);
      this.autosave.destroy();
      toast(`Deleted “${name}”.`);
      this.hooks.libraryChanged();
      this.hooks.closed();
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  /** Leave the page: save what is pending (kept locally meanwhile), tear everything down. */
  async close(): Promise<void> {
    this.element.remove();
    this.preview?.destroy();
    try {
      await this.autosave.flush();
    } finally {
      for (const destroy of this.destroyers) destroy();
    }
  }
}

// The visual block builder: a "Visual" toggle next to the code editors that swaps the code
// editor for a GrapesJS canvas on the same template. Edits go through the same draft store as
// typing in code view (so autosave and preview follow). A template the builder cannot show
// byte for byte opens read-only instead of being rewritten.
import grapesjs, { type Component, type Editor } from "grapesjs";
import "grapesjs/dist/css/grapes.min.css";
import type { BuilderHandle, BuilderStore } from "./index";
import { fromComponents, snapshot, toDefinitions } from "./adapter";
import { registerBlocks } from "./blocks";
import { CANVAS_CSS, showNotetypeCss } from "./canvas";
import { registerComponents } from "./components";
import { setManagedRule } from "./css";
import { parseTemplate } from "./parse";
import { StylePanel } from "./stylePanel";
import "./builder.css";

/** Displayed text of HTML text (entities decoded), as the canvas shows it. */
function decodeHtml(text: string): string {
  if (!text.includes("&")) return text;
  const area = document.createElement("textarea");
  area.innerHTML = text;
  return area.value;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls: string,
  testid?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = cls;
  if (testid) node.dataset.testid = testid;
  return node;
}

/** The builder with its GrapesJS editor (loaded on first use: GrapesJS is large). */
export class Builder implements BuilderHandle {
  private readonly host: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly notice: HTMLElement;
  private readonly canvasEl: HTMLElement;
  private readonly blocksEl: HTMLElement;
  private readonly traitsEl: HTMLElement;
  private readonly layersEl: HTMLElement;
  private readonly style: StylePanel;
  private editor: Editor | null = null;
  private active = false;
  private card = 0;
  private side = "front";
  /** The template text as the builder last read or wrote it. */
  private lastText: string | null = null;
  private writing = false;
  private loading = false;
  private scheduled = false;
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly store: BuilderStore,
    private readonly editors: HTMLElement,
    toggle: HTMLButtonElement,
  ) {
    this.toggle = toggle;

    this.host = el("section", "builder", "builder");
    this.host.hidden = true;
    this.host.setAttribute("aria-label", "Visual block builder");
    this.notice = el("p", "builder-notice", "builder-notice");
    this.notice.setAttribute("role", "status");
    this.blocksEl = el("div", "builder-blocks", "builder-blocks");
    this.canvasEl = el("div", "builder-canvas", "builder-canvas");
    this.traitsEl = el("div", "builder-traits", "builder-traits");
    this.layersEl = el("div", "builder-layers", "builder-layers");
    this.style = new StylePanel({
      css: () => this.store.notetype.css,
      writeRule: (cls, body) => this.writeCss(cls, body),
      usedClasses: () => this.usedClasses(),
    });
    const side = el("div", "builder-side");
    side.append(
      this.heading("Block settings"),
      this.traitsEl,
      this.heading("Style"),
      this.style.element,
    );
    const left = el("div", "builder-left");
    left.append(this.heading("Blocks"), this.blocksEl, this.heading("Layers"), this.layersEl);
    const grid = el("div", "builder-grid");
    grid.append(left, this.canvasEl, side);
    this.host.append(this.notice, grid);
    const codeHost = editors.querySelector<HTMLElement>('[data-testid="editor"]');
    if (codeHost) {
      codeHost.after(this.host);
      // The code editor's side (data-side) and card select say which template to show.
      const observer = new MutationObserver(() => this.followEditor());
      observer.observe(codeHost, { attributes: true, attributeFilter: ["data-side"] });
      this.stops.push(() => observer.disconnect());
    }
    this.stops.push(store.subscribe((kind) => this.storeChanged(kind)));
  }

  private heading(text: string): HTMLElement {
    const h = el("h3", "builder-heading");
    h.textContent = text;
    return h;
  }

  destroy(): void {
    for (const stop of this.stops) stop();
    this.editor?.destroy();
    this.editor = null;
    this.host.remove();
  }

  get isActive(): boolean {
    return this.active;
  }

  private codeHost(): HTMLElement | null {
    return this.editors.querySelector<HTMLElement>('[data-testid="editor"]');
  }

  setActive(active: boolean): void {
    this.active = active;
    this.toggle.setAttribute("aria-pressed", String(active));
    this.toggle.classList.toggle("active", active);
    this.followEditor();
  }

  /** Show the builder or the code editor for the editor's current card and side. */
  private followEditor(): void {
    const codeHost = this.codeHost();
    const select = this.editors.querySelector<HTMLSelectElement>(
      '[data-testid="card-type-select"]',
    );
    const side = codeHost?.dataset.side ?? "front";
    const card = Number(select?.value ?? 0);
    const visual = this.active && side !== "css";
    this.host.hidden = !visual;
    if (codeHost) codeHost.hidden = visual;
    if (!visual) {
      this.lastText = null;
      // GrapesJS's shortcuts (Delete, Ctrl+Z) listen on the page: nothing selected while hidden.
      this.editor?.select([]);
      return;
    }
    if (!this.editor) this.editor = this.createEditor();
    if (card !== this.card || side !== this.side || this.lastText === null) {
      this.card = card;
      this.side = side;
      this.load();
    }
  }

  private mediaBase(): string {
    return `/api/notetypes/${encodeURIComponent(this.store.id)}/media/`;
  }

  private template(): string {
    const cardType = this.store.notetype.card_types[this.card];
    if (!cardType) return "";
    return this.side === "back" ? cardType.back : cardType.front;
  }

  private createEditor(): Editor {
    const editor = grapesjs.init({
      container: this.canvasEl,
      height: "100%",
      width: "auto",
      storageManager: false,
      // Never phone home (GrapesJS sends usage data to app.grapesjs.com by default); the
      // designer works offline.
      telemetry: false,
      noticeOnUnload: false,
      cssIcons: "",
      protectedCss: "",
      canvasCss: CANVAS_CSS,
      panels: { defaults: [] },
      showDevices: false,
      blockManager: {
        appendTo: this.blocksEl,
        appendOnClick: (block, ed) => this.append(block.get("content"), ed),
      },
      layerManager: { appendTo: this.layersEl },
      traitManager: { appendTo: this.traitsEl },
      selectorManager: { componentFirst: false },
      undoManager: { trackSelection: false },
      richTextEditor: { actions: ["bold", "italic", "underline", "strikethrough"] },
      log: ["error"],
    });
    registerComponents(editor, {
      fields: () => this.store.fieldNames(),
      isCloze: () => this.store.notetype.kind === "cloze",
    });
    registerBlocks(editor, this.store.fieldNames());
    const changed = (): void => this.schedule();
    for (const event of [
      "update",
      "component:update",
      "component:add",
      "component:remove",
      "rte:disable",
    ]) {
      editor.on(event, changed);
    }
    editor.on("component:toggled", () => this.style.show(editor.getSelected() ?? null));
    // As soon as the frame exists (before components render, so media resolve right away),
    // and again once its body is drawn.
    const frameReady = ({ window }: { window: Window }): void =>
      showNotetypeCss(editor, this.store.notetype.css, this.mediaBase(), window.document);
    editor.on("canvas:frame:load", frameReady);
    editor.on("canvas:frame:load:body", frameReady);
    return editor;
  }

  /** Click on a block: add it inside the selected container, else at the end of the card. */
  private append(content: unknown, editor: Editor): void {
    const selected = editor.getSelected();
    const target =
      selected && selected.get("droppable") && selected.get("type") !== "atd-tag"
        ? selected
        : editor.getWrapper();
    const added = target?.append(content as Record<string, unknown>);
    if (added?.[0]) editor.select(added[0]);
  }

  /** Read the current template into the canvas; refuse (read-only) if it would not round-trip. */
  private load(): void {
    const editor = this.editor;
    if (!editor) return;
    const text = this.template();
    this.loading = true;
    try {
      registerBlocks(editor, this.store.fieldNames());
      showNotetypeCss(editor, this.store.notetype.css, this.mediaBase());
      editor.setComponents(toDefinitions(parseTemplate(text), decodeHtml) as never);
      const wrapper = editor.getWrapper();
      const components = wrapper ? wrapper.components().models : [];
      snapshot(components);
      wrapper?.addClass("card");
      const written = fromComponents(components, decodeHtml);
      this.lastText = text;
      this.setReadOnly(written !== text);
      editor.UndoManager.clear();
      this.style.show(null);
    } finally {
      this.loading = false;
    }
  }

  private readOnly = false;

  /** Read-only when the canvas could not give back the template byte for byte. */
  private setReadOnly(readOnly: boolean): void {
    this.readOnly = readOnly;
    this.host.dataset.readonly = String(readOnly);
    const raw = this.countRaw();
    const parts = raw === 1 ? "1 part of this template is" : `${raw} parts of this template are`;
    this.notice.textContent = readOnly
      ? "This template cannot be shown visually without changing it, so it is read-only " +
        "here: edit it in code view."
      : raw > 0
        ? `${parts} shown read-only (scripts, comments, markup the builder does not edit): ` +
          "edited in code view."
        : "";
  }

  private countRaw(): number {
    let count = 0;
    const walk = (list: readonly Component[]): void => {
      for (const c of list) {
        if (c.get("type") === "atd-raw") count++;
        walk(c.components().models);
      }
    };
    walk(this.editor?.getWrapper()?.components().models ?? []);
    return count;
  }

  private schedule(): void {
    if (this.loading || this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.writeBack();
    });
  }

  /** Serialise the canvas and, when the text changed, put it into the draft. */
  private writeBack(): void {
    const editor = this.editor;
    if (!editor || this.loading || this.lastText === null || this.readOnly) return;
    const wrapper = editor.getWrapper();
    if (!wrapper) return;
    const text = fromComponents(wrapper.components().models, decodeHtml);
    if (text === this.lastText) return;
    this.lastText = text;
    const { card, side } = this;
    this.writing = true;
    try {
      this.store.edit("text", (notetype) => {
        const cardType = notetype.card_types[card];
        if (!cardType) return;
        if (side === "back") cardType.back = text;
        else cardType.front = text;
      });
    } finally {
      this.writing = false;
    }
  }

  private writeCss(cls: string, body: string): void {
    this.writing = true;
    try {
      this.store.edit("text", (notetype) => {
        notetype.css = setManagedRule(notetype.css, cls, body);
      });
    } finally {
      this.writing = false;
    }
    if (this.editor) showNotetypeCss(this.editor, this.store.notetype.css, this.mediaBase());
    this.schedule();
  }

  private usedClasses(): Set<string> {
    const used = new Set<string>();
    const walk = (list: readonly Component[]): void => {
      for (const c of list) {
        for (const name of c.getClasses() as string[]) used.add(name);
        walk(c.components().models);
      }
    };
    walk(this.editor?.getWrapper()?.components().models ?? []);
    return used;
  }

  /** An edit from elsewhere (code view, a restore, another tab): show it. */
  private storeChanged(kind: string): void {
    if (this.writing || !this.active || this.host.hidden || !this.editor) return;
    if (kind === "structure" || kind === "reset") {
      this.followEditor();
      this.load();
      return;
    }
    showNotetypeCss(this.editor, this.store.notetype.css, this.mediaBase());
    if (this.template() !== this.lastText) this.load();
  }
}

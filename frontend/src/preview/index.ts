// The live preview: the draft's card on each chosen platform, question and answer, light or
// night, in sandboxed frames. The server builds every page (platform shells, night mode,
// reviewer transforms); this module only asks for them, shows them and measures how long a
// keystroke takes to reach the screen (data-last-update-ms on the host element). With "All
// cards" on, one request (POST /api/preview/grid) brings every card the sample generates (the
// first 24), and the grid shows each of them on each platform.
import {
  fetchComparison,
  fetchGrid,
  fetchPages,
  isSuperseded,
  newStream,
  staleNotice,
  type AvTagDoc,
  type GridRequest,
  type GridResponse,
  type PagesRequest,
  type PagesResponse,
} from "../api/preview";
import { errorMessage } from "../api/client";
import type { NoteTypeDoc, SampleDoc } from "../api/types";
import { Controls, type PreviewOptions } from "./controls";
import { FrameGrid, type Side } from "./frames";
import { describeError, gridNotice, gridProblems } from "./grid";
import { RenderLoop, type RenderJob } from "./loop";
import { AvPlayer } from "./player";
import { viewportNamed } from "./viewports";
import "./preview.css";

export interface PreviewDraft {
  notetypeId: string | null; // for media URLs (/api/notetypes/{id}/media/{name})
  notetype: NoteTypeDoc; // the editor's current (possibly unsaved) note type
  sample: SampleDoc; // the selected sample note
}
export interface PreviewSource {
  current(): PreviewDraft;
  subscribe(listener: () => void): () => void; // called on every edit (keystroke)
}
export interface PreviewHandle {
  refresh(): void;
  destroy(): void;
}

const DEFAULT_OPTIONS: PreviewOptions = {
  cardOrd: 0,
  allCards: false,
  platforms: ["desktop-linux"],
  night: false,
  viewport: "desktop",
};

export function createPreview(host: HTMLElement, source: PreviewSource): PreviewHandle {
  return new Preview(host, source);
}

class Preview implements PreviewHandle {
  private readonly root: HTMLElement;
  private readonly errorBox: HTMLElement;
  private readonly staleBox: HTMLElement;
  private readonly gridNoticeBox: HTMLElement;
  private readonly controls: Controls;
  private readonly grid: FrameGrid;
  private readonly loop: RenderLoop;
  private readonly player: AvPlayer;
  private readonly unsubscribe: () => void;
  private options: PreviewOptions = { ...DEFAULT_OPTIONS };
  private typed = "";
  private last: PagesResponse | null = null;
  private lastGrid: GridResponse | null = null;
  private lastNotetypeId: string | null = null;
  private problems: string[] = [];
  private notice = "";
  // This preview's requests: a newer one makes the server drop (or stop) an older one.
  private readonly stream = newStream();

  constructor(
    private readonly host: HTMLElement,
    private readonly source: PreviewSource,
  ) {
    this.root = document.createElement("section");
    this.root.dataset.testid = "preview";
    this.root.className = "preview";
    this.errorBox = document.createElement("div");
    this.errorBox.dataset.testid = "preview-error";
    this.errorBox.className = "preview-error";
    this.errorBox.setAttribute("role", "status");
    this.errorBox.hidden = true;
    this.staleBox = document.createElement("div");
    this.staleBox.dataset.testid = "preview-stale";
    this.staleBox.className = "preview-stale";
    this.staleBox.setAttribute("role", "status");
    this.staleBox.hidden = true;
    this.gridNoticeBox = document.createElement("div");
    this.gridNoticeBox.dataset.testid = "preview-grid-notice";
    this.gridNoticeBox.className = "preview-grid-notice";
    this.gridNoticeBox.setAttribute("role", "status");
    this.gridNoticeBox.hidden = true;
    this.controls = new Controls(this.options, {
      changed: (change) => this.optionsChanged(change),
      typed: (value) => this.typedChanged(value),
    });
    this.grid = new FrameGrid(viewportNamed(this.options.viewport));
    this.grid.setPlatforms(this.options.platforms, this.options.night);
    this.player = new AvPlayer((message) => this.showNotice(message));
    this.root.append(
      this.controls.element,
      this.errorBox,
      this.staleBox,
      this.gridNoticeBox,
      this.controls.typeIn,
      this.grid.element,
    );
    host.append(this.root);
    this.loop = new RenderLoop((job) => this.render(job));
    window.addEventListener("message", this.onMessage);
    this.unsubscribe = source.subscribe(() => this.loop.request("pages"));
    this.loop.request("pages");
  }

  refresh(): void {
    this.loop.request("pages");
  }

  destroy(): void {
    this.unsubscribe();
    this.loop.stop();
    this.player.stop();
    window.removeEventListener("message", this.onMessage);
    this.grid.destroy();
    this.root.remove();
  }

  private optionsChanged(change: Partial<PreviewOptions>): void {
    const options = { ...this.options, ...change };
    const viewportChanged = options.viewport !== this.options.viewport;
    if (options.cardOrd !== this.options.cardOrd) {
      // As in the reviewer, each card starts with an empty type-in box.
      this.typed = "";
      this.controls.setTyped("");
    }
    this.options = options;
    if (viewportChanged) this.grid.setViewport(viewportNamed(options.viewport));
    this.grid.setPlatforms(options.platforms, options.night);
    this.loop.request("pages");
  }

  private typedChanged(value: string): void {
    this.typed = value;
    this.loop.request("compare");
  }

  private gridRequest(): GridRequest | null {
    const draft = this.source.current();
    const { platforms, night } = this.options;
    if (platforms.length === 0) return null;
    return {
      notetype: draft.notetype,
      sample: draft.sample,
      platforms,
      night_mode: night,
      notetype_id: draft.notetypeId,
    };
  }

  private request(): PagesRequest | null {
    const draft = this.source.current();
    const { platforms, night } = this.options;
    if (platforms.length === 0) return null;
    let cardOrd = this.options.cardOrd;
    if (draft.notetype.kind !== "cloze" && cardOrd >= draft.notetype.card_types.length) {
      // The card type on show was deleted: fall back to the first.
      cardOrd = 0;
      this.options = { ...this.options, cardOrd };
    }
    return {
      notetype: draft.notetype,
      sample: draft.sample,
      card_ord: cardOrd,
      platforms,
      night_mode: night,
      notetype_id: draft.notetypeId,
      typed_answer: this.typed,
    };
  }

  private async render(job: RenderJob): Promise<void> {
    if (this.options.allCards) return this.renderGrid(job);
    const request = this.request();
    if (!request) {
      this.setProblems(["Choose at least one platform to preview."]);
      return;
    }
    this.lastNotetypeId = request.notetype_id;
    try {
      if (job.kind === "compare" && this.last) {
        const compared = await fetchComparison(request, this.stream);
        if (!this.loop.claim(job.seq) || this.options.allCards) return;
        this.showStale(staleNotice(compared));
        const pages = compared.pages.map((p) => ({
          platform: p.platform,
          side: "answer" as Side,
          html: p.answer,
          scripted: compared.scripted.answer,
        }));
        this.grid.show(pages, () => this.measured(job));
        return;
      }
      const response = await fetchPages(request, this.stream);
      if (!this.loop.claim(job.seq)) return;
      // "All cards" came on while this was out: the grid's own request follows.
      if (this.options.allCards) return;
      this.showStale(staleNotice(response));
      this.showGridNotice(null);
      this.last = response;
      this.grid.setLayout(null, this.options.platforms, this.options.night);
      this.controls.setCards(
        response.cards,
        response.card_ord,
        request.notetype.card_types.map((c) => c.name),
      );
      this.controls.setTypeIn(
        response.type_answer?.shows_input ?? false,
        response.type_answer?.field ?? null,
      );
      this.setProblems(response.errors.map(describeError));
      const { scripted } = response;
      const pages = response.pages.flatMap((p) => [
        { platform: p.platform, side: "question" as Side, html: p.question, scripted: scripted.question },
        { platform: p.platform, side: "answer" as Side, html: p.answer, scripted: scripted.answer },
      ]);
      this.grid.show(pages, () => this.measured(job));
    } catch (error) {
      // A newer request of ours replaced this one on the server: nothing to show or say.
      if (isSuperseded(error)) return;
      // Keep the last good render on screen; say why this one failed.
      if (this.loop.claim(job.seq)) this.setProblems([errorMessage(error)]);
    }
  }

  /** Every card of the sample on every platform (the "All cards" mode). */
  private async renderGrid(job: RenderJob): Promise<void> {
    const request = this.gridRequest();
    if (!request) {
      this.setProblems(["Choose at least one platform to preview."]);
      return;
    }
    this.lastNotetypeId = request.notetype_id;
    try {
      const response = await fetchGrid(request, this.stream);
      if (!this.loop.claim(job.seq)) return;
      // "All cards" went off while this was out: the single card's request follows.
      if (!this.options.allCards) return;
      this.showStale(staleNotice(response));
      this.lastGrid = response;
      this.setProblems(gridProblems(response.cards, response.total_cards));
      this.showGridNotice(gridNotice(response.total_cards, response.cards.length));
      const cards = response.cards.map((c) => ({ ord: c.card_ord, name: c.name }));
      this.grid.setLayout(cards, this.options.platforms, this.options.night);
      const pages = response.cards.flatMap((card) =>
        card.pages.flatMap((p) => [
          {
            card: card.card_ord,
            platform: p.platform,
            side: "question" as Side,
            html: p.question,
            scripted: card.scripted.question,
          },
          {
            card: card.card_ord,
            platform: p.platform,
            side: "answer" as Side,
            html: p.answer,
            scripted: card.scripted.answer,
          },
        ]),
      );
      this.grid.show(pages, () => this.measured(job));
    } catch (error) {
      if (isSuperseded(error)) return;
      if (this.loop.claim(job.seq)) this.setProblems([errorMessage(error)]);
    }
  }

  private showGridNotice(notice: string | null): void {
    this.gridNoticeBox.textContent = notice ?? "";
    this.gridNoticeBox.hidden = notice === null;
  }

  private measured(job: RenderJob): void {
    const elapsed = (performance.now() - job.since).toFixed(1);
    this.host.dataset.lastUpdateMs = elapsed;
    this.root.dataset.lastUpdateMs = elapsed;
  }

  /** The server sent its last good pages (busy, or the render ran too long): say so. */
  private showStale(notice: string | null): void {
    this.staleBox.textContent = notice ?? "";
    this.staleBox.hidden = notice === null;
  }

  private setProblems(problems: string[]): void {
    this.problems = problems;
    this.notice = "";
    this.showErrors();
  }

  private showNotice(message: string): void {
    this.notice = message;
    this.showErrors();
  }

  private shownErrors = "";

  private showErrors(): void {
    const lines = this.notice ? [...this.problems, this.notice] : this.problems;
    // Every render reports its problems, usually the same (none): the box is left alone then.
    const key = JSON.stringify(lines);
    if (key === this.shownErrors) return;
    this.shownErrors = key;
    this.errorBox.replaceChildren(
      ...lines.map((line) => {
        const item = document.createElement("p");
        item.textContent = line;
        return item;
      }),
    );
    this.errorBox.hidden = lines.length === 0;
  }

  /** The sounds of the card whose frame `source` is (the picker's card, or one of the grid). */
  private playedCard(
    source: MessageEventSource | null,
  ): { question_av: AvTagDoc[]; answer_av: AvTagDoc[] } | null {
    const ord = this.grid.cardOf(source);
    if (ord === null) return this.last;
    return this.lastGrid?.cards.find((c) => c.card_ord === ord) ?? null;
  }

  // Messages from the pages' bridge script: play buttons and the card's own type-in box.
  private readonly onMessage = (event: MessageEvent): void => {
    if (!this.grid.owns(event.source)) return;
    const data: unknown = event.data;
    if (!data || typeof data !== "object") return;
    const message = data as {
      atd?: unknown;
      side?: unknown;
      index?: unknown;
      value?: unknown;
      token?: unknown;
    };
    if (message.atd === "replaced" && typeof message.token === "number") {
      this.grid.replaced(event.source, message.token);
    } else if (message.atd === "play" && typeof message.index === "number") {
      const card = this.playedCard(event.source);
      if (!card) return;
      const tags = message.side === "q" ? card.question_av : card.answer_av;
      this.player.play(tags[message.index], this.lastNotetypeId);
    } else if (
      message.atd === "typed" &&
      typeof message.value === "string" &&
      !this.options.allCards // a typed answer is compared on one card
    ) {
      this.controls.setTyped(message.value);
      this.typedChanged(message.value);
    }
  };
}

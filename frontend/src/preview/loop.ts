// When to ask the server for a new render: one request in flight, edits that arrive meanwhile
// are folded into the next one, and a response older than one already shown is dropped. An
// edit after a quiet moment is sent at once; a burst is coalesced with a short debounce, so a
// keystroke costs at most one request and waits at most DEBOUNCE_MS for it.
// A slow render (a heavy template, a busy server) is not waited for: once it has been out for
// SUPERSEDE_AFTER_MS, the edits that came since are sent on the same X-ATD-Stream, and the
// server stops the older render and answers it 409 superseded (dropped). A comparison never
// replaces a full render (that would lose the question side); at most two are ever out.
export const DEBOUNCE_MS = 30;
export const SUPERSEDE_AFTER_MS = 150;

export type RenderKind = "pages" | "compare";

export interface RenderJob {
  kind: RenderKind;
  seq: number;
  /** performance.now() of the oldest edit this render includes. */
  since: number;
}

export class RenderLoop {
  private seq = 0;
  private shownSeq = 0;
  private inFlight = 0;
  private flyingKind: RenderKind | null = null;
  private timer: number | null = null;
  private lastSentAt = -Infinity;
  private pendingSince: number | null = null;
  private pendingKind: RenderKind | null = null;
  private stopped = false;

  constructor(private readonly run: (job: RenderJob) => Promise<void>) {}

  /** Something changed: a full render ("pages") or only the typed answer ("compare"). */
  request(kind: RenderKind, at: number = performance.now()): void {
    if (this.stopped) return;
    this.pendingSince ??= at;
    this.pendingKind = this.pendingKind === "pages" || kind === "pages" ? "pages" : "compare";
    this.schedule();
  }

  /** True when `seq` is newer than what is on screen (and marks it shown). */
  claim(seq: number): boolean {
    if (seq <= this.shownSeq) return false;
    this.shownSeq = seq;
    return true;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer !== null || this.pendingKind === null) return;
    let due = this.lastSentAt + DEBOUNCE_MS;
    if (this.inFlight > 0) {
      if (!this.maySupersede()) return; // sent when the render in flight lands
      due = this.lastSentAt + SUPERSEDE_AFTER_MS;
    }
    this.timer = window.setTimeout(
      () => {
        this.timer = null;
        if (this.inFlight === 0 || this.maySupersede()) void this.send();
      },
      Math.max(0, due - performance.now()),
    );
  }

  /** Whether what waits may replace the render in flight now rather than wait for it. */
  private maySupersede(): boolean {
    const replacesIt = this.pendingKind === "pages" || this.flyingKind === "compare";
    return this.inFlight === 1 && replacesIt;
  }

  private async send(): Promise<void> {
    if (this.stopped || this.pendingKind === null) return;
    const job: RenderJob = {
      kind: this.pendingKind,
      seq: ++this.seq,
      since: this.pendingSince ?? performance.now(),
    };
    this.pendingKind = null;
    this.pendingSince = null;
    this.inFlight += 1;
    this.flyingKind = job.kind;
    this.lastSentAt = performance.now();
    // Edits from now on may replace this render once it is slow.
    this.schedule();
    try {
      await this.run(job);
    } finally {
      this.inFlight -= 1;
    }
    // Edits that came in meanwhile, now at the debounce rather than the supersede delay; a
    // failed render is retried only by the next edit.
    if (this.timer !== null && this.inFlight === 0) {
      window.clearTimeout(this.timer);
      this.timer = null;
    }
    this.schedule();
  }
}

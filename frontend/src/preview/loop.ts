// When to ask the server for a new render: at most one request in flight, edits that arrive
// meanwhile are folded into the next one, and a response older than one already shown is
// dropped. An edit after a quiet moment is sent at once; a burst is coalesced with a short
// debounce, so a keystroke costs at most one request and waits at most DEBOUNCE_MS for it.
export const DEBOUNCE_MS = 30;

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
  private inFlight = false;
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
    if (this.inFlight || this.timer !== null || this.pendingKind === null) return;
    const wait = Math.max(0, this.lastSentAt + DEBOUNCE_MS - performance.now());
    this.timer = window.setTimeout(() => {
      this.timer = null;
      void this.send();
    }, wait);
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
    this.inFlight = true;
    this.lastSentAt = performance.now();
    try {
      await this.run(job);
    } finally {
      this.inFlight = false;
    }
    // Edits that came in meanwhile; a failed render is retried only by the next edit.
    this.schedule();
  }
}

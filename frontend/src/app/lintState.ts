// The draft's lint findings, shared by the lint panel and every editor's inline markers: one
// POST /api/lint per draft version (both ask for the same version and get the same promise),
// and the one-click fix, which sends the current draft and takes the fixed one only if no
// edit arrived meanwhile (else it asks again), so a fix never overwrites a newer keystroke.
import { ApiError, errorMessage, retryAfterMs } from "../api/client";
import { fixDraft, type LintDiagnosticDoc, type LintCounts, lintDraft, refOf } from "../api/lint";
import type { NoteTypeDoc } from "../api/types";
import { toast } from "./dialogs";
import type { DraftStore } from "./store";

/** Findings of one draft version, with the note type they were computed on (for offsets). */
export interface LintResult {
  version: number;
  notetype: NoteTypeDoc;
  diagnostics: LintDiagnosticDoc[];
  counts: LintCounts;
}

/** The state the panel shows: a result, or why there is none. */
export type LintView = { result: LintResult } | { error: string } | { pending: true };

export type LintListener = (view: LintView) => void;

const DEBOUNCE_MS = 300;
const FIX_ATTEMPTS = 3;

/** The text of `part` of card type `template` in `notetype` ("" when it has none). */
export function partText(notetype: NoteTypeDoc, part: string, template: number | null): string {
  if (part === "css") return notetype.css;
  const cardType = template === null ? undefined : notetype.card_types[template];
  if (!cardType) return "";
  const key = part.replace(" ", "_") as "front" | "back" | "browser_front" | "browser_back";
  return cardType[key] ?? "";
}

function snapshot(notetype: NoteTypeDoc): NoteTypeDoc {
  return JSON.parse(JSON.stringify(notetype)) as NoteTypeDoc;
}

export class LintController {
  view: LintView = { pending: true };
  private cache: { version: number; promise: Promise<LintResult> } | null = null;
  private abort: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<LintListener>();
  private readonly stops: Array<() => void> = [];

  constructor(private readonly store: DraftStore) {
    this.stops.push(
      store.subscribe((kind) => {
        if (kind !== "select") this.schedule();
      }),
    );
    // Back online after a failed check: check again without waiting for an edit.
    const online = (): void => {
      if ("error" in this.view) this.schedule(0);
    };
    window.addEventListener("online", online);
    this.stops.push(() => window.removeEventListener("online", online));
    this.schedule(0);
  }

  destroy(): void {
    clearTimeout(this.timer);
    this.abort?.abort();
    for (const stop of this.stops) stop();
    this.listeners.clear();
  }

  subscribe(listener: LintListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(view: LintView): void {
    this.view = view;
    for (const listener of [...this.listeners]) listener(view);
  }

  private schedule(ms = DEBOUNCE_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.current().catch(() => undefined); // The failure is shown through emit().
    }, ms);
  }

  /** The findings of the draft as it is now (one request per version). */
  current(): Promise<LintResult> {
    const { store } = this;
    if (this.cache && this.cache.version === store.version) return this.cache.promise;
    const version = store.version;
    const notetype = snapshot(store.notetype);
    // An older request's answer would be dropped anyway: stop it.
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const promise = lintDraft(notetype, store.samples, abort.signal).then(
      (response) => {
        const result: LintResult = { version, notetype, ...response };
        if (store.version === version) this.emit({ result });
        return result;
      },
      (error: unknown) => {
        if (this.cache?.version === version) this.cache = null; // Retry on the next ask.
        const busy = retryAfterMs(error);
        if (abort.signal.aborted || store.version !== version) {
          // A newer version is being checked: its answer is the one to show.
        } else if (busy !== null) {
          // The server put lint off for previews: keep the findings shown, ask again later.
          this.schedule(busy);
        } else {
          this.emit({ error: errorMessage(error) });
        }
        throw error;
      },
    );
    this.cache = { version, promise };
    return promise;
  }

  /**
   * Apply `diagnostic`'s fix to the draft (autosave then saves it). The server re-lints the
   * draft it is sent; if the finding moved since the panel showed it, the list is refreshed.
   */
  fix(diagnostic: LintDiagnosticDoc): Promise<boolean> {
    return this.fixAll([diagnostic]);
  }

  /** Apply the fixes of several findings at once (those that overlap wait for a next click). */
  async fixAll(diagnostics: LintDiagnosticDoc[]): Promise<boolean> {
    const { store } = this;
    const refs = diagnostics.filter((d) => d.fix).map(refOf);
    if (!refs.length) return false;
    for (let attempt = 0; attempt < FIX_ATTEMPTS; attempt++) {
      const version = store.version;
      let response;
      try {
        response = await fixDraft(store.notetype, store.samples, refs);
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) {
          this.schedule(0);
          toast("The template changed since it was checked; the list is updated.", "error");
        } else {
          toast(`Could not apply the fix: ${errorMessage(error)}`, "error");
        }
        return false;
      }
      if (store.version !== version) continue; // Typed meanwhile: fix the newer draft.
      const fixed = response.notetype;
      store.edit("text", (notetype) => {
        notetype.css = fixed.css;
        notetype.card_types.forEach((cardType, index) => {
          const source = fixed.card_types[index];
          if (!source) return;
          cardType.front = source.front;
          cardType.back = source.back;
          cardType.browser_front = source.browser_front;
          cardType.browser_back = source.browser_back;
        });
      });
      // The answer already holds the fixed draft's findings: no need to ask again.
      const result: LintResult = {
        version: store.version,
        notetype: snapshot(store.notetype),
        diagnostics: response.diagnostics,
        counts: response.counts,
      };
      clearTimeout(this.timer);
      this.abort?.abort();
      this.cache = { version: result.version, promise: Promise.resolve(result) };
      this.emit({ result });
      return true;
    }
    toast("The template kept changing while the fix was computed; try again.", "error");
    return false;
  }
}

// Autosave: "never lose an edit". Every edit marks the draft dirty and keeps it in
// localStorage; ~400 ms after the last keystroke it is PUT with expected_revision. At most one
// save is in flight, and the next one uses the revision the previous one returned. A network
// failure keeps the draft locally and retries with backoff (and on the browser's `online`
// event); a 409 (someone else saved) stops and asks the user which copy wins.
import { ApiError, NetworkError, api, errorMessage } from "../api/client";
import type { NoteTypeDoc, SampleDoc, SavedDoc } from "../api/types";
import { clearLocalDraft, storeLocalDraft } from "./localDraft";
import { type DraftStore, isEdit } from "./store";

export type SaveState = "saved" | "dirty" | "saving" | "offline" | "conflict";
export type SaveFn = (
  id: string,
  expectedRevision: number,
  notetype: NoteTypeDoc,
  samples: SampleDoc[],
) => Promise<SavedDoc>;
export type StateListener = (state: SaveState, text: string) => void;

export const DEBOUNCE_MS = 400;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;

const TEXTS: Record<SaveState, string> = {
  saved: "All changes saved",
  dirty: "Unsaved changes",
  saving: "Saving…",
  offline: "Server unreachable — changes kept in this browser, retrying",
  conflict: "Someone else saved this note type",
};

/** A stale-revision 409 (not a duplicate name, which is also a 409). */
function isStale(error: unknown): error is ApiError {
  return (
    error instanceof ApiError &&
    error.status === 409 &&
    (error.problem.type ?? "").endsWith("stale-revision")
  );
}

export class Autosave {
  state: SaveState = "saved";
  /** The server's revision when a conflict was reported ("keep mine" saves over it). */
  theirRevision: number | null = null;
  private savedVersion: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay = RETRY_FIRST_MS;
  private inFlight: Promise<void> | null = null;
  private readonly stops: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly store: DraftStore,
    private readonly onState: StateListener,
    private readonly save: SaveFn = api.save,
  ) {
    this.savedVersion = store.version;
    this.stops.push(
      store.subscribe((kind) => {
        if (isEdit(kind)) this.edited();
        else if (kind === "reset" && this.state !== "conflict") this.savedVersion = store.version;
      }),
    );
    const online = (): void => this.retryNow();
    window.addEventListener("online", online);
    this.stops.push(() => window.removeEventListener("online", online));
  }

  destroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    for (const stop of this.stops) stop();
  }

  private setState(state: SaveState, text = TEXTS[state]): void {
    this.state = state;
    this.onState(state, text);
  }

  private keepLocally(): void {
    const { store } = this;
    if (!storeLocalDraft(store.id, store.revision, store.notetype, store.samples)) {
      // Not fatal: the draft is still in memory and will be saved; the user should know, though.
      console.warn("Could not keep the draft in localStorage");
    }
  }

  private edited(): void {
    this.keepLocally();
    if (this.state === "conflict") return; // The user must choose first; the edit is kept.
    if (this.state !== "offline" && this.state !== "saving") this.setState("dirty");
    this.schedule(DEBOUNCE_MS);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.saveNow(), ms);
  }

  /** Save at once, waiting for one in flight; resolves true when everything is saved. */
  async flush(): Promise<boolean> {
    clearTimeout(this.timer);
    if (this.inFlight) await this.inFlight;
    if (this.store.version !== this.savedVersion && this.state !== "conflict") await this.saveNow();
    if (this.inFlight) await this.inFlight;
    return this.state === "saved";
  }

  private retryNow(): void {
    if (this.state !== "offline") return;
    clearTimeout(this.retryTimer);
    void this.saveNow();
  }

  private saveNow(): Promise<void> {
    if (this.inFlight) return this.inFlight; // Its completion re-checks the version.
    if (this.stopped || this.state === "conflict" || this.store.version === this.savedVersion) {
      return Promise.resolve();
    }
    const { store } = this;
    const version = store.version;
    if (this.state !== "offline") this.setState("saving");
    // The request body is serialized now, so later edits cannot leak into this save.
    const request = this.save(store.id, store.revision, store.notetype, store.samples);
    this.inFlight = request
      .then((saved) => this.succeeded(saved, version))
      .catch((error: unknown) => this.failed(error))
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  private succeeded(saved: SavedDoc, version: number): void {
    this.store.revision = saved.revision;
    this.savedVersion = version;
    this.retryDelay = RETRY_FIRST_MS;
    if (this.store.version !== version) {
      this.keepLocally(); // Re-based on the new revision.
      this.setState("dirty");
      this.schedule(DEBOUNCE_MS);
    } else {
      clearLocalDraft(this.store.id);
      this.setState("saved");
    }
  }

  private failed(error: unknown): void {
    if (isStale(error)) {
      const current = error.problem.current_revision;
      this.theirRevision = typeof current === "number" ? current : null;
      this.setState("conflict");
      return;
    }
    if (error instanceof NetworkError || (error instanceof ApiError && error.status >= 500)) {
      const why =
        error instanceof NetworkError
          ? TEXTS.offline
          : `Server error — retrying (${error.message})`;
      this.setState("offline", why);
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.saveNow(), this.retryDelay);
      this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
      return;
    }
    // The server refused this content (e.g. a duplicate name): it stays dirty until edited.
    this.setState("dirty", `Not saved: ${errorMessage(error)}`);
  }

  /** Conflict resolution "keep mine": save this draft over the other copy. */
  async keepMine(): Promise<void> {
    let current = this.theirRevision;
    if (current === null) current = (await api.get(this.store.id)).revision;
    this.store.revision = current;
    this.theirRevision = null;
    this.setState("dirty");
    await this.saveNow();
  }

  /** Conflict resolution "load theirs": drop this draft and take the server's copy. */
  async loadTheirs(): Promise<void> {
    const doc = await api.get(this.store.id);
    clearLocalDraft(this.store.id, true);
    this.theirRevision = null;
    this.state = "saved"; // Before reset, so the reset counts as the saved baseline.
    this.store.reset(doc);
    this.savedVersion = this.store.version;
    this.setState("saved");
  }

  /** After the server changed the note type itself (rename, restore): in sync again. */
  synced(): void {
    this.savedVersion = this.store.version;
    clearLocalDraft(this.store.id);
    this.setState("saved");
  }
}

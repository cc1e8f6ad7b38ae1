// The open note type's draft: what the editors, panels, preview and autosave all read. Every
// edit goes through `edit()`, which bumps `version` and tells the listeners what changed.
import type { MediaDoc, NoteTypeDoc, NoteTypeDocument, SampleDoc } from "../api/types";
import type { PreviewDraft, PreviewSource } from "../preview";

/**
 * text: a template side or the CSS; structure: fields, card types, name; sample: a sample's
 * values; select: another sample chosen (not an edit); reset: replaced from the server.
 */
export type ChangeKind = "text" | "structure" | "sample" | "select" | "reset";
export type Listener = (kind: ChangeKind) => void;

/** True for the changes that need saving. */
export function isEdit(kind: ChangeKind): boolean {
  return kind === "text" || kind === "structure" || kind === "sample";
}

export class DraftStore {
  readonly id: string;
  /** The server revision this draft is based on (sent as expected_revision). */
  revision: number;
  notetype: NoteTypeDoc;
  samples: SampleDoc[];
  media: MediaDoc[];
  selectedSample = 0;
  /** Bumped on every edit, so a save knows whether more edits arrived while it was in flight. */
  version = 0;
  private readonly listeners = new Set<Listener>();

  constructor(doc: NoteTypeDocument) {
    this.id = doc.id;
    this.revision = doc.revision;
    this.notetype = doc.notetype;
    this.samples = doc.samples;
    this.media = doc.media;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(kind: ChangeKind): void {
    for (const listener of [...this.listeners]) listener(kind);
  }

  /** Change the draft in place and notify. */
  edit(
    kind: "text" | "structure" | "sample",
    mutate: (notetype: NoteTypeDoc, samples: SampleDoc[]) => void,
  ): void {
    mutate(this.notetype, this.samples);
    this.version++;
    this.emit(kind);
  }

  /** Choose the sample the preview shows. */
  select(index: number): void {
    this.selectedSample = Math.max(0, Math.min(index, this.samples.length - 1));
    this.emit("select");
  }

  /** Take the server's copy (after a rename, restore or "load theirs"). */
  reset(doc: NoteTypeDocument): void {
    this.revision = doc.revision;
    this.notetype = doc.notetype;
    this.samples = doc.samples;
    this.media = doc.media;
    this.selectedSample = Math.min(this.selectedSample, Math.max(0, doc.samples.length - 1));
    this.version++;
    this.emit("reset");
  }

  /** Replace the content with a locally kept draft based on `revision` (an edit to save). */
  restoreLocal(notetype: NoteTypeDoc, samples: SampleDoc[], revision: number): void {
    this.revision = revision;
    this.notetype = notetype;
    this.samples = samples;
    this.version++;
    this.emit("reset");
    // A separate edit after the reset: the reset is the saved baseline, this is what to save.
    this.version++;
    this.emit("structure");
  }

  fieldNames(): string[] {
    return this.notetype.fields.map((field) => field.name);
  }

  /** The selected sample, or an empty one when the note type has none. */
  sample(): SampleDoc {
    const chosen = this.samples[this.selectedSample];
    if (chosen) return chosen;
    return { fields: Object.fromEntries(this.fieldNames().map((n) => [n, ""])), tags: [] };
  }

  /** The preview's view of this draft (contract: current() + subscribe()). */
  previewSource(): PreviewSource {
    return {
      current: (): PreviewDraft => ({
        notetypeId: this.id,
        notetype: this.notetype,
        sample: this.sample(),
      }),
      subscribe: (listener) => this.subscribe(() => listener()),
    };
  }
}

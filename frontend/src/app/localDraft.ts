// Unsaved drafts kept in localStorage, one key per note type, so an edit made while the server
// is unreachable (or before a crash) survives a reload and is saved when the server is back.
import type { NoteTypeDoc, SampleDoc } from "../api/types";

export interface LocalDraft {
  /** The server revision the draft was based on: saving it sends this as expected_revision. */
  baseRevision: number;
  notetype: NoteTypeDoc;
  samples: SampleDoc[];
  savedAt: string;
  /** Which page wrote it, so one tab's successful save does not erase another tab's draft. */
  tab: string;
}

/** This page load's id. */
export const TAB_ID = Math.random().toString(36).slice(2);

/** The localStorage key for a note type's draft. */
export function draftKey(notetypeId: string): string {
  return `atd:draft:${notetypeId}`;
}

/** The kept draft of a note type, or null (also when the stored text is unreadable). */
export function loadLocalDraft(notetypeId: string): LocalDraft | null {
  try {
    const text = localStorage.getItem(draftKey(notetypeId));
    if (!text) return null;
    const parsed = JSON.parse(text) as Partial<LocalDraft>;
    if (
      typeof parsed.baseRevision !== "number" ||
      !parsed.notetype ||
      !Array.isArray(parsed.samples)
    ) {
      return null;
    }
    return parsed as LocalDraft;
  } catch {
    return null;
  }
}

/** Keep a draft; false when the browser refuses (storage full or disabled). */
export function storeLocalDraft(
  notetypeId: string,
  baseRevision: number,
  notetype: NoteTypeDoc,
  samples: SampleDoc[],
): boolean {
  const draft: LocalDraft = {
    baseRevision,
    notetype,
    samples,
    savedAt: new Date().toISOString(),
    tab: TAB_ID,
  };
  try {
    localStorage.setItem(draftKey(notetypeId), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

/** Forget the kept draft once saved; `anyTab` also drops one another page wrote. */
export function clearLocalDraft(notetypeId: string, anyTab = false): void {
  try {
    const kept = loadLocalDraft(notetypeId);
    if (kept && (anyTab || kept.tab === TAB_ID)) localStorage.removeItem(draftKey(notetypeId));
    else if (!kept) localStorage.removeItem(draftKey(notetypeId));
  } catch {
    // Storage disabled: nothing was kept either.
  }
}

// The API's JSON shapes, written from /openapi.json (the server's pydantic schemas).
// Kept by hand rather than generated: the set is small and names here are what the UI reads.

export type Kind = "standard" | "cloze";
export type ExportFormat = "apkg" | "crowdanki" | "folder";
export type Platform =
  | "desktop-windows"
  | "desktop-mac"
  | "desktop-linux"
  | "ankidroid"
  | "ankimobile-iphone"
  | "ankimobile-ipad";

export interface FieldDoc {
  name: string;
  options?: Record<string, unknown>;
}

export interface CardTypeDoc {
  name: string;
  front: string;
  back: string;
  browser_front?: string;
  browser_back?: string;
  deck_override?: number | null;
  options?: Record<string, unknown>;
}

export interface NoteTypeDoc {
  name: string;
  kind: Kind;
  fields: FieldDoc[];
  card_types: CardTypeDoc[];
  css: string;
  sort_field?: number;
  latex_pre?: string;
  latex_post?: string;
  anki_id?: number | null;
  options?: Record<string, unknown>;
}

export interface SampleDoc {
  fields: Record<string, string>;
  tags: string[];
  deck?: string;
  flag?: number;
  card_ids?: Record<string, number>;
}

export interface MediaDoc {
  name: string;
  size: number;
}

/** A note type as stored: content plus its id and the revision it was read at. */
export interface NoteTypeDocument {
  notetype: NoteTypeDoc;
  samples: SampleDoc[];
  media: MediaDoc[];
  id: string;
  revision: number;
}

export interface SummaryDoc {
  id: string;
  name: string;
  kind: Kind;
  revision: number;
  field_names: string[];
  card_type_names: string[];
  created_at: string;
  updated_at: string;
}

export interface SavedDoc {
  id: string;
  revision: number;
}

export interface SaveRequest {
  expected_revision: number;
  notetype: NoteTypeDoc;
  samples?: SampleDoc[];
}

export interface RenameRequest {
  old: string;
  new: string;
  expected_revision?: number | null;
}

export interface RevisionDoc {
  id: number;
  notetype_id: string;
  author: string;
  created_at: string;
  content_hash: string;
  summary: string;
}

export interface RevisionContentDoc {
  notetype: NoteTypeDoc;
  samples: SampleDoc[];
  media: MediaDoc[];
  revision: RevisionDoc;
}

export interface DiffDoc {
  revision: number;
  current_revision: number;
  diff: string;
}

/** A problem Anki would report; line and column are 1-based. */
export interface TemplateProblemDoc {
  template: string;
  side: string;
  line: number;
  column: number;
  message: string;
}

export interface CheckResponse {
  problems: TemplateProblemDoc[];
}

export interface ImportResult {
  imported: SummaryDoc[];
}

export interface InfoDoc {
  version: string;
  workspace: string;
  max_upload_bytes: number;
}

/** RFC 9457 problem details as the server sends them (extra members vary by kind). */
export interface ProblemDoc {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  current_revision?: number;
  expected_revision?: number;
  [extra: string]: unknown;
}

/** A note type of the collection open in Anki (via AnkiConnect). */
export interface AnkiNoteTypeDoc {
  name: string;
  anki_id: number;
}

/** What a push to Anki changes (or would change, on a dry run). */
export interface PushPlanDoc {
  notetype: string;
  changed: boolean;
  applied: boolean;
  create: boolean;
  added_fields: string[];
  added_card_types: string[];
  updated_card_types: string[];
  css_changed: boolean;
  diff: string;
  warnings: string[];
}

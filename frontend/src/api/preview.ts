// The preview's routes: POST /api/preview/pages (one card, every chosen platform, both sides),
// POST /api/preview/compare (the answer side with a typed answer compared) and
// POST /api/preview/grid (every card the sample generates, up to 24, on every chosen platform).
// Each preview names its stream (X-ATD-Stream): the server answers an older request on the
// stream that a newer one replaced with 409 "superseded" (dropped here, see isSuperseded),
// and, when it is too busy, the last good pages with `stale: true` and a notice to show.
import { ApiError, NetworkError } from "./client";
import type { NoteTypeDoc, Platform, SampleDoc } from "./types";

export interface PagesRequest {
  notetype: NoteTypeDoc;
  sample: SampleDoc;
  card_ord: number;
  platforms: Platform[];
  night_mode: boolean;
  notetype_id: string | null;
  typed_answer: string;
}

export interface CardChoice {
  ord: number;
  name: string;
}

export interface SoundTagDoc {
  type: "sound";
  filename: string;
}

export interface TtsTagDoc {
  type: "tts";
  field_text: string;
  lang: string;
  voices: string[];
  speed: number;
  other_args: string[];
}

export type AvTagDoc = SoundTagDoc | TtsTagDoc;

export interface RenderErrorDoc {
  side: string;
  line: number;
  column: number;
  message: string;
}

export interface PlatformPages {
  platform: Platform;
  question: string;
  answer: string;
}

/** Whether each side's card has scripts of its own (its frame must then be reloaded). */
export interface Scripted {
  question: boolean;
  answer: boolean;
}

/** The server's header naming the stream (one editor's preview) a request belongs to. */
export const STREAM_HEADER = "X-ATD-Stream";

/** Set when the server was too busy (or the render too slow) and sent the last good pages. */
export interface StaleMark {
  stale?: boolean;
  notice?: string | null;
}

export interface PagesResponse extends StaleMark {
  card_ord: number;
  night_mode: boolean;
  cards: CardChoice[];
  question_av: AvTagDoc[];
  answer_av: AvTagDoc[];
  type_answer: { field: string; shows_input: boolean } | null;
  errors: RenderErrorDoc[];
  scripted: Scripted;
  pages: PlatformPages[];
}

/** Every card of the sample at once: the "All cards" preview (no card_ord, no typed answer). */
export interface GridRequest {
  notetype: NoteTypeDoc;
  sample: SampleDoc;
  platforms: Platform[];
  night_mode: boolean;
  notetype_id: string | null;
}

/** One card of the grid: its pages as a pages response for that card would carry them. */
export interface GridCard {
  card_ord: number;
  name: string;
  pages: PlatformPages[];
  question_av: AvTagDoc[];
  answer_av: AvTagDoc[];
  errors: RenderErrorDoc[];
  scripted: Scripted;
}

export interface GridResponse extends StaleMark {
  night_mode: boolean;
  /** How many cards the sample generates, also past the ones in `cards`. */
  total_cards: number;
  /** The first MAX_GRID_CARDS of them, in ordinal order. */
  cards: GridCard[];
}

export interface CompareResponse extends StaleMark {
  card_ord: number;
  scripted: Scripted;
  pages: { platform: Platform; answer: string }[];
}

async function post<T>(path: string, body: unknown, stream?: string): Promise<T> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (stream) headers[STREAM_HEADER] = stream;
  let response: Response;
  try {
    response = await fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
  } catch (error) {
    throw new NetworkError(error);
  }
  if (!response.ok) {
    const text = await response.text();
    let problem: { type?: string; title?: string; detail?: string } = {};
    try {
      problem = JSON.parse(text) as typeof problem;
    } catch {
      problem = { title: response.statusText, detail: text.slice(0, 300) };
    }
    throw new ApiError(response.status, problem);
  }
  return (await response.json()) as T;
}

/** Both sides of one card on each platform, as complete pages for sandboxed frames. */
export function fetchPages(request: PagesRequest, stream?: string): Promise<PagesResponse> {
  return post<PagesResponse>("/api/preview/pages", request, stream);
}

/** Both sides of every card the sample generates (the first 24) on each platform. */
export function fetchGrid(request: GridRequest, stream?: string): Promise<GridResponse> {
  return post<GridResponse>("/api/preview/grid", request, stream);
}

/** The answer side on each platform with `typed_answer` compared as Anki compares it. */
export function fetchComparison(request: PagesRequest, stream?: string): Promise<CompareResponse> {
  return post<CompareResponse>("/api/preview/compare", request, stream);
}

/** A new stream id for one preview (one per editor, so that two tabs never supersede). */
export function newStream(): string {
  const random =
    typeof crypto !== "undefined" && typeof crypto.randomUUID === "function"
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `preview-${random}`;
}

/** True for the answer to a request that a newer one on its stream replaced: drop it. */
export function isSuperseded(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 409 &&
    typeof error.problem.type === "string" &&
    error.problem.type.endsWith(":superseded")
  );
}

/** The notice to show above stale pages, or null when the pages are fresh. */
export function staleNotice(response: StaleMark): string | null {
  if (!response.stale) return null;
  return response.notice || "The server is busy: this is the last preview that rendered.";
}

/** Where a note type's media file is served. */
export function mediaUrl(notetypeId: string, filename: string): string {
  return `/api/notetypes/${encodeURIComponent(notetypeId)}/media/${encodeURIComponent(filename)}`;
}

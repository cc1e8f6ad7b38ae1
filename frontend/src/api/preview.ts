// The preview's routes: POST /api/preview/pages (one card, every chosen platform, both sides)
// and POST /api/preview/compare (the answer side with a typed answer compared).
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

export interface PagesResponse {
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

export interface CompareResponse {
  card_ord: number;
  scripted: Scripted;
  pages: { platform: Platform; answer: string }[];
}

async function post<T>(path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError(error);
  }
  if (!response.ok) {
    const text = await response.text();
    let problem: { title?: string; detail?: string } = {};
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
export function fetchPages(request: PagesRequest): Promise<PagesResponse> {
  return post<PagesResponse>("/api/preview/pages", request);
}

/** The answer side on each platform with `typed_answer` compared as Anki compares it. */
export function fetchComparison(request: PagesRequest): Promise<CompareResponse> {
  return post<CompareResponse>("/api/preview/compare", request);
}

/** Where a note type's media file is served. */
export function mediaUrl(notetypeId: string, filename: string): string {
  return `/api/notetypes/${encodeURIComponent(notetypeId)}/media/${encodeURIComponent(filename)}`;
}

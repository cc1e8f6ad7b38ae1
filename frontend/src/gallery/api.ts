// The gallery's routes: GET /api/gallery (the starters), POST /api/gallery/{id}/create, and
// GET /api/lint/rules for the help page. Errors come back as the client's ApiError/NetworkError.
import { ApiError, NetworkError } from "../api/client";
import type { Kind, NoteTypeDocument, ProblemDoc } from "../api/types";

/** A starter note type as the gallery lists it. */
export interface StarterDoc {
  id: string;
  name: string;
  description: string;
  kind: Kind;
  field_names: string[];
  card_type_names: string[];
  sample_count: number;
  /** A page with the front of the first sample's first card, for a sandboxed frame. */
  thumbnail_url: string;
}

/** One lint rule, as the help page lists it. */
export interface LintRuleDoc {
  id: string;
  severity: "error" | "warning" | "info";
  title: string;
  explanation: string;
  docs_url: string;
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new NetworkError(error);
  }
  if (!response.ok) {
    const text = await response.text();
    let problem: ProblemDoc;
    try {
      problem = JSON.parse(text) as ProblemDoc;
    } catch {
      problem = {
        title: response.statusText || `HTTP ${response.status}`,
        detail: text.slice(0, 300),
      };
    }
    throw new ApiError(response.status, problem);
  }
  return (await response.json()) as T;
}

/** Every starter, in the gallery's order. */
export function listStarters(): Promise<StarterDoc[]> {
  return request<StarterDoc[]>("/api/gallery");
}

/** Create a note type named `name` from a starter (409 when the name is taken). */
export function createFromStarter(starterId: string, name: string): Promise<NoteTypeDocument> {
  return request<NoteTypeDocument>(`/api/gallery/${encodeURIComponent(starterId)}/create`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name }),
  });
}

/** Every built-in lint rule. */
export function listLintRules(): Promise<LintRuleDoc[]> {
  return request<LintRuleDoc[]>("/api/lint/rules");
}

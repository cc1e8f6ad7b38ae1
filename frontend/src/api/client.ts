// A typed fetch wrapper for every /api route. Errors come back as ApiError (the server's
// problem+json: status, title, detail) or NetworkError (the server could not be reached), so
// callers can tell "show this message" apart from "keep the draft and retry later".
import type {
  AnkiNoteTypeDoc,
  CheckResponse,
  DiffDoc,
  ExportFormat,
  ImportResult,
  InfoDoc,
  Kind,
  NoteTypeDoc,
  NoteTypeDocument,
  ProblemDoc,
  PushPlanDoc,
  RevisionContentDoc,
  RevisionDoc,
  SampleDoc,
  SavedDoc,
  SummaryDoc,
} from "./types";

/** The server answered with an error; `title` and `detail` are meant for the user. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly problem: ProblemDoc;

  constructor(status: number, problem: ProblemDoc) {
    const title = problem.title ?? `Request failed (${status})`;
    const detail = problem.detail ?? "";
    super(detail ? `${title}: ${detail}` : title);
    this.name = "ApiError";
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.problem = problem;
  }
}

/** The request never got an answer: the server is down or the network is gone. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(
      "Cannot reach the designer's server. Is `atd serve` still running? " +
        `(${cause instanceof Error ? cause.message : String(cause)})`,
    );
    this.name = "NetworkError";
  }
}

/**
 * How long to wait before asking again when the server put the request off because it is
 * busy (503 "busy" or "overloaded", with `retry_after` seconds); null for any other error.
 */
export function retryAfterMs(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.status !== 503) return null;
  const seconds = Number(error.problem.retry_after);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}

/** A message fit for a toast, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

async function problemOf(response: Response): Promise<ProblemDoc> {
  const text = await response.text();
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object") {
      const problem = parsed as ProblemDoc & { detail?: unknown };
      // FastAPI's own 422 bodies carry a list in `detail`; flatten it to one readable line.
      if (Array.isArray(problem.detail)) {
        const items = problem.detail as { loc?: unknown[]; msg?: string }[];
        problem.detail = items.map((d) => `${(d.loc ?? []).join(".")}: ${d.msg ?? ""}`).join("; ");
      }
      return problem;
    }
  } catch {
    // Not JSON: fall through and show the raw text.
  }
  return { title: response.statusText || `HTTP ${response.status}`, detail: text.slice(0, 300) };
}

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new NetworkError(error);
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response;
}

async function json<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await send(path, init);
  return (await response.json()) as T;
}

function jsonBody(method: string, body: unknown): RequestInit {
  return { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

const enc = encodeURIComponent;

export const api = {
  info: () => json<InfoDoc>("/api/info"),
  list: (search = "") =>
    json<SummaryDoc[]>(`/api/notetypes${search ? `?search=${enc(search)}` : ""}`),
  create: (name: string, kind: Kind) =>
    json<NoteTypeDocument>("/api/notetypes", jsonBody("POST", { name, kind })),
  get: (id: string) => json<NoteTypeDocument>(`/api/notetypes/${enc(id)}`),
  save: (id: string, expectedRevision: number, notetype: NoteTypeDoc, samples: SampleDoc[]) =>
    json<SavedDoc>(
      `/api/notetypes/${enc(id)}`,
      jsonBody("PUT", { expected_revision: expectedRevision, notetype, samples }),
    ),
  remove: async (id: string, expectedRevision?: number): Promise<void> => {
    const query = expectedRevision === undefined ? "" : `?expected_revision=${expectedRevision}`;
    await send(`/api/notetypes/${enc(id)}${query}`, { method: "DELETE" });
  },
  renameField: (id: string, old: string, name: string, expectedRevision: number) =>
    json<NoteTypeDocument>(
      `/api/notetypes/${enc(id)}/fields/rename`,
      jsonBody("POST", { old, new: name, expected_revision: expectedRevision }),
    ),
  renameCardType: (id: string, old: string, name: string, expectedRevision: number) =>
    json<NoteTypeDocument>(
      `/api/notetypes/${enc(id)}/card-types/rename`,
      jsonBody("POST", { old, new: name, expected_revision: expectedRevision }),
    ),
  revisions: (id: string) => json<RevisionDoc[]>(`/api/notetypes/${enc(id)}/revisions`),
  revision: (revisionId: number) => json<RevisionContentDoc>(`/api/revisions/${revisionId}`),
  diff: (revisionId: number) => json<DiffDoc>(`/api/revisions/${revisionId}/diff`),
  restore: (revisionId: number, expectedRevision: number) =>
    json<NoteTypeDocument>(
      `/api/revisions/${revisionId}/restore`,
      jsonBody("POST", { expected_revision: expectedRevision }),
    ),
  check: (notetype: NoteTypeDoc, signal?: AbortSignal) =>
    json<CheckResponse>("/api/check", { ...jsonBody("POST", { notetype }), signal }),
  importFile: (file: File) =>
    json<ImportResult>(`/api/import?filename=${enc(file.name)}`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: file,
    }),
  ankiNotetypes: () => json<AnkiNoteTypeDoc[]>("/api/anki/notetypes"),
  ankiImport: (names: string[] | "all") =>
    json<ImportResult>("/api/anki/import", jsonBody("POST", { names })),
  ankiPush: (id: string, dryRun: boolean) =>
    json<PushPlanDoc>(`/api/notetypes/${enc(id)}/anki/push`, jsonBody("POST", { dry_run: dryRun })),
  /** Download an export: the file's bytes and the name the server suggests. */
  exportFile: async (id: string, format: ExportFormat): Promise<{ blob: Blob; name: string }> => {
    const response = await send(`/api/notetypes/${enc(id)}/export?format=${enc(format)}`);
    const name = fileNameOf(response.headers.get("Content-Disposition")) ?? `notetype.${format}`;
    return { blob: await response.blob(), name };
  },
};

/** The file name in a Content-Disposition header (RFC 6266 `filename*` preferred). */
export function fileNameOf(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // A malformed escape: try the plain form below.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() ?? null;
}

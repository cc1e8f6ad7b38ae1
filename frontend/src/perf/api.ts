// The Performance page's API (/api/perf): live figures, alerts, history, budgets, profiles.
import { ApiError, NetworkError } from "../api/client";

export interface PointDoc {
  ago: number;
  count: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface OperationDoc {
  operation: string;
  count: number;
  errors: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  mean_ms: number | null;
  max_ms: number | null;
  budget_ms: number | null;
  over_budget: boolean;
  series: PointDoc[];
}

export interface NoteTypeTimingDoc {
  notetype: string;
  count: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface AlertDoc {
  operation: string;
  budget_ms: number;
  p95_ms: number;
  count: number;
  since: number;
  message: string;
}

/** A cache the server judged thrashing (raised and logged once per crossing). */
export interface CacheAlertDoc {
  cache: string;
  status: string;
  since: number;
  message: string;
}

export interface LiveDoc {
  window_seconds: number;
  series_step_seconds: number;
  operations: OperationDoc[];
  notetypes: NoteTypeTimingDoc[];
  alerts: AlertDoc[];
  cache_alerts: CacheAlertDoc[];
}

export interface AlertsDoc {
  alerts: AlertDoc[];
  cache_alerts: CacheAlertDoc[];
}

export type CacheHealth = "ok" | "thrashing" | "churn" | "idle" | "disabled";

export interface CacheDoc {
  name: string;
  enabled: boolean;
  entries: number;
  bytes: number;
  max_entries: number;
  max_bytes: number;
  hits: number;
  misses: number;
  hit_ratio: number;
  inserts: number;
  evictions: number;
  invalidations: number;
  rejected: number;
  health: CacheHealth;
  health_message: string;
  window_lookups: number;
  window_hit_ratio: number;
  window_regrets: number;
}

export interface CachesDoc {
  enabled: boolean;
  caches: CacheDoc[];
}

export interface PriorityWorkDoc {
  priority: string;
  queued: number;
  max_queued: number;
  running: number;
  budget_ms: number | null;
  refused: Record<string, number>;
  stopped: Record<string, number>;
  coalesced: number;
}

export interface WorkDoc {
  workers: number;
  reserved_for_interactive: number;
  flights: number;
  streams: number;
  priorities: PriorityWorkDoc[];
}

export interface TrendPointDoc {
  start: number;
  kind: string;
  operation: string;
  count: number;
  errors: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  worst_p95_ms: number;
}

export interface HistoryDoc {
  since: number;
  step_seconds: number;
  points: TrendPointDoc[];
}

export interface BudgetDoc {
  operation: string;
  p95_ms: number;
}

export interface BudgetsDoc {
  budgets: BudgetDoc[];
  defaults: boolean;
}

export interface HotspotDoc {
  kind: "filter" | "section";
  side: "front" | "back";
  line: number;
  column: number;
  tag: string;
  filters: string[];
  milliseconds: number;
  share: number;
}

export interface TemplateProfileDoc {
  notetype: string;
  template: string;
  renders: number;
  milliseconds: number;
  filter_share: number;
  bottleneck: HotspotDoc | null;
  hotspots: HotspotDoc[];
}

export interface ProfileDoc {
  notetype: string;
  repeat: number;
  templates: TemplateProfileDoc[];
  /** Seconds since the epoch. */
  measured_at: number;
  /** The same content was profiled before: this is the stored profile. */
  cached: boolean;
}

export interface SlowTemplatesDoc {
  scanned: number;
  templates: TemplateProfileDoc[];
  /** How many note types' profiles came from the disk cache. */
  cached: number;
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new NetworkError(error);
  }
  if (!response.ok) {
    let problem: { title?: string; detail?: string } = {};
    try {
      problem = (await response.json()) as { title?: string; detail?: string };
    } catch {
      problem = { title: `HTTP ${response.status}` };
    }
    throw new ApiError(response.status, problem);
  }
  return (await response.json()) as T;
}

const enc = encodeURIComponent;

export const perfApi = {
  live: () => request<LiveDoc>("/api/perf/live"),
  alerts: () => request<AlertsDoc>("/api/perf/alerts"),
  caches: () => request<CachesDoc>("/api/perf/caches"),
  work: () => request<WorkDoc>("/api/perf/work"),
  history: (days: number, step: "hour" | "day") =>
    request<HistoryDoc>(`/api/perf/history?days=${days}&step=${step}`),
  budgets: () => request<BudgetsDoc>("/api/perf/budgets"),
  saveBudgets: (budgets: BudgetDoc[]) =>
    request<BudgetsDoc>("/api/perf/budgets", {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ budgets }),
    }),
  profileStored: (nameOrId: string, repeat = 5, fresh = false) =>
    request<ProfileDoc>(
      `/api/perf/profile/notetypes/${enc(nameOrId)}?repeat=${repeat}${fresh ? "&fresh=true" : ""}`,
      { method: "POST" },
    ),
  slowestTemplates: (top = 20, fresh = false) =>
    request<SlowTemplatesDoc>(`/api/perf/templates?top=${top}${fresh ? "&fresh=true" : ""}`),
};

/** The export's address (a plain link downloads it). */
export function exportUrl(format: "csv" | "json", days: number): string {
  return `/api/perf/export?format=${format}&days=${days}&step=hour`;
}

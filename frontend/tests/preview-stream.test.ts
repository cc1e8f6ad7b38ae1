// The preview's stream and degradation contract with the server (api/preview.ts): each request
// names its stream, a superseded answer is recognised (and dropped by the preview), and stale
// pages come with a notice to show. fetch is replaced by a function answering what a server
// would, so the test sees the exact request the browser would send. Also: when a busy
// server says to ask again (lint is put off while previews wait).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  STREAM_HEADER,
  fetchComparison,
  fetchPages,
  isSuperseded,
  newStream,
  staleNotice,
  type PagesRequest,
} from "../src/api/preview";
import { ApiError, retryAfterMs } from "../src/api/client";

const REQUEST: PagesRequest = {
  notetype: {
    name: "Basic",
    kind: "standard",
    fields: [{ name: "Front" }],
    card_types: [{ name: "Card 1", front: "{{Front}}", back: "{{Front}}" }],
    css: "",
  } as unknown as PagesRequest["notetype"],
  sample: { fields: { Front: "cat" } } as unknown as PagesRequest["sample"],
  card_ord: 0,
  platforms: ["desktop-linux"],
  night_mode: false,
  notetype_id: null,
  typed_answer: "",
};

/** Replace fetch for one call: record the request, answer `status` with `body`. */
function answering(status: number, body: unknown): { headers: () => Headers } {
  let seen: Headers = new Headers();
  globalThis.fetch = (async (_input: unknown, init?: RequestInit) => {
    seen = new Headers(init?.headers);
    const type = status >= 400 ? "application/problem+json" : "application/json";
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });
  }) as typeof fetch;
  return { headers: () => seen };
}

test("a preview request names its stream", async () => {
  const server = answering(200, { card_ord: 0, pages: [], stale: false, notice: null });
  await fetchPages(REQUEST, "preview-1");
  assert.equal(server.headers().get(STREAM_HEADER), "preview-1");
  await fetchComparison(REQUEST, "preview-1");
  assert.equal(server.headers().get(STREAM_HEADER), "preview-1");
  await fetchPages(REQUEST);
  assert.equal(server.headers().get(STREAM_HEADER), null);
});

test("a superseded answer is recognised; other errors are not", async () => {
  answering(409, { type: "urn:atd:problem:superseded", title: "Replaced", status: 409 });
  const superseded = await fetchPages(REQUEST, "s").catch((error: unknown) => error);
  assert.ok(superseded instanceof ApiError);
  assert.equal(isSuperseded(superseded), true);

  answering(503, { type: "urn:atd:problem:overloaded", title: "Busy", detail: "later" });
  const busy = await fetchPages(REQUEST, "s").catch((error: unknown) => error);
  assert.equal(isSuperseded(busy), false);
  assert.equal(isSuperseded(new ApiError(409, { type: "urn:atd:problem:stale-revision" })), false);
  assert.equal(isSuperseded(new Error("superseded")), false);
});

test("stale pages carry the server's notice; fresh ones none", () => {
  assert.equal(staleNotice({ stale: false, notice: null }), null);
  assert.equal(staleNotice({}), null);
  assert.equal(staleNotice({ stale: true, notice: "The server is busy" }), "The server is busy");
  assert.match(staleNotice({ stale: true }) ?? "", /last preview that rendered/);
});

test("every preview gets a stream of its own", () => {
  const streams = new Set(Array.from({ length: 50 }, () => newStream()));
  assert.equal(streams.size, 50);
  for (const stream of streams) assert.match(stream, /^[A-Za-z0-9_.:-]{1,128}$/);
});

test("a busy server's 503 says when to ask again; other errors do not", () => {
  const busy = new ApiError(503, { type: "urn:atd:problem:busy", retry_after: 2 });
  assert.equal(retryAfterMs(busy), 2000);
  assert.equal(retryAfterMs(new ApiError(503, { type: "urn:atd:problem:over-budget" })), null);
  assert.equal(retryAfterMs(new ApiError(500, { retry_after: 1 })), null);
  assert.equal(retryAfterMs(new Error("offline")), null);
});

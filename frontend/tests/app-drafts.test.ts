// Never losing an edit: the draft store (app/store.ts), the copy kept in localStorage
// (app/localDraft.ts) and autosave (app/autosave.ts). Node has no localStorage and no window,
// so a small in-memory Storage and an EventTarget stand in for the browser's; the save
// function is Autosave's own injection point, answered here as the server would.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiError, NetworkError } from "../src/api/client";
import type { NoteTypeDoc, NoteTypeDocument, SampleDoc, SavedDoc } from "../src/api/types";

/** Storage kept in a Map, as the browser's localStorage behaves for one origin. */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  /** When set, setItem throws as a full or disabled storage does. */
  refuse = false;
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    if (this.refuse) throw new Error("QuotaExceededError");
    this.items.set(key, String(value));
  }
}

const storage = new MemoryStorage();
const browserWindow = new EventTarget();
Object.defineProperty(globalThis, "localStorage", { value: storage, configurable: true });
Object.defineProperty(globalThis, "window", { value: browserWindow, configurable: true });

// Imported after the globals exist (the modules read them only when called, but keep it safe).
const { clearLocalDraft, draftKey, loadLocalDraft, storeLocalDraft, TAB_ID } = await import(
  "../src/app/localDraft"
);
const { DraftStore, isEdit } = await import("../src/app/store");
const { Autosave } = await import("../src/app/autosave");
type SaveState = import("../src/app/autosave").SaveState;

function notetype(front = "{{Front}}"): NoteTypeDoc {
  return {
    name: "Basic",
    kind: "standard",
    fields: [{ name: "Front" }, { name: "Back" }],
    card_types: [{ name: "Card 1", front, back: "{{Back}}" }],
    css: ".card {}",
  };
}

function documentOf(id: string, revision = 1, samples: SampleDoc[] = []): NoteTypeDocument {
  return { id, revision, notetype: notetype(), samples, media: [] };
}

test("localDraft keeps, reads back and forgets a draft per note type", () => {
  storage.clear();
  assert.equal(loadLocalDraft("nt1"), null);
  const samples: SampleDoc[] = [{ fields: { Front: "😀", Back: "b" }, tags: ["x"] }];
  assert.equal(storeLocalDraft("nt1", 4, notetype("edited"), samples), true);
  const kept = loadLocalDraft("nt1");
  assert.equal(kept?.baseRevision, 4);
  assert.equal(kept?.notetype.card_types[0]?.front, "edited");
  assert.deepEqual(kept?.samples, samples);
  assert.equal(kept?.tab, TAB_ID);
  assert.equal(loadLocalDraft("nt2"), null, "drafts are per note type");
  clearLocalDraft("nt1");
  assert.equal(loadLocalDraft("nt1"), null);
});

test("an unreadable or incomplete stored draft reads as none, and clearing removes it", () => {
  storage.clear();
  storage.setItem(draftKey("bad"), "{not json");
  assert.equal(loadLocalDraft("bad"), null);
  storage.setItem(draftKey("partial"), JSON.stringify({ baseRevision: "3", samples: [] }));
  assert.equal(loadLocalDraft("partial"), null);
  clearLocalDraft("bad");
  assert.equal(storage.getItem(draftKey("bad")), null);
});

test("another tab's draft survives this tab's save, unless every tab's draft is dropped", () => {
  storage.clear();
  const other = { baseRevision: 2, notetype: notetype(), samples: [], savedAt: "", tab: "other" };
  storage.setItem(draftKey("nt"), JSON.stringify(other));
  clearLocalDraft("nt");
  assert.equal(loadLocalDraft("nt")?.tab, "other");
  clearLocalDraft("nt", true);
  assert.equal(loadLocalDraft("nt"), null);
});

test("a full storage is reported, not thrown", () => {
  storage.clear();
  storage.refuse = true;
  try {
    assert.equal(storeLocalDraft("nt", 1, notetype(), []), false);
  } finally {
    storage.refuse = false;
  }
});

test("DraftStore: edits bump the version and tell listeners what changed", () => {
  const store = new DraftStore(documentOf("nt", 3));
  const seen: string[] = [];
  const stop = store.subscribe((kind) => seen.push(kind));
  store.edit("text", (nt) => {
    nt.css = "b {}";
  });
  store.edit("sample", (_nt, samples) => samples.push({ fields: {}, tags: [] }));
  assert.equal(store.version, 2);
  assert.equal(store.notetype.css, "b {}");
  store.select(5);
  assert.equal(store.selectedSample, 0, "selection is clamped to the samples");
  assert.equal(store.version, 2, "choosing a sample is not an edit");
  stop();
  store.edit("structure", () => undefined);
  assert.deepEqual(seen, ["text", "sample", "select"]);
  assert.deepEqual((["text", "structure", "sample", "select", "reset"] as const).map(isEdit), [
    true,
    true,
    true,
    false,
    false,
  ]);
});

test("DraftStore: an empty sample stands in when there are none; reset keeps the choice valid", () => {
  const two: SampleDoc[] = [
    { fields: { Front: "1", Back: "" }, tags: [] },
    { fields: { Front: "2", Back: "" }, tags: [] },
  ];
  const store = new DraftStore(documentOf("nt", 1, two));
  store.select(1);
  assert.equal(store.sample().fields.Front, "2");
  store.reset(documentOf("nt", 2, []));
  assert.equal(store.selectedSample, 0);
  assert.equal(store.revision, 2);
  assert.deepEqual(store.sample(), { fields: { Front: "", Back: "" }, tags: [] });
  assert.deepEqual(store.previewSource().current().sample, store.sample());
});

test("DraftStore: restoring a local draft is a reset followed by an edit to save", () => {
  const store = new DraftStore(documentOf("nt", 1));
  const seen: Array<[string, number]> = [];
  store.subscribe((kind) => seen.push([kind, store.version]));
  store.restoreLocal(notetype("kept"), [], 7);
  assert.deepEqual(seen, [
    ["reset", 1],
    ["structure", 2],
  ]);
  assert.equal(store.revision, 7);
  assert.equal(store.notetype.card_types[0]?.front, "kept");
});

/** A save the test answers by hand, as the server would. */
interface PendingSave {
  revision: number;
  /** What was sent, serialized at call time as api.save does. */
  front: string;
  resolve: (saved: SavedDoc) => void;
  reject: (error: unknown) => void;
}

/** An Autosave over a fresh store, recording every state and every save request. */
function setup(): {
  store: InstanceType<typeof DraftStore>;
  autosave: InstanceType<typeof Autosave>;
  saves: PendingSave[];
  states: SaveState[];
  texts: string[];
  next: (state: SaveState) => Promise<string>;
  nextSave: () => Promise<PendingSave>;
} {
  storage.clear();
  const store = new DraftStore(documentOf("nt", 1));
  const saves: PendingSave[] = [];
  const states: SaveState[] = [];
  const texts: string[] = [];
  const waiting: Array<{ state: SaveState; resolve: (text: string) => void }> = [];
  const saveWaiters: Array<(save: PendingSave) => void> = [];
  const autosave = new Autosave(
    store,
    (state, text) => {
      states.push(state);
      texts.push(text);
      for (const w of waiting.splice(0)) {
        if (w.state === state) w.resolve(text);
        else waiting.push(w);
      }
    },
    (_id, revision, nt) =>
      new Promise<SavedDoc>((resolve, reject) => {
        const save = { revision, front: nt.card_types[0]?.front ?? "", resolve, reject };
        saves.push(save);
        saveWaiters.shift()?.(save);
      }),
  );
  const next = (state: SaveState): Promise<string> =>
    new Promise((resolve) => waiting.push({ state, resolve }));
  const nextSave = (): Promise<PendingSave> => new Promise((resolve) => saveWaiters.push(resolve));
  return { store, autosave, saves, states, texts, next, nextSave };
}

function type(store: InstanceType<typeof DraftStore>, front: string): void {
  store.edit("text", (nt) => {
    nt.card_types[0]!.front = front;
  });
}

test("autosave: an edit is kept locally at once, saved with the base revision, then forgotten", async () => {
  const { store, autosave, saves, states } = setup();
  try {
    type(store, "{{Back}}");
    assert.equal(autosave.state, "dirty");
    assert.equal(loadLocalDraft("nt")?.notetype.card_types[0]?.front, "{{Back}}");
    const flushed = autosave.flush();
    assert.equal(saves.length, 1);
    assert.deepEqual([saves[0]?.revision, saves[0]?.front], [1, "{{Back}}"]);
    saves[0]?.resolve({ id: "nt", revision: 2 });
    assert.equal(await flushed, true);
    assert.deepEqual(states, ["dirty", "saving", "saved"]);
    assert.equal(store.revision, 2);
    assert.equal(loadLocalDraft("nt"), null);
  } finally {
    autosave.destroy();
  }
});

test("autosave: an edit made while a save is in flight is saved next, on the new revision", async () => {
  const { store, autosave, saves, nextSave } = setup();
  try {
    type(store, "one");
    const firstFlush = autosave.flush();
    type(store, "two"); // while "one" is on its way
    assert.equal(autosave.state, "saving");
    const second = nextSave();
    saves[0]?.resolve({ id: "nt", revision: 2 });
    assert.equal(await firstFlush, false, "not everything was saved yet");
    assert.equal(autosave.state, "dirty");
    assert.equal(loadLocalDraft("nt")?.baseRevision, 2, "the kept draft is re-based");
    const flushed = autosave.flush();
    const save = await second;
    assert.deepEqual([save.revision, save.front], [2, "two"]);
    save.resolve({ id: "nt", revision: 3 });
    assert.equal(await flushed, true);
    assert.equal(saves.length, 2);
  } finally {
    autosave.destroy();
  }
});

test("autosave: offline keeps the draft and retries when the browser is back online", async () => {
  const { store, autosave, saves, nextSave, next } = setup();
  try {
    type(store, "offline edit");
    const offline = next("offline");
    const flushed = autosave.flush();
    saves[0]?.reject(new NetworkError(new TypeError("fetch failed")));
    assert.match(await offline, /changes kept in this browser/);
    assert.equal(await flushed, false);
    assert.equal(loadLocalDraft("nt")?.notetype.card_types[0]?.front, "offline edit");
    const retry = nextSave();
    const saved = next("saved");
    browserWindow.dispatchEvent(new Event("online"));
    (await retry).resolve({ id: "nt", revision: 2 });
    await saved;
    assert.equal(loadLocalDraft("nt"), null);
  } finally {
    autosave.destroy();
  }
});

test("autosave: a server error is retried too, and says why", async () => {
  const { store, autosave, saves, next } = setup();
  try {
    type(store, "x");
    const offline = next("offline");
    void autosave.flush();
    saves[0]?.reject(new ApiError(500, { title: "Internal Server Error" }));
    assert.match(await offline, /Server error — retrying \(Internal Server Error\)/);
  } finally {
    autosave.destroy();
  }
});

test("autosave: someone else's save stops autosave until the user chooses; keep mine saves over it", async () => {
  const { store, autosave, saves, nextSave } = setup();
  try {
    type(store, "mine");
    const flushed = autosave.flush();
    saves[0]?.reject(
      new ApiError(409, { type: "/problems/stale-revision", title: "Stale", current_revision: 5 }),
    );
    assert.equal(await flushed, false);
    assert.equal(autosave.state, "conflict");
    assert.equal(autosave.theirRevision, 5);
    type(store, "mine, more");
    assert.equal(await autosave.flush(), false);
    assert.equal(saves.length, 1, "no save while the conflict is open");
    assert.equal(loadLocalDraft("nt")?.notetype.card_types[0]?.front, "mine, more");
    const over = nextSave();
    const kept = autosave.keepMine();
    const save = await over;
    assert.deepEqual([save.revision, save.front], [5, "mine, more"]);
    save.resolve({ id: "nt", revision: 6 });
    await kept;
    assert.equal(autosave.state, "saved");
  } finally {
    autosave.destroy();
  }
});

test("autosave: a refused save (a duplicate name) stays unsaved with the server's reason", async () => {
  const { store, autosave, saves, texts } = setup();
  try {
    type(store, "x");
    const flushed = autosave.flush();
    saves[0]?.reject(
      new ApiError(409, { type: "/problems/duplicate-name", title: "Name taken", detail: "Basic" }),
    );
    assert.equal(await flushed, false);
    assert.equal(autosave.state, "dirty");
    assert.equal(texts.at(-1), "Not saved: Name taken: Basic");
    assert.equal(autosave.theirRevision, null);
    assert.ok(loadLocalDraft("nt"), "the draft is still kept");
  } finally {
    autosave.destroy();
  }
});

test("autosave: a reset from the server is the new baseline, not an edit", async () => {
  const { store, autosave, saves } = setup();
  try {
    store.reset(documentOf("nt", 9));
    assert.equal(await autosave.flush(), true);
    assert.equal(saves.length, 0);
  } finally {
    autosave.destroy();
  }
});

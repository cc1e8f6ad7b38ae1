// Small pure helpers of the page's panels: the route in the address, library search, sample
// labels and tags, where a lint finding is, a template side's text, a download's file name.
// Their modules also build DOM; only these functions are called here. Importing the app pulls
// in the help module, which reads navigator.platform at load (Node 20 has no navigator).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LintDiagnosticDoc, LintLocationDoc } from "../src/api/lint";
import type { NoteTypeDoc, SummaryDoc } from "../src/api/types";

Object.defineProperty(globalThis, "navigator", { value: { platform: "" }, configurable: true });
const { fileNameOf } = await import("../src/api/client");
const { routeOf } = await import("../src/app/app");
const { matches } = await import("../src/app/library");
const { placeOf } = await import("../src/app/lintPanel");
const { partText } = await import("../src/app/lintState");
const { parseTags, sampleLabel } = await import("../src/app/samplesPanel");

test("routeOf reads the note type id from the address, decoded", () => {
  assert.equal(routeOf(""), null);
  assert.equal(routeOf("#/"), null);
  assert.equal(routeOf("#/help"), null);
  assert.equal(routeOf("#/notetype/abc123"), "abc123");
  assert.equal(routeOf("#/notetype/Basic%20%F0%9F%98%80/extra"), "Basic 😀");
  assert.equal(routeOf(`#/notetype/${encodeURIComponent("a/b?c")}`), "a/b?c");
});

test("routeOf keeps a hand-typed malformed escape as it is instead of throwing", () => {
  assert.equal(routeOf("#/notetype/100%"), "100%");
  assert.equal(routeOf("#/notetype/%E0%A4%A"), "%E0%A4%A");
});

function summary(name: string, fields: string[], cards: string[]): SummaryDoc {
  return {
    id: name,
    name,
    kind: "standard",
    revision: 1,
    field_names: fields,
    card_type_names: cards,
    created_at: "",
    updated_at: "",
  };
}

test("library search matches every word, in any order and case, across name, fields and cards", () => {
  const vocab = summary("Japanese Vocab", ["Kanji", "Reading"], ["Recognition", "Recall"]);
  assert.ok(matches(vocab, ""));
  assert.ok(matches(vocab, "   "));
  assert.ok(matches(vocab, "japanese"));
  assert.ok(matches(vocab, "reading VOCAB"));
  assert.ok(matches(vocab, "recall standard"));
  assert.ok(!matches(vocab, "japanese cloze"));
  assert.ok(!matches(vocab, "Audio"));
});

test("a sample's label is its number and the start of its first non-empty field, without HTML", () => {
  assert.equal(sampleLabel({ fields: { Front: "", Back: "" }, tags: [] }, 0), "1: (empty)");
  assert.equal(
    sampleLabel({ fields: { Front: "  ", Back: "<b>bold</b>\n<i>text</i>" }, tags: [] }, 2),
    "3: bold text",
  );
  const long = "x".repeat(60);
  assert.equal(sampleLabel({ fields: { Front: long }, tags: [] }, 0), `1: ${"x".repeat(40)}`);
});

test("a sample's label cut at 40 characters never splits an emoji", () => {
  const label = sampleLabel({ fields: { Front: `${"a".repeat(39)}😀😀` }, tags: [] }, 0);
  assert.equal(label, `1: ${"a".repeat(39)}😀`);
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(label), "no lone high surrogate");
});

test("tags are split on any whitespace, empty ones dropped", () => {
  assert.deepEqual(parseTags(""), []);
  assert.deepEqual(parseTags("  one\ttwo\n three::sub  "), ["one", "two", "three::sub"]);
});

function at(location: Partial<LintLocationDoc>): LintDiagnosticDoc {
  return {
    rule: "r",
    severity: "info",
    message: "",
    explanation: "",
    docs_url: "",
    fix: null,
    location: {
      part: "front",
      template: 0,
      template_name: null,
      start: 0,
      end: 0,
      line: 2,
      column: 4,
      ...location,
    },
  };
}

test("the lint panel names the card type and side, or the styling, with line and column", () => {
  assert.equal(placeOf(at({ template_name: "Recognition" })), "Recognition · front 2:4");
  assert.equal(placeOf(at({ template: 1, part: "browser back" })), "Card 2 · browser back 2:4");
  assert.equal(placeOf(at({ part: "css", template: null, line: 3, column: 1 })), "Styling 3:1");
});

test("partText finds the text of a template side, a browser side or the stylesheet", () => {
  const notetype: NoteTypeDoc = {
    name: "n",
    kind: "standard",
    fields: [{ name: "F" }],
    card_types: [{ name: "C", front: "q", back: "a", browser_front: "bq" }],
    css: ".card {}",
  };
  assert.equal(partText(notetype, "front", 0), "q");
  assert.equal(partText(notetype, "back", 0), "a");
  assert.equal(partText(notetype, "browser front", 0), "bq");
  assert.equal(partText(notetype, "browser back", 0), "", "an unset browser side is empty");
  assert.equal(partText(notetype, "css", null), ".card {}");
  assert.equal(partText(notetype, "front", 3), "", "a card type that is gone");
  assert.equal(partText(notetype, "front", null), "");
});

test("a download's file name comes from Content-Disposition, the UTF-8 form first", () => {
  assert.equal(fileNameOf(null), null);
  assert.equal(fileNameOf("attachment"), null);
  assert.equal(fileNameOf('attachment; filename="Basic.apkg"'), "Basic.apkg");
  assert.equal(fileNameOf("attachment; filename=Basic.apkg"), "Basic.apkg");
  assert.equal(
    fileNameOf(`attachment; filename="Caf_.apkg"; filename*=UTF-8''Caf%C3%A9%20%F0%9F%98%80.apkg`),
    "Café 😀.apkg",
  );
  assert.equal(
    fileNameOf(`attachment; filename*=utf-8''bad%E0.apkg; filename="fallback.apkg"`),
    "fallback.apkg",
    "a malformed escape falls back to the plain name",
  );
});

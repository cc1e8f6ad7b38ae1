// Completion inside Anki tags (editor/completionContext.ts, and editor/autocomplete.ts run on a
// real CodeMirror EditorState, which needs no DOM).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CompletionContext,
  type CompletionResult,
  type CompletionSource,
} from "@codemirror/autocomplete";
import { EditorState } from "@codemirror/state";
import { fieldAutocomplete } from "../src/editor/autocomplete";
import { openSectionBefore, tagContext } from "../src/editor/completionContext";
import { FILTERS, SPECIAL_FIELDS } from "../src/editor/vocabulary";

/** tagContext for a line that ends at the cursor (the cursor's offset is the line's length). */
function at(line: string): ReturnType<typeof tagContext> {
  return tagContext(line, line.length);
}

test("after {{ a replacement is completed, from the cursor", () => {
  assert.deepEqual(at("<div>{{"), { place: "replacement", from: 7, typed: "", sigil: "" });
  assert.deepEqual(at("{{Fro"), { place: "replacement", from: 2, typed: "Fro", sigil: "" });
  assert.deepEqual(at("{{  Fro"), { place: "replacement", from: 4, typed: "Fro", sigil: "" });
});

test("after {{#, {{^ and {{/ a section name is completed", () => {
  assert.deepEqual(at("{{#"), { place: "section", from: 3, typed: "", sigil: "#" });
  assert.deepEqual(at("{{^Ex"), { place: "section", from: 3, typed: "Ex", sigil: "^" });
  assert.deepEqual(at("x{{ / Ba"), { place: "section", from: 6, typed: "Ba", sigil: "/" });
});

test("after a filter the field name after the last colon is completed", () => {
  assert.deepEqual(at("{{text:"), { place: "replacement", from: 7, typed: "", sigil: "" });
  assert.deepEqual(at("{{text:hint:Ba"), {
    place: "replacement",
    from: 12,
    typed: "Ba",
    sigil: "",
  });
  assert.deepEqual(at("{{tts en_US: Fr"), {
    place: "replacement",
    from: 13,
    typed: "Fr",
    sigil: "",
  });
});

test("no completion outside a tag or after a closed one", () => {
  assert.equal(at("plain text"), null);
  assert.equal(at("{{Front}} and "), null);
  assert.equal(at("{{Front}}"), null);
  assert.equal(at("{ single"), null);
  assert.equal(at("{{a{b"), null);
});

test("the position given is where the line ends, not its length (lines later in a document)", () => {
  assert.deepEqual(tagContext("{{Ba", 104), {
    place: "replacement",
    from: 102,
    typed: "Ba",
    sigil: "",
  });
});

test("openSectionBefore names the innermost open section", () => {
  assert.equal(openSectionBefore(""), null);
  assert.equal(openSectionBefore("{{#A}}x"), "A");
  assert.equal(openSectionBefore("{{#A}}{{^B}}"), "B");
  assert.equal(openSectionBefore("{{#A}}{{^B}}{{/B}}"), "A");
  assert.equal(openSectionBefore("{{#A}}{{/A}}"), null);
  assert.equal(openSectionBefore("{{ # Two words }}"), "Two words");
  assert.equal(openSectionBefore("{{#A}}{{Front}}{{text:B}}"), "A", "replacements do not count");
  assert.equal(openSectionBefore("{{#A}}{{/Z}}"), "A", "a stray close leaves A open");
});

const FIELDS = ["Front", "Back", "Extra"];

/** The completions fieldAutocomplete offers with the cursor at `|` in `doc`. */
function complete(docWithCursor: string): CompletionResult | null {
  const pos = docWithCursor.indexOf("|");
  assert.ok(pos >= 0, "the test document marks the cursor with |");
  const doc = docWithCursor.slice(0, pos) + docWithCursor.slice(pos + 1);
  const state = EditorState.create({ doc, extensions: [fieldAutocomplete(() => FIELDS)] });
  const sources = state.languageDataAt<CompletionSource>("autocomplete", pos);
  assert.equal(sources.length, 1);
  const result = sources[0]!(new CompletionContext(state, pos, false));
  assert.ok(!(result instanceof Promise));
  return result;
}

function labels(result: CompletionResult | null): string[] {
  return result ? result.options.map((o) => o.label) : [];
}

test("{{ offers fields, special fields and filters; picking a field closes the tag", () => {
  const result = complete("<b>{{|");
  assert.equal(result?.from, 5);
  assert.deepEqual(labels(result), [
    ...FIELDS,
    ...SPECIAL_FIELDS,
    ...FILTERS.map(([name]) => `${name}:`),
  ]);
  const front = result?.options.find((o) => o.label === "Front");
  assert.equal(front?.apply, "Front}}");
  const text = result?.options.find((o) => o.label === "text:");
  assert.equal(text?.apply, undefined, "a filter is followed by the field, not closed");
});

test("the tag is not closed twice when }} already follows the cursor", () => {
  const result = complete("{{Fr|}}");
  assert.equal(result?.from, 2);
  assert.equal(result?.options.find((o) => o.label === "Front")?.apply, "Front");
});

test("{{# offers only fields; {{/ puts the open section first", () => {
  assert.deepEqual(labels(complete("{{#|")), FIELDS);
  const closing = complete("{{#Front}}{{^Back}}x\n{{/|");
  assert.deepEqual(labels(closing), FIELDS);
  const boosts = Object.fromEntries(closing?.options.map((o) => [o.label, o.boost]) ?? []);
  assert.deepEqual(boosts, { Front: 0, Back: 10, Extra: 0 });
});

test("after a filter only the completion list is offered from the field's start", () => {
  const result = complete("{{text:Ba|");
  assert.equal(result?.from, 7);
  assert.ok(labels(result).includes("Back"));
});

test("a multi-line document completes on the cursor's line only", () => {
  assert.equal(complete("{{Front\n|"), null);
  assert.equal(complete("{{Front}}\nplain |"), null);
  assert.equal(complete("line one\n😀 {{Ba|")?.from, 14);
});

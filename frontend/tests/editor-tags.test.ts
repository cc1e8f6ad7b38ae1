// The template editor's pure tag helpers (editor/tags.ts), which the syntax highlighting, the
// section matching and the "which templates use this field" warning are built on.
import assert from "node:assert/strict";
import { test } from "node:test";
import { offsetOf, pairSections, referencesField, scanTags, tagAt } from "../src/editor/tags";

/** The text each scanned tag covers. */
function spans(source: string): string[] {
  return scanTags(source).map((tag) => source.slice(tag.from, tag.to));
}

test("scanTags finds every tag with its kind, name and filters", () => {
  const source = "{{#Back}}<b>{{text:hint:Back}}</b>{{/Back}}{{^Extra}}x{{/Extra}}";
  const tags = scanTags(source);
  assert.deepEqual(
    tags.map((t) => [t.kind, t.name, t.filters]),
    [
      ["open", "Back", []],
      ["replace", "Back", ["text", "hint"]],
      ["close", "Back", []],
      ["inverted", "Extra", []],
      ["close", "Extra", []],
    ],
  );
  assert.deepEqual(spans(source), [
    "{{#Back}}",
    "{{text:hint:Back}}",
    "{{/Back}}",
    "{{^Extra}}",
    "{{/Extra}}",
  ]);
});

test("scanTags trims spaces around names and filters; nameFrom points at the name", () => {
  const source = "a {{ # Front }} {{ tts en_US : Front }} {{  Back  }}";
  const tags = scanTags(source);
  assert.deepEqual(
    tags.map((t) => [t.kind, t.name, t.filters]),
    [
      ["open", "Front", []],
      ["replace", "Front", ["tts en_US"]],
      ["replace", "Back", []],
    ],
  );
  for (const tag of tags) {
    assert.equal(source.slice(tag.nameFrom, tag.nameFrom + tag.name.length), tag.name);
  }
});

test("nameFrom is the name's own position when a filter repeats the name", () => {
  const source = "{{Front:Front}}";
  const [tag] = scanTags(source);
  assert.equal(tag?.nameFrom, 8);
});

test("tags inside an HTML comment are text, as in Anki; an unclosed comment is not a comment", () => {
  assert.deepEqual(spans("<!-- {{Old}} -->{{New}}"), ["{{New}}"]);
  assert.deepEqual(spans("{{A}}<!-- {{#B}} --> {{C}}"), ["{{A}}", "{{C}}"]);
  assert.deepEqual(spans("<!-- never closed {{Front}}"), ["{{Front}}"]);
});

test("an unclosed {{ ends the scan", () => {
  assert.deepEqual(spans("{{Front}} {{Back"), ["{{Front}}"]);
  assert.deepEqual(spans("no tags at all"), []);
  assert.deepEqual(spans(""), []);
});

test("offsets are UTF-16 offsets of the string, emoji included", () => {
  const source = "😀 {{Front}} 🎌{{#Back}}";
  const tags = scanTags(source);
  assert.deepEqual(
    tags.map((t) => [t.from, t.to]),
    [
      [3, 12],
      [15, 24],
    ],
  );
});

test("pairSections pairs {{#A}} with its {{/A}} across nesting", () => {
  const source = "{{#A}}{{^B}}{{#A}}x{{/A}}{{/B}}{{/A}}";
  const tags = scanTags(source);
  const { partner, unmatched } = pairSections(tags);
  assert.equal(unmatched.size, 0);
  assert.equal(partner.get(0), 5);
  assert.equal(partner.get(5), 0);
  assert.equal(partner.get(1), 4);
  assert.equal(partner.get(2), 3);
  assert.equal(partner.get(3), 2);
});

test("pairSections ignores replacements between sections", () => {
  const tags = scanTags("{{#A}}{{A}}{{text:B}}{{/A}}");
  const { partner, unmatched } = pairSections(tags);
  assert.deepEqual([...partner.entries()].sort(), [
    [0, 3],
    [3, 0],
  ]);
  assert.equal(unmatched.size, 0);
});

test("pairSections marks crossed, unclosed and stray section tags as unmatched", () => {
  // Anki refuses `{{#A}}{{#B}}{{/A}}{{/B}}`: the {{/A}} closes while B is open.
  const crossed = pairSections(scanTags("{{#A}}{{#B}}{{/A}}{{/B}}"));
  assert.deepEqual([...crossed.unmatched].sort(), [0, 2]);
  assert.equal(crossed.partner.get(1), 3);

  const unclosed = pairSections(scanTags("{{#A}}{{#B}}{{/B}}"));
  assert.deepEqual([...unclosed.unmatched], [0]);

  const stray = pairSections(scanTags("{{Front}}{{/Front}}"));
  assert.deepEqual([...stray.unmatched], [1]);
  assert.equal(stray.partner.size, 0);
});

test("tagAt finds the tag under the cursor, both ends included", () => {
  const tags = scanTags("ab{{#A}}cd{{/A}}");
  assert.equal(tagAt(tags, 0), -1);
  assert.equal(tagAt(tags, 2), 0);
  assert.equal(tagAt(tags, 8), 0);
  assert.equal(tagAt(tags, 9), -1);
  assert.equal(tagAt(tags, 10), 1);
  assert.equal(tagAt(tags, 16), 1);
  assert.equal(tagAt([], 0), -1);
});

test("referencesField sees replacements, filters and sections, but not comments or look-alikes", () => {
  assert.ok(referencesField("{{Front}}", "Front"));
  assert.ok(referencesField("{{cloze:Text}}", "Text"));
  assert.ok(referencesField("{{tts en_US voices=Apple:Front}}", "Front"));
  assert.ok(referencesField("{{^Extra}}none{{/Extra}}", "Extra"));
  assert.ok(!referencesField("{{Front}}", "front"), "field names are case-sensitive");
  assert.ok(!referencesField("{{Front 2}}", "Front"));
  assert.ok(!referencesField("<!-- {{Front}} -->", "Front"));
  assert.ok(!referencesField("Front", "Front"));
});

test("offsetOf turns a 1-based line and column into an offset, clamped to the line", () => {
  const source = "ab\ncdef\n\nxyz";
  assert.equal(offsetOf(source, 1, 1), 0);
  assert.equal(offsetOf(source, 2, 3), 5);
  assert.equal(offsetOf(source, 2, 99), 7, "past the end of line 2: its end");
  assert.equal(offsetOf(source, 3, 5), 8);
  assert.equal(offsetOf(source, 4, 0), 9, "column 0 counts as the line start");
  assert.equal(offsetOf(source, 9, 1), source.length, "past the last line: the end");
});

test("offsetOf reads the engine's column in code points, so an emoji before it counts once", () => {
  const source = "ok\n😀 {{Frnt}}";
  // The engine reports `Frnt` at line 2, column 5 (😀, space, {, {, then F).
  const offset = offsetOf(source, 2, 5);
  assert.equal(source.slice(offset, offset + 4), "Frnt");
  assert.equal(offsetOf(source, 2, 99), source.length);
});

test("extra opening braces are dropped as Anki does: {{{Front}}} uses Front", () => {
  const source = "{{{Front}}} {{{#A}}x{{/A}} {{{ text:Back }}}";
  const tags = scanTags(source);
  assert.deepEqual(
    tags.map((t) => [t.kind, t.name, t.filters]),
    [
      ["replace", "Front", []],
      ["open", "A", []],
      ["close", "A", []],
      ["replace", "Back", ["text"]],
    ],
  );
  assert.deepEqual(spans(source), ["{{{Front}}", "{{{#A}}", "{{/A}}", "{{{ text:Back }}"]);
  for (const tag of tags) {
    assert.equal(source.slice(tag.nameFrom, tag.nameFrom + tag.name.length), tag.name);
  }
  assert.ok(referencesField("<b>{{{Front}}}</b>", "Front"));
  assert.equal(pairSections(tags).unmatched.size, 0);
  // Only braces right after `{{` go: a brace after a space stays part of the name.
  assert.equal(scanTags("{{ {Front}}")[0]?.name, "{Front");
});

test("a lone sigil is a replacement, as in Anki: {{#}} opens no section", () => {
  const tags = scanTags("{{#}}x{{/}}{{ ^ }}");
  assert.deepEqual(
    tags.map((t) => [t.kind, t.name]),
    [
      ["replace", "#"],
      ["replace", "/"],
      ["replace", "^"],
    ],
  );
  assert.equal(pairSections(tags).unmatched.size, 0);
});

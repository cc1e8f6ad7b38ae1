// Round trip of the builder's pure core (no browser): every stock and real-world-shaped
// template reads into segments and writes back byte for byte; the stylesheet keeps every rule
// the builder does not manage. Run with `npm test`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { setManagedRule, managedRules } from "../src/builder/css";
import type { Segment } from "../src/builder/model";
import { parseTemplate, serializeSegments } from "../src/builder/parse";
import { parseDeclarations, valueProblem } from "../src/builder/styleValues";

interface StockNotetype {
  name: string;
  css: string;
  templates: Array<{ name: string; front: string; back: string }>;
}
interface RealWorld {
  name: string;
  template: string;
  css: string;
}

const fixtures = new URL("../../tests/fixtures/", import.meta.url);
const stock = JSON.parse(
  readFileSync(new URL("stock-notetypes.json", fixtures), "utf8"),
) as StockNotetype[];
const realWorld = JSON.parse(
  readFileSync(new URL("real-world.json", fixtures), "utf8"),
) as RealWorld[];

/** All segments of a tree, depth first. */
function flatten(segments: readonly Segment[]): Segment[] {
  return segments.flatMap((s) =>
    s.kind === "element" || s.kind === "section" ? [s, ...flatten(s.children)] : [s],
  );
}

function kinds(template: string): string[] {
  return flatten(parseTemplate(template)).map((s) => s.kind);
}

for (const notetype of stock) {
  for (const card of notetype.templates) {
    for (const side of ["front", "back"] as const) {
      test(`stock ${notetype.name} / ${card.name} / ${side} round-trips`, () => {
        const text = card[side];
        assert.equal(serializeSegments(parseTemplate(text)), text);
      });
    }
  }
  test(`stock ${notetype.name} stylesheet survives a managed rule`, () => {
    const styled = setManagedRule(notetype.css, "atd-1", "font-size: 30px;");
    assert.ok(styled.startsWith(notetype.css), "the stock rules come first, untouched");
    assert.equal(setManagedRule(styled, "atd-1", ""), notetype.css);
  });
}

for (const example of realWorld) {
  test(`real-world: ${example.name} round-trips`, () => {
    assert.equal(serializeSegments(parseTemplate(example.template)), example.template);
  });
}

test("tokens and their kinds: fields, sections and elements are editable", () => {
  const segments = parseTemplate('{{#Header}}<h1 class="h">{{Header}}</h1>{{/Header}}');
  assert.deepEqual(kinds('{{#Header}}<h1 class="h">{{Header}}</h1>{{/Header}}'), [
    "section",
    "element",
    "tag",
  ]);
  const section = segments[0];
  assert.ok(section?.kind === "section" && section.field === "Header" && !section.inverted);
});

test("scripts, comments, event attributes and Anki tags in attributes are opaque", () => {
  const [example] = realWorld;
  const reasons = flatten(parseTemplate(example!.template)).map((s) =>
    s.kind === "raw" ? s.reason : s.kind === "element" ? (s.locked ?? "") : "",
  );
  assert.ok(reasons.some((r) => r.includes("event attribute onclick")));
  assert.ok(reasons.some((r) => r.includes("<script>")));
  assert.ok(reasons.some((r) => r.includes("comment")));
  const segments = flatten(parseTemplate(realWorld[1]!.template));
  // <div class="{{Tags}}"> and <a href="…{{text:Front}}">: tags kept, content editable.
  const locked = segments.filter((s) => s.kind === "element" && s.locked !== undefined);
  assert.deepEqual(
    locked.map((s) => (s.kind === "element" ? s.tag : "")),
    ["div", "a"],
  );
  assert.ok(segments.some((s) => s.kind === "tag" && s.field === "Front"));
  // <img src="{{text:Image}}"> (no content to edit) and an unreadable tag stay raw.
  const rawTags = segments.filter((s) => s.kind === "raw" && s.source.includes("{{"));
  assert.deepEqual(
    rawTags.map((s) => (s.kind === "raw" ? s.reason : "")),
    ["Anki tags inside an attribute", "a tag it cannot read (Anki tags inside it?)"],
  );
});

test("a section crossing an element: its tags stay raw, the element stays editable", () => {
  const segments = parseTemplate("<div>{{#F}}</div>{{/F}}");
  assert.equal(serializeSegments(segments), "<div>{{#F}}</div>{{/F}}");
  assert.deepEqual(kinds("<div>{{#F}}</div>{{/F}}"), ["element", "raw", "raw"]);
});

test("many unclosed paragraphs read in linear time (failed openers are remembered)", () => {
  const text = "<p>x".repeat(2000);
  assert.equal(serializeSegments(parseTemplate(text)), text);
});

test("a managed rule is replaced in place, other rules stay byte for byte", () => {
  const css = realWorld[0]!.css;
  const updated = setManagedRule(css, "atd-1", "color: blue; font-size: 20px;");
  assert.equal(
    updated,
    css.replace(".atd-1 { color: red; }", ".atd-1 { color: blue; font-size: 20px; }"),
  );
  assert.deepEqual([...managedRules(updated)], [["atd-1", "color: blue; font-size: 20px;"]]);
  assert.equal(setManagedRule(updated, "atd-2", "margin: 0;"), `${updated}.atd-2 { margin: 0; }\n`);
  assert.throws(() => setManagedRule(css, "card", "color: red;"), /only writes \.atd-/);
});

test("only top-level .atd-N rules are managed: comments, strings and @media are skipped", () => {
  const css =
    '/* .atd-1 { color: red; } */\n.a::after { content: "}"; }\n' +
    "@media (max-width: 1px) { .atd-1 { color: blue; } }\n.atd-1 { color: green; }\n";
  assert.deepEqual([...managedRules(css)], [["atd-1", "color: green;"]]);
  const updated = setManagedRule(css, "atd-1", "color: black;");
  assert.equal(updated, css.replace(".atd-1 { color: green; }", ".atd-1 { color: black; }"));
  assert.equal(setManagedRule(css, "atd-1", ""), css.replace(".atd-1 { color: green; }\n", ""));
});

test("unclosed script, comment and tag run to the end as raw, still byte for byte", () => {
  for (const text of [
    "<b>x</b><script>let s = '</scr' + 'ipt>';",
    "{{Front}}<!-- never closed {{Back}}",
    '<div class="a',
    "<div>{{#A}}<p>{{^B}}</div>{{/A}}{{/B}}</p>",
    "",
  ]) {
    assert.equal(serializeSegments(parseTemplate(text)), text);
  }
});

test("style values that would break the stylesheet are refused with a reason", () => {
  assert.equal(valueProblem("30px"), null);
  assert.equal(valueProblem('"Noto Sans", serif'), null);
  assert.match(valueProblem("red} .card { color: blue")!, /cannot contain \{ \} or ;/);
  assert.match(valueProblem("red; color: blue")!, /cannot contain/);
  assert.match(valueProblem("/* x */ red")!, /comment/);
  assert.match(valueProblem('"Noto Sans')!, /unclosed quote/);
  assert.deepEqual(
    [...parseDeclarations("font-size: 30px; color: red;")],
    [
      ["font-size", "30px"],
      ["color", "red"],
    ],
  );
});

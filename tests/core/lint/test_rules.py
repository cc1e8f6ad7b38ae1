"""Every lint rule fires on a bad example, stays silent on a good one, and its fix silences it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pytest
from anki.collection import Collection

from anki_template_designer.core.lint import (
    Diagnostic,
    Part,
    Severity,
    apply_fixes,
    default_rules,
    lint_notetype,
)
from anki_template_designer.core.model import CardTemplate, Field, Note, NoteType, NoteTypeKind
from anki_template_designer.core.schema11 import from_schema11

GOOD_CSS = ".card { font-size: 20px; text-align: center; }\n"
GOOD_BACK = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"


@dataclass(frozen=True)
class Case:
    """A note type built from a few texts; the defaults lint clean."""

    front: str = "{{Front}}"
    back: str = GOOD_BACK
    css: str = GOOD_CSS
    cloze: bool = False
    fields: tuple[str, ...] = ("Front", "Back")
    second_front: str | None = None
    samples: tuple[dict[str, str], ...] = field(default_factory=tuple)

    def notetype(self) -> NoteType:
        """The note type the case describes."""
        templates = [CardTemplate("Card 1", self.front, self.back)]
        if self.second_front is not None:
            templates.append(CardTemplate("Card 2", self.second_front, self.back))
        return NoteType(
            name="Case",
            fields=tuple(Field(name) for name in self.fields),
            templates=tuple(templates),
            css=self.css,
            kind=NoteTypeKind.CLOZE if self.cloze else NoteTypeKind.STANDARD,
        )

    def notes(self) -> list[Note]:
        """The sample notes."""
        return [Note(fields=MappingProxyType(sample)) for sample in self.samples]


CLOZE = {"front": "{{cloze:Text}}", "back": "{{cloze:Text}}", "cloze": True, "fields": ("Text",)}

# rule id → (bad case, good case, whether the bad case has a fix)
CASES: dict[str, tuple[Case, Case, bool]] = {
    "template-syntax": (Case(front="{{#Front}}{{Front}}"), Case(), False),
    "unknown-field": (Case(front="{{front}}"), Case(), True),
    "no-front-field": (Case(front="What is it?"), Case(), True),
    "identical-fronts": (
        Case(second_front="{{Front}}"),
        Case(second_front="{{Back}}"),
        False,
    ),
    "missing-cloze": (Case(**{**CLOZE, "back": "{{Text}}"}), Case(**CLOZE), True),
    "cloze-on-standard": (Case(front="{{cloze:Front}}"), Case(), True),
    "frontside-section": (
        Case(back="{{#FrontSide}}{{FrontSide}}{{/FrontSide}}<hr id=answer>{{Back}}"),
        Case(),
        True,
    ),
    "blank-front": (
        Case(front="{{#Back}}{{Front}}{{/Back}}", samples=({"Front": "", "Back": "b"},)),
        Case(samples=({"Front": "f", "Back": "b"},)),
        False,
    ),
    "frontside-on-front": (Case(front="{{Front}}{{FrontSide}}"), Case(), True),
    "back-without-frontside": (Case(back="{{Back}}"), Case(), True),
    "img-alt": (
        Case(front="{{Front}}<img src='_a.png'>"),
        Case(front="{{Front}}<img alt='' src='_a.png'>"),
        True,
    ),
    "external-resource": (
        Case(front='{{Front}}<script src="https://cdn.example/x.js"></script>'),
        Case(front='{{Front}}<script src="_x.js"></script><a href="https://ankiweb.net">x</a>'),
        False,
    ),
    "media-underscore": (
        Case(css=GOOD_CSS + "@font-face { font-family: f; src: url(font.woff2); }"),
        Case(css=GOOD_CSS + "@font-face { font-family: f; src: url(_font.woff2); }"),
        False,
    ),
    "platform-javascript": (
        Case(front="{{Front}}<script>pycmd('ans')</script>"),
        Case(front="{{Front}}<script>if (typeof pycmd === 'function') pycmd('ans')</script>"),
        False,
    ),
    "huge-inline-data": (
        Case(
            css=GOOD_CSS
            + ".x { background-image: url(data:image/png;base64,"
            + "A" * 40_000
            + "); }"
        ),
        Case(css=GOOD_CSS + ".x { background-image: url(data:image/png;base64,AAAA); }"),
        False,
    ),
    "no-night-mode": (
        Case(css=GOOD_CSS + ".hint { color: #333; }"),
        Case(css=GOOD_CSS + ".hint { color: #333; }\n.nightMode .hint { color: #ccc; }"),
        True,
    ),
    "contrast": (
        Case(css=".card { color: #999; background-color: white; }"),
        Case(css=".card { color: #222; background-color: white; }"),
        False,
    ),
    "expensive-css": (
        Case(css=GOOD_CSS + "* { box-sizing: border-box; }"),
        Case(css=GOOD_CSS + ".card > .box { box-sizing: border-box; }"),
        False,
    ),
}


def _rules_of(diagnostics: list[Diagnostic]) -> set[str]:
    return {d.rule for d in diagnostics}


def test_every_rule_has_a_case() -> None:
    assert {rule.id for rule in default_rules()} == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_bad_and_is_silent_on_good(rule_id: str) -> None:
    bad, good, _ = CASES[rule_id]
    found = lint_notetype(bad.notetype(), bad.notes())
    assert rule_id in _rules_of(found), [d.message for d in found]
    clean = lint_notetype(good.notetype(), good.notes())
    assert clean == [], [f"{d.rule}: {d.message}" for d in clean]


@pytest.mark.parametrize("rule_id", sorted(r for r, (_, _, fixable) in CASES.items() if fixable))
def test_fix_silences_the_rule(rule_id: str) -> None:
    bad, _, _ = CASES[rule_id]
    notetype = bad.notetype()
    mine = [d for d in lint_notetype(notetype, bad.notes()) if d.rule == rule_id]
    assert mine and all(d.fix is not None for d in mine)
    fixed, applied = apply_fixes(notetype, mine)
    assert applied == len(mine)
    assert rule_id not in _rules_of(lint_notetype(fixed, bad.notes()))


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_diagnostics_are_complete_and_located(rule_id: str) -> None:
    bad, _, _ = CASES[rule_id]
    notetype = bad.notetype()
    for d in lint_notetype(notetype, bad.notes()):
        assert d.explanation and d.docs_url.startswith("https://")
        assert d.severity in Severity
        where = d.location
        text = (
            notetype.css
            if where.part is Part.CSS
            else getattr(
                notetype.templates[where.template or 0], where.part.value.replace(" ", "_")
            )
        )
        assert 0 <= where.start <= where.end <= len(text)
        before = text[: where.start]
        assert where.line == before.count("\n") + 1
        assert where.column == len(before) - (before.rfind("\n") + 1) + 1


def test_unknown_field_fix_prefers_the_same_name_in_another_case() -> None:
    notetype = Case(front="{{#front}}{{text:front}}{{/front}}").notetype()
    fixed, _ = apply_fixes(notetype, lint_notetype(notetype))
    assert fixed.templates[0].front == "{{#Front}}{{text:Front}}{{/Front}}"


def test_unknown_field_without_a_close_name_is_removed_but_sections_are_kept() -> None:
    notetype = Case(front="{{Front}}{{Zebra}}{{#Quux}}x{{/Quux}}").notetype()
    found = [d for d in lint_notetype(notetype) if d.rule == "unknown-field"]
    assert [d.fix is not None for d in found] == [True, False]
    fixed, _ = apply_fixes(notetype, found)
    assert fixed.templates[0].front == "{{Front}}{{#Quux}}x{{/Quux}}"


def test_a_front_showing_card_may_repeat() -> None:
    case = Case(front="{{Front}} {{Card}}", second_front="{{Front}} {{Card}}")
    assert "identical-fronts" not in _rules_of(lint_notetype(case.notetype()))


def test_contrast_is_reported_per_mode_with_the_platforms() -> None:
    # AnkiDroid and AnkiMobile give night mode a black background; #333 text stays dark
    # there, while desktop's own night rule (body.nightMode) outranks the .card rule.
    css = "html body.card { color: #333; }"
    found = [d for d in lint_notetype(Case(css=css).notetype()) if d.rule == "contrast"]
    assert len(found) == 1
    message = found[0].message
    assert "night mode" in message and "AnkiDroid" in message and "AnkiMobile" in message


def test_stock_night_rules_win_over_the_stock_card_colours() -> None:
    css = ".card { color: black; background-color: white; }"
    assert lint_notetype(Case(css=css).notetype()) == []


def test_inner_element_pair_contrast() -> None:
    css = GOOD_CSS + ".tag { color: #aaa; background: #fff; }\n.nightMode .tag { color: #eee; }"
    found = [d for d in lint_notetype(Case(css=css).notetype()) if d.rule == "contrast"]
    assert len(found) == 1 and "'.tag'" in found[0].message


def test_comments_hide_html_from_the_rules() -> None:
    case = Case(front="{{Front}}<!-- <img src='https://x/a.png'> -->")
    assert lint_notetype(case.notetype()) == []


def test_invalid_css_is_linted_leniently() -> None:
    case = Case(css="}}} .card { color: ; } @media { .x { color: red } ")
    assert all(d.rule != "template-syntax" for d in lint_notetype(case.notetype()))


@pytest.fixture(scope="module")
def stock_notetypes(tmp_path_factory: pytest.TempPathFactory) -> list[NoteType]:
    """Every note type a new Anki collection has, read from the anki package."""
    path: Path = tmp_path_factory.mktemp("stock") / "collection.anki2"
    col = Collection(str(path))
    try:
        return [from_schema11(model) for model in col.models.all()]
    finally:
        col.close()


def test_no_rule_fires_on_ankis_stock_note_types(stock_notetypes: list[NoteType]) -> None:
    assert len(stock_notetypes) >= 6
    for notetype in stock_notetypes:
        found = lint_notetype(notetype)
        assert found == [], (notetype.name, [f"{d.rule}: {d.message}" for d in found])


def test_night_mode_fix_does_not_trade_one_finding_for_another() -> None:
    css = GOOD_CSS + "div p span b { color: #333; }\n"
    notetype = Case(css=css).notetype()
    fixed, _ = apply_fixes(
        notetype, [d for d in lint_notetype(notetype) if d.rule == "no-night-mode"]
    )
    after = [d for d in lint_notetype(fixed) if d.rule == "expensive-css"]
    assert len(after) == 1 and "div p span b" in after[0].message

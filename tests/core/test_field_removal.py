"""Removing a field rewrites the templates exactly as Anki does (the anki package is the oracle)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from anki_template_designer.core.field_removal import FieldRemovalError, remove_field_references
from anki_template_designer.core.model import CardTemplate, Field, NoteType
from anki_template_designer.core.schema11 import from_schema11

SIDES = ("qfmt", "afmt", "bqfmt", "bafmt")


@dataclass(frozen=True)
class Case:
    """A note type (fields, card types as schema-11 side texts) and the field to remove."""

    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str, str], ...]
    remove: str
    cloze: bool = False
    sort_field: int = 0


CASES = {
    "basic back": Case(
        ("Front", "Back"), (("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}", "", ""),), "Back"
    ),
    "basic front": Case(
        ("Front", "Back"), (("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}", "", ""),), "Front"
    ),
    "sections keep their content": Case(
        ("A", "B"),
        (("{{#B}}x{{B}}{{/B}}{{^B}}y{{/B}} {{A}}", "{{#A}}{{#B}}z{{/B}}{{/A}}", "", ""),),
        "B",
    ),
    "filters and hints": Case(
        ("A", "B"), (("{{text:B}} {{hint:B}} {{type:B}} {{A}}", "{{B}}", "", ""),), "B"
    ),
    "a side without the field is untouched": Case(
        ("A", "B", "C"), (("{{B}}", "{{C}}", "", ""), ("static {{C}}", "{{C}}", "", "")), "B"
    ),
    "special fields count as replacements": Case(
        ("A", "B"), (("{{Tags}} {{B}}", "{{Deck}}", "", ""),), "B"
    ),
    "browser sides": Case(
        ("A", "B"), (("{{A}}<br>", "{{B}}", "", "{{B}}"), ("{{B}}{{A}}", "x", "{{B}}", "")), "B"
    ),
    "comments are not templates": Case(
        ("A", "B"), (("<!-- {{B}} -->{{A}}", "<!--{{B}}-->", "", ""),), "B"
    ),
    "cloze text": Case(
        ("Text", "Extra"),
        (("{{cloze:Text}}", "{{cloze:Text}}<br>{{Extra}}", "", ""),),
        "Text",
        cloze=True,
    ),
    "cloze extra": Case(
        ("Text", "Extra"),
        (("{{cloze:Text}}", "{{cloze:Text}}<br>{{#Extra}}{{Extra}}{{/Extra}}", "", ""),),
        "Extra",
        cloze=True,
    ),
    "sort field after the removed one": Case(
        ("A", "B", "C"), (("{{A}}{{B}}", "{{C}}", "", ""),), "B", sort_field=2
    ),
    "sort field is the removed one": Case(
        ("A", "B", "C"), (("{{A}}{{B}}", "{{C}}", "", ""),), "B", sort_field=1
    ),
    "sort field is the removed last one": Case(
        ("A", "B", "C"), (("{{A}}{{C}}", "{{C}}", "", ""),), "C", sort_field=2
    ),
}


@pytest.fixture(scope="module")
def col(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collection]:
    """A throwaway collection whose Rust backend is the oracle."""
    collection = Collection(str(Path(tmp_path_factory.mktemp("oracle")) / "collection.anki2"))
    yield collection
    collection.close()


def _in_anki(col: Collection, name: str, case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
    """The note type as Anki stored it, and as Anki stored it after removing the field."""
    models = col.models
    notetype = models.new(name)
    notetype["type"] = 1 if case.cloze else 0
    for field in case.fields:
        models.add_field(notetype, models.new_field(field))
    for index, texts in enumerate(case.templates):
        template = models.new_template(f"Card {index + 1}")
        template.update(zip(SIDES, texts, strict=True))
        models.add_template(notetype, template)
    notetype["sortf"] = case.sort_field
    models.add(notetype)
    stored_before = models.by_name(name)
    assert stored_before is not None
    before = copy.deepcopy(stored_before)  # by_name may hand out the dict it keeps
    after = copy.deepcopy(stored_before)
    models.remove_field(after, next(f for f in after["flds"] if f["name"] == case.remove))
    models.update_dict(after)
    stored = models.by_name(name)
    assert stored is not None
    return before, stored


@pytest.mark.parametrize("name", sorted(CASES))
def test_templates_match_anki_after_removing_a_field(col: Collection, name: str) -> None:
    case = CASES[name]
    before, after = _in_anki(col, name, case)
    removed = remove_field_references(from_schema11(before), case.remove)
    expected = from_schema11(after)
    assert removed.field_names == expected.field_names
    assert removed.sort_field == expected.sort_field
    for mine, anki in zip(removed.templates, expected.templates, strict=True):
        assert (mine.front, mine.back, mine.browser_front, mine.browser_back) == (
            anki.front,
            anki.back,
            anki.browser_front,
            anki.browser_back,
        )


def _notetype(front: str, back: str = "{{B}}") -> NoteType:
    return NoteType(
        name="T", fields=(Field("A"), Field("B")), templates=(CardTemplate("Card 1", front, back),)
    )


def test_other_bytes_stay_put() -> None:
    # Anki would print "{{ A }}" back as "{{A}}"; only the removed tags go here.
    removed = remove_field_references(_notetype("{{ A }} and {{ B }}\r\n<b>{{#B}}x{{/B}}</b>"), "B")
    assert removed.templates[0].front == "{{ A }} and \r\n<b>x</b>"


def test_a_template_that_does_not_parse_is_left_alone() -> None:
    removed = remove_field_references(_notetype("{{#B}}{{A}}", "{{B}}"), "B")
    assert removed.templates[0].front == "{{#B}}{{A}}"
    assert removed.templates[0].back == ""


def test_unknown_field_is_an_error() -> None:
    with pytest.raises(FieldRemovalError, match="has no field 'C'; its fields are A, B"):
        remove_field_references(_notetype("{{A}}"), "C")


def test_the_only_field_cannot_be_removed() -> None:
    notetype = NoteType(name="T", fields=(Field("A"),), templates=(CardTemplate("C", "{{A}}", ""),))
    with pytest.raises(FieldRemovalError, match="only field"):
        remove_field_references(notetype, "A")

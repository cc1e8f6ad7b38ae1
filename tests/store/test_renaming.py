"""Renaming fields and card types: templates change only where the field name is."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import MappingProxyType

import pytest

from anki_template_designer.core.model import CardTemplate, Field, Note, NoteType
from anki_template_designer.formats.bundle import NoteTypeBundle
from anki_template_designer.store import DuplicateName, InvalidName, NotFound, Workspace
from anki_template_designer.store.renaming import rename_field_in_template

CASES = [
    ("{{Front}}", "{{Word}}"),
    ("a {{ Front }} b", "a {{ Word }} b"),
    ("{{text:Front}} {{furigana:Front}}", "{{text:Word}} {{furigana:Word}}"),
    ("{{tts en_US voices=Apple_Otoya:Front}}", "{{tts en_US voices=Apple_Otoya:Word}}"),
    ("{{type:cloze:Front}} {{cloze:Front}}", "{{type:cloze:Word}} {{cloze:Word}}"),
    ("{{#Front}}x{{/Front}}{{^Front}}y{{/Front}}", "{{#Word}}x{{/Word}}{{^Word}}y{{/Word}}"),
    ("{{# Front }}x{{/ Front}}", "{{# Word }}x{{/ Word}}"),
    (
        "{{#Back}}{{#Front}}{{Front}}{{/Front}}{{/Back}}",
        "{{#Back}}{{#Word}}{{Word}}{{/Word}}{{/Back}}",
    ),
    ("{{{Front}}}", "{{{Word}}}"),
    # A filter that happens to share the name is a filter, not the field.
    ("{{Front:Front}}", "{{Front:Word}}"),
    # Other names, case, plain text, comments: untouched.
    ("{{FrontSide}} {{front}} {{Front2}} Front <!-- {{Front}} -->", None),
    # Legacy delimiters: only <% %> tags are tags.
    ("{{=<% %>=}}<%Front%> {{Front}}", "{{=<% %>=}}<%Word%> {{Front}}"),
    # A template Anki cannot parse is left as it is, as Anki does.
    ("{{#Front}} unclosed {{Front}}", None),
    ("", None),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_rename_field_in_template(source: str, expected: str | None) -> None:
    assert rename_field_in_template(source, "Front", "Word") == (expected or source)


def test_rename_keeps_every_other_byte() -> None:
    source = "<div class='x'>\r\n\t{{ #Front }}{{hint:Front}}{{/Front}}\u00a0é{{Back}}\n</div>"
    renamed = rename_field_in_template(source, "Front", "Fläche:2")
    assert renamed.replace("Fläche:2", "Front") == source


def _bundle() -> NoteTypeBundle:
    notetype = NoteType(
        name="Vocab",
        fields=(Field("Word"), Field("Meaning", MappingProxyType({"rtl": False}))),
        templates=(
            CardTemplate(
                "Recognise",
                "{{Word}}",
                "{{FrontSide}}<hr id=answer>{{ Meaning }}{{#Meaning}}!{{/Meaning}}",
                browser_back="{{text:Meaning}}",
            ),
            CardTemplate("Recall", "{{Meaning}}", "{{#Meaning}}broken", browser_front="Meaning"),
        ),
        css=".card { }",
    )
    samples = (
        Note(MappingProxyType({"Word": "猫", "Meaning": "cat"}), tags=("n5",)),
        Note(MappingProxyType({"Word": "犬"})),
    )
    return NoteTypeBundle(notetype, samples)


def test_workspace_rename_field_updates_templates_samples_and_options(
    workspace: Workspace,
) -> None:
    before = workspace.save_notetype(_bundle(), "ann")
    revision = workspace.rename_field("Vocab", "Meaning", "Gloss", author="bob")
    assert revision.id > before.id
    nt = workspace.get_notetype("Vocab").notetype
    assert nt.field_names == ("Word", "Gloss")
    assert dict(nt.fields[1].extra) == {"rtl": False}
    recognise, recall = nt.templates
    assert recognise.back == "{{FrontSide}}<hr id=answer>{{ Gloss }}{{#Gloss}}!{{/Gloss}}"
    assert recognise.browser_back == "{{text:Gloss}}"
    assert recall.front == "{{Gloss}}"
    assert recall.back == "{{#Meaning}}broken"  # does not parse: left alone, as in Anki
    assert recall.browser_front == "Meaning"
    samples = workspace.get_notetype("Vocab").samples
    assert [dict(s.fields) for s in samples] == [{"Word": "猫", "Gloss": "cat"}, {"Word": "犬"}]
    assert list(samples[0].fields) == ["Word", "Gloss"]  # order kept


def test_workspace_rename_field_errors(workspace: Workspace) -> None:
    saved = workspace.save_notetype(_bundle(), "ann")
    with pytest.raises(NotFound, match="no field 'Nope'; its fields are Word, Meaning"):
        workspace.rename_field("Vocab", "Nope", "X", author="ann")
    with pytest.raises(DuplicateName, match="already has a field 'Word'"):
        workspace.rename_field("Vocab", "Meaning", "Word", author="ann")
    for bad in ("a:b", "{x}", '"q"', "#x", "/x", "^x", " x", "", "x "):
        with pytest.raises(InvalidName):
            workspace.rename_field("Vocab", "Meaning", bad, author="ann")
    assert workspace.rename_field("Vocab", "Meaning", "Meaning", author="ann") == saved
    assert workspace.revisions("Vocab") == [saved]


def test_workspace_rename_card_type(workspace: Workspace) -> None:
    workspace.save_notetype(_bundle(), "ann")
    workspace.rename_card_type("Vocab", "Recall", "Produce", author="ann")
    nt = workspace.get_notetype("Vocab").notetype
    assert [t.name for t in nt.templates] == ["Recognise", "Produce"]
    assert nt.templates[1].front == "{{Meaning}}"
    with pytest.raises(NotFound, match="no card type 'Recall'"):
        workspace.rename_card_type("Vocab", "Recall", "X", author="ann")
    with pytest.raises(DuplicateName):
        workspace.rename_card_type("Vocab", "Produce", "Recognise", author="ann")
    with pytest.raises(InvalidName):
        workspace.rename_card_type("Vocab", "Produce", 'Say "hi"', author="ann")


# Canonical templates (no spaces inside tags) are printed back by Anki unchanged,
# so there our byte-preserving rename must give exactly what Anki gives.
ANKI_TEMPLATES = [
    "{{Front}}<br>{{text:Front}}{{#Front}}[{{hint:Front}}]{{/Front}}{{^Front}}none{{/Front}}",
    "{{type:Front}}<!-- {{Front}} -->{{tts en_US:Front}}{{Back}}",
]


@pytest.mark.conformance
def test_rename_matches_anki(tmp_path: Path) -> None:
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        models = col.models
        nt = models.new("Renaming")
        for name in ("Front", "Back"):
            models.add_field(nt, models.new_field(name))
        for index, text in enumerate(ANKI_TEMPLATES):
            template = models.new_template(f"Card {index + 1}")
            template["qfmt"], template["afmt"] = text, "{{FrontSide}}" + text
            models.add_template(nt, template)
        models.add(nt)
        added = models.by_name("Renaming")
        assert added is not None
        models.rename_field(added, added["flds"][0], "Word")
        models.update_dict(added)
        saved = models.by_name("Renaming")
        assert saved is not None
        for template, text in zip(saved["tmpls"], ANKI_TEMPLATES, strict=True):
            assert template["qfmt"] == rename_field_in_template(text, "Front", "Word")
            assert template["afmt"] == rename_field_in_template(
                "{{FrontSide}}" + text, "Front", "Word"
            )
    finally:
        col.close()


def test_rename_keeps_unrelated_bundle_parts() -> None:
    from anki_template_designer.store.editing import rename_field

    bundle = dataclasses.replace(_bundle(), media=MappingProxyType({"a.png": b"1"}))
    renamed = rename_field(bundle, "Word", "Term")
    assert renamed.media == bundle.media
    assert renamed.notetype.css == bundle.notetype.css
    assert [t.name for t in renamed.notetype.templates] == ["Recognise", "Recall"]

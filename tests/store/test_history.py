"""Revisions: listing, viewing, diffing against the current state, restoring."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from anki_template_designer.core.schema11 import to_schema11
from anki_template_designer.store import Conflict, DuplicateName, Workspace

from .helpers import basic_bundle


def test_every_change_is_a_revision_with_author_time_and_summary(workspace: Workspace) -> None:
    first = workspace.save_notetype(basic_bundle(), "ann")
    second = workspace.rename_field("Basic", "Back", "Answer", author="bob")
    third = workspace.rename_card_type("Basic", "Card 1", "Forward", author="cy")
    listed = workspace.revisions("Basic")
    assert listed == [third, second, first]
    assert [r.author for r in listed] == ["cy", "bob", "ann"]
    assert second.summary == "rename field 'Back' to 'Answer'"
    assert third.summary == "rename card type 'Card 1' to 'Forward'"
    assert first.created_at <= second.created_at <= third.created_at
    assert len({r.content_hash for r in listed}) == 3


def test_get_revision_returns_the_saved_bundle(workspace: Workspace) -> None:
    bundle = basic_bundle()
    first = workspace.save_notetype(bundle, "ann")
    changed = dataclasses.replace(bundle, media=MappingProxyType({"new.png": b"\x89PNG"}))
    workspace.save_notetype(changed, "ann")
    old = workspace.get_revision(first.id)
    assert old.revision == first
    assert to_schema11(old.bundle.notetype) == to_schema11(bundle.notetype)
    assert old.bundle.samples == bundle.samples
    assert dict(old.bundle.media) == {"_font.woff": b"font bytes"}


def test_diff_shows_each_changed_file_against_the_current_state(workspace: Workspace) -> None:
    first = workspace.save_notetype(basic_bundle(), "ann")
    assert workspace.diff_revision(first.id) == ""
    bundle = basic_bundle(back="{{Back}}\n<div>new line</div>")
    nt = dataclasses.replace(bundle.notetype, css=".card { color: red; }")
    bundle = dataclasses.replace(
        bundle, notetype=nt, media=MappingProxyType({"_font.woff": b"v2", "a.png": b"png"})
    )
    current = workspace.save_notetype(bundle, "bob")
    diff = workspace.diff_revision(first.id)
    assert f"--- revision-{first.id}/Card_1.back.html\n" in diff
    assert f"+++ revision-{current.id}/Card_1.back.html\n" in diff
    assert "-{{FrontSide}}<hr id=answer>{{Back}}\n" in diff
    assert "+<div>new line</div>\n" in diff
    assert "-.card { color: black; }\n+.card { color: red; }\n" in diff
    assert "Card_1.front.html" not in diff  # unchanged files are not listed
    assert "media added: a.png (3 bytes)\n" in diff
    assert "media changed: _font.woff (10 → 2 bytes)\n" in diff
    assert workspace.diff_revision(current.id) == ""


def test_restore_makes_an_old_revision_current_as_a_new_revision(workspace: Workspace) -> None:
    first = workspace.save_notetype(basic_bundle(), "ann")
    second = workspace.rename_field("Basic", "Back", "Answer", author="bob")
    restored = workspace.restore_revision(first.id, "cy", expected_revision=second.id)
    assert restored.id > second.id
    assert restored.author == "cy"
    assert restored.summary == f"restore revision {first.id}"
    assert restored.content_hash == first.content_hash
    assert workspace.get_notetype("Basic").notetype.field_names == ("Front", "Back")
    assert workspace.diff_revision(first.id) == ""
    # Restoring what is already current changes nothing.
    assert workspace.restore_revision(first.id, "cy") == restored
    with pytest.raises(Conflict):
        workspace.restore_revision(second.id, "cy", expected_revision=second.id)


def test_restore_of_a_renamed_note_type_whose_old_name_is_taken(workspace: Workspace) -> None:
    first = workspace.save_notetype(basic_bundle("A"), "ann")
    workspace.save_notetype(basic_bundle("B"), "ann", notetype_id=first.notetype_id)
    workspace.save_notetype(basic_bundle("A"), "ann")  # a different note type, now named A
    with pytest.raises(DuplicateName):
        workspace.restore_revision(first.id, "ann")


def test_diff_falls_back_to_plain_files_when_the_folder_format_cannot_write(
    workspace: Workspace,
) -> None:
    bundle = basic_bundle()
    # A schema-11 option named like a folder-format key: the manifest cannot hold it.
    template = dataclasses.replace(
        bundle.notetype.templates[0], extra=MappingProxyType({"deck_override": 1})
    )
    nt = dataclasses.replace(bundle.notetype, templates=(template,))
    first = workspace.save_notetype(dataclasses.replace(bundle, notetype=nt), "ann")
    changed = dataclasses.replace(nt, templates=(dataclasses.replace(template, front="{{Back}}"),))
    workspace.save_notetype(dataclasses.replace(bundle, notetype=changed), "ann")
    diff = workspace.diff_revision(first.id)
    assert "-{{Front}}\n+{{Back}}\n" in diff
    assert "notetype.toml" not in diff

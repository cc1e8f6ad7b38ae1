"""The library listing kept between calls: always what reading every row afresh gives."""

from __future__ import annotations

import dataclasses

from anki_template_designer.core.model import Field
from anki_template_designer.store import Workspace
from anki_template_designer.store.library import LibraryIndex, read_summaries, sort_key
from anki_template_designer.store.records import NoteTypeSummary

from .helpers import basic_bundle


def _afresh(workspace: Workspace) -> list[NoteTypeSummary]:
    with workspace.engine.connect() as connection:
        return sorted(read_summaries(connection), key=sort_key)


def _check(workspace: Workspace) -> list[NoteTypeSummary]:
    listed = workspace.list_notetypes()
    assert listed == _afresh(workspace)
    return listed


def test_listing_follows_every_kind_of_write(workspace: Workspace) -> None:
    assert _check(workspace) == []
    workspace.import_bundles([basic_bundle(n) for n in ("Vocab", "basic", "Cloze")], "ann")
    first = _check(workspace)
    assert [s.name for s in first] == ["basic", "Cloze", "Vocab"]
    vocab = workspace.notetype_summary("Vocab")

    bundle = basic_bundle("Vocab")
    extra = (*bundle.notetype.fields, Field("Extra"))
    edited = dataclasses.replace(bundle.notetype, name="Words", fields=extra)
    workspace.save_edit(
        vocab.id, edited, bundle.samples, "ann", expected_revision=vocab.current_revision
    )
    words = next(s for s in _check(workspace) if s.id == vocab.id)
    assert (words.name, words.field_names) == ("Words", ("Front", "Back", "Extra"))

    workspace.rename_field(vocab.id, "Extra", "More", author="ann")
    workspace.rename_card_type(vocab.id, "Card 1", "Recall", author="ann")
    words = next(s for s in _check(workspace) if s.id == vocab.id)
    assert (words.field_names, words.card_type_names) == (("Front", "Back", "More"), ("Recall",))

    workspace.restore_revision(vocab.current_revision, "ann")
    assert next(s for s in _check(workspace) if s.id == vocab.id).name == "Vocab"

    workspace.delete_notetype("basic")
    workspace.create_notetype(basic_bundle("Another"), "ann")
    assert [s.name for s in _check(workspace)] == ["Another", "Cloze", "Vocab"]
    assert [s.name for s in workspace.list_notetypes("o")] == ["Another", "Cloze", "Vocab"]
    assert [s.name for s in workspace.list_notetypes("CLO")] == ["Cloze"]


def test_another_handle_sees_writes_it_did_not_make(database_url: str) -> None:
    # Another handle stands for another process: no change listener tells this one.
    with Workspace.open(database_url) as reader, Workspace.open(database_url) as writer:
        writer.import_bundles([basic_bundle("A"), basic_bundle("B")], "ann")
        assert [s.name for s in _check(reader)] == ["A", "B"]
        a = writer.notetype_summary("A")
        edited = dataclasses.replace(basic_bundle("A").notetype, name="C")
        writer.save_edit(a.id, edited, (), "bob", expected_revision=a.current_revision)
        assert [s.name for s in _check(reader)] == ["B", "C"]
        writer.delete_notetype("B")
        assert [s.name for s in _check(reader)] == ["C"]


def test_an_unchanged_workspace_reuses_the_listing(workspace: Workspace) -> None:
    workspace.import_bundles([basic_bundle("A"), basic_bundle("B")], "ann")
    index = LibraryIndex()
    with workspace.engine.connect() as connection:
        first = index.listing(connection)
        assert index.listing(connection) is first
    workspace.create_notetype(basic_bundle("C"), "ann")
    with workspace.engine.connect() as connection:
        second = index.listing(connection)
    assert second is not first
    assert [s.name for s in second] == ["A", "B", "C"]
    # Entries of note types that did not change are the very same objects.
    assert second[0] is first[0] and second[1] is first[1]


def test_a_note_type_with_its_summary_reads_as_the_two_calls(workspace: Workspace) -> None:
    workspace.import_bundles([basic_bundle("A"), basic_bundle("B")], "ann")
    workspace.rename_field("A", "Back", "Answer", author="ann")
    for name in ("A", "B", workspace.notetype_summary("B").id):
        summary, bundle = workspace.notetype_with_summary(name)
        assert summary == workspace.notetype_summary(name)
        assert bundle == workspace.get_notetype(name)

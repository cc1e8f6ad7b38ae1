"""The editor's autosaves: folded into one revision per burst, conflicts kept, no-ops free."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from anki_template_designer.core.model import NoteType
from anki_template_designer.store import Conflict, InvalidContent, NotFound, Revision, Workspace

from .helpers import basic_bundle

START = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
WINDOW = timedelta(seconds=20)


class Clock:
    """A clock the test moves by hand, so windows are crossed without waiting."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    """A hand-moved clock starting at a fixed time."""
    return Clock()


@pytest.fixture
def editing(database_url: str, clock: Clock) -> Iterator[Workspace]:
    """A workspace on each backend whose editor saves fold within 20 s of the hand clock."""
    with Workspace.open(database_url, fold_edits=WINDOW, clock=clock) as opened:
        yield opened


def _front(text: str) -> NoteType:
    notetype = basic_bundle().notetype
    card = dataclasses.replace(notetype.templates[0], front=text)
    return dataclasses.replace(notetype, templates=(card,))


def _edit(
    workspace: Workspace, base: Revision, text: str, author: str = "ann", expected: int = 0
) -> Revision:
    return workspace.save_edit(
        base.notetype_id,
        _front(text),
        basic_bundle().samples,
        author,
        expected_revision=expected or base.id,
    )


def test_a_burst_of_edits_folds_into_one_revision(editing: Workspace, clock: Clock) -> None:
    created = editing.save_notetype(basic_bundle(), "ann")
    clock.advance(1)
    first = _edit(editing, created, "{{Front}} 1")
    clock.advance(5)
    second = _edit(editing, first, "{{Front}} 12")
    clock.advance(5)
    third = _edit(editing, second, "{{Front}} 123")
    # Every save answers a new revision id; history keeps the state before the burst and
    # the burst's latest state, which spans from its first save to its last.
    assert created.id < first.id < second.id < third.id
    assert editing.revisions("Basic") == [third, created]
    assert third.started_at == START + timedelta(seconds=1)
    assert third.created_at == START + timedelta(seconds=11)
    assert third.summary == "edit"
    content = editing.get_revision(third.id).bundle
    assert content.notetype.templates[0].front == "{{Front}} 123"
    assert dict(content.media) == {"_font.woff": b"font bytes"}  # kept from the last save
    with pytest.raises(NotFound):
        editing.get_revision(second.id)


def test_the_window_counts_from_the_first_save_of_the_burst(
    editing: Workspace, clock: Clock
) -> None:
    created = editing.save_notetype(basic_bundle(), "ann")
    first = _edit(editing, created, "a")
    clock.advance(15)
    second = _edit(editing, first, "ab")
    clock.advance(10)  # 25 s after the burst began: a new revision, though only 10 s passed
    third = _edit(editing, second, "abc")
    assert editing.revisions("Basic") == [third, second, created]
    assert third.started_at == third.created_at


def test_other_authors_and_other_kinds_of_save_are_not_folded(
    editing: Workspace, clock: Clock
) -> None:
    created = editing.save_notetype(basic_bundle(), "ann")
    ann = _edit(editing, created, "a")
    bob = _edit(editing, ann, "ab", author="bob")
    renamed = editing.rename_field("Basic", "Back", "Answer", author="bob")
    after_rename = editing.save_edit(
        created.notetype_id,
        dataclasses.replace(
            editing.get_notetype("Basic").notetype,
            css=".card { color: red; }",
        ),
        editing.get_notetype("Basic").samples,
        "bob",
        expected_revision=renamed.id,
    )
    assert editing.revisions("Basic") == [after_rename, renamed, bob, ann, created]


def test_a_stale_tab_is_refused_after_the_other_tab_folded(editing: Workspace) -> None:
    created = editing.save_notetype(basic_bundle(), "ann")
    tab1 = _edit(editing, created, "tab 1")
    # The second tab loads tab 1's save and types on; its saves fold into tab 1's revision.
    tab2 = _edit(editing, tab1, "tab 2")
    with pytest.raises(Conflict) as refused:
        _edit(editing, tab1, "tab 1 again")
    assert (refused.value.expected, refused.value.current) == (tab1.id, tab2.id)
    with pytest.raises(Conflict):
        _edit(editing, created, "from before the burst")
    assert editing.get_notetype("Basic").notetype.templates[0].front == "tab 2"


def test_an_unchanged_save_writes_nothing(editing: Workspace) -> None:
    created = editing.save_notetype(basic_bundle(), "ann")
    same = editing.save_edit(
        created.notetype_id,
        basic_bundle().notetype,
        basic_bundle().samples,
        "bob",
        expected_revision=created.id,
    )
    assert same == created
    assert editing.revisions("Basic") == [created]


def test_edit_errors(editing: Workspace) -> None:
    created = editing.save_notetype(basic_bundle(), "ann")
    with pytest.raises(NotFound, match="Nope"):
        editing.save_edit("Nope", _front("x"), (), "ann", expected_revision=created.id)
    with pytest.raises(InvalidContent, match="NUL"):
        _edit(editing, created, "a\x00b")
    assert editing.revisions("Basic") == [created]


def test_edits_from_many_threads_all_land(editing: Workspace) -> None:
    bases = [editing.save_notetype(basic_bundle(f"Type {i}"), "ann") for i in range(8)]
    futures = [
        editing.submit_edit(
            base.notetype_id,
            dataclasses.replace(_front(f"edit {index}"), name=f"Type {index}"),
            (),
            "ann",
            expected_revision=base.id,
        )
        for index, base in enumerate(bases)
    ]
    saved = [future.result() for future in futures]
    for index, revision in enumerate(saved):
        summary = editing.notetype_summary(f"Type {index}")
        assert summary.current_revision == revision.id
        front = editing.get_notetype(f"Type {index}").notetype.templates[0].front
        assert front == f"edit {index}"

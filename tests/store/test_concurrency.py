"""Writers in several threads and two workspace handles on one database."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import pytest

from anki_template_designer.store import Conflict, Workspace

from .helpers import basic_bundle


def test_concurrent_writers_all_land(workspace: Workspace) -> None:
    base = workspace.save_notetype(basic_bundle(), "ann")

    def save(index: int) -> int:
        bundle = basic_bundle()
        nt = dataclasses.replace(bundle.notetype, css=f".card{{order:{index}}}")
        return workspace.save_notetype(dataclasses.replace(bundle, notetype=nt), f"w{index}").id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(save, range(16)))
    assert len(set(ids)) == 16
    revisions = workspace.revisions("Basic")
    assert len(revisions) == 17
    assert workspace.notetype_summary("Basic").current_revision == revisions[0].id
    assert base.id == revisions[-1].id


def test_two_handles_see_each_others_saves_and_conflicts(database_url: str) -> None:
    with Workspace.open(database_url) as tab1, Workspace.open(database_url) as tab2:
        first = tab1.save_notetype(basic_bundle(), "ann")
        seen = tab2.notetype_summary("Basic").current_revision
        assert seen == first.id
        edited = dataclasses.replace(
            basic_bundle(), notetype=dataclasses.replace(basic_bundle().notetype, css="tab1")
        )
        tab1.save_notetype(edited, "ann", expected_revision=seen)
        with pytest.raises(Conflict):
            tab2.save_notetype(basic_bundle(), "bob", expected_revision=seen)

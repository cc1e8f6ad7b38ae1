"""Workspace: opening, saving, reading, listing, deleting, and the errors on each path."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import pytest
from sqlalchemy import func, select

from anki_template_designer.core.model import CardTemplate, Field, NotetypeId, NoteTypeKind
from anki_template_designer.core.schema11 import to_schema11
from anki_template_designer.formats.bundle import NoteTypeBundle
from anki_template_designer.store import (
    Conflict,
    DuplicateName,
    InvalidContent,
    InvalidName,
    NotFound,
    StoreError,
    Workspace,
    database_url,
)
from anki_template_designer.store.tables import MediaBlobRow, RevisionRow
from anki_template_designer.store.workspace import DATABASE_FILE

from .helpers import basic_bundle


def _with_css(bundle: NoteTypeBundle, css: str) -> NoteTypeBundle:
    return dataclasses.replace(bundle, notetype=dataclasses.replace(bundle.notetype, css=css))


def _count(workspace: Workspace, table: type[MediaBlobRow] | type[RevisionRow]) -> int:
    with workspace.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


# Opening


def test_open_folder_creates_the_database_file(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "workspace"
    with Workspace.open(folder) as workspace:
        assert (folder / DATABASE_FILE).is_file()
        assert workspace.url.startswith("sqlite:///")
        first_id = workspace.meta()["workspace_id"]
    with Workspace.open(str(folder)) as again:
        assert again.meta()["workspace_id"] == first_id


def test_open_without_location_uses_env_url_then_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'from-env.sqlite3'}"
    monkeypatch.setenv("ATD_DATABASE_URL", url)
    assert database_url() == url
    monkeypatch.delenv("ATD_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    expected = tmp_path / "data" / "anki-template-designer" / DATABASE_FILE
    assert database_url() == f"sqlite:///{expected}"


def test_open_plain_postgresql_url_uses_psycopg3(postgres_url: str) -> None:
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with Workspace.open(plain) as workspace:
        assert workspace.engine.url.drivername == "postgresql+psycopg"
        workspace.save_notetype(basic_bundle(), "ann")
        assert [s.name for s in workspace.list_notetypes()] == ["Basic"]


def test_open_in_memory_sqlite_keeps_one_database() -> None:
    with Workspace.open("sqlite://") as workspace:
        workspace.save_notetype(basic_bundle(), "ann")
        assert workspace.get_notetype("Basic").notetype.name == "Basic"


def test_open_refuses_a_file_as_folder(tmp_path: Path) -> None:
    file = tmp_path / "not-a-folder"
    file.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        Workspace.open(file)


# Saving and reading


def test_save_then_get_round_trips_everything(workspace: Workspace) -> None:
    bundle = basic_bundle()
    nt = bundle.notetype
    rich = dataclasses.replace(
        nt,
        id=NotetypeId(1_700_000_000_123),
        kind=NoteTypeKind.CLOZE,
        sort_field=1,
        latex_pre="\\begin{document}",
        latex_post="\\end{document}",
        extra=MappingProxyType({"mod": 5, "req": [[0, "any", [0]]], "vers": []}),
        templates=(
            CardTemplate(
                "Card 1",
                "{{cloze:Front}}",
                "{{cloze:Front}} ünïcödé",
                browser_front="{{Front}}",
                deck_override=None,
                extra=MappingProxyType({"bfont": "Arial"}),
            ),
        ),
    )
    bundle = dataclasses.replace(bundle, notetype=rich)
    revision = workspace.save_notetype(bundle, "ann")
    loaded = workspace.get_notetype("Basic")
    assert to_schema11(loaded.notetype) == to_schema11(rich)
    assert loaded.samples == bundle.samples
    assert dict(loaded.media) == dict(bundle.media)
    assert workspace.get_notetype(revision.notetype_id) == loaded
    assert revision.author == "ann"
    assert revision.created_at.tzinfo is not None
    assert len(revision.content_hash) == 64


def test_identical_content_makes_no_new_revision(workspace: Workspace) -> None:
    first = workspace.save_notetype(basic_bundle(), "ann")
    assert workspace.save_notetype(basic_bundle(), "bob") == first
    # Anki's bookkeeping keys alone do not count as an edit.
    bumped = basic_bundle()
    extra = MappingProxyType({"mod": 99, "usn": -1})
    bumped = dataclasses.replace(bumped, notetype=dataclasses.replace(bumped.notetype, extra=extra))
    assert workspace.save_notetype(bumped, "bob") == first
    second = workspace.save_notetype(_with_css(basic_bundle(), "b"), "bob")
    assert second.id > first.id
    assert [r.id for r in workspace.revisions("Basic")] == [second.id, first.id]


def test_save_by_id_can_rename_and_duplicate_names_are_refused(workspace: Workspace) -> None:
    first = workspace.save_notetype(basic_bundle("A"), "ann")
    workspace.save_notetype(basic_bundle("B"), "ann")
    renamed = basic_bundle("A2")
    workspace.save_notetype(renamed, "ann", notetype_id=first.notetype_id)
    assert [s.name for s in workspace.list_notetypes()] == ["A2", "B"]
    with pytest.raises(DuplicateName, match="'B' already exists"):
        workspace.save_notetype(basic_bundle("B"), "ann", notetype_id=first.notetype_id)
    with pytest.raises(DuplicateName):
        workspace.create_notetype(basic_bundle("B"), "ann")
    with pytest.raises(NotFound):
        workspace.save_notetype(basic_bundle("C"), "ann", notetype_id="0" * 32)


def test_stale_expected_revision_is_a_conflict(workspace: Workspace) -> None:
    first = workspace.save_notetype(basic_bundle(), "ann")
    second = workspace.save_notetype(
        _with_css(basic_bundle(), "x"), "ann", expected_revision=first.id
    )
    with pytest.raises(Conflict, match=f"since revision {first.id}") as caught:
        workspace.save_notetype(_with_css(basic_bundle(), "y"), "bob", expected_revision=first.id)
    assert (caught.value.expected, caught.value.current) == (first.id, second.id)
    assert workspace.get_notetype("Basic").notetype.css == "x"
    with pytest.raises(Conflict, match="deleted or renamed"):
        workspace.save_notetype(basic_bundle("Gone"), "bob", expected_revision=first.id)
    with pytest.raises(Conflict):
        workspace.delete_notetype("Basic", expected_revision=first.id)


@pytest.mark.parametrize(
    "name",
    ["../evil.png", "a/b.png", "a\\b.png", "..", ".", "", "C:evil.png", "nul\x00.png", "tab\t.png"],
)
def test_media_names_with_path_tricks_are_refused(workspace: Workspace, name: str) -> None:
    bundle = dataclasses.replace(basic_bundle(), media=MappingProxyType({name: b"x"}))
    with pytest.raises(InvalidName, match="media name"):
        workspace.save_notetype(bundle, "ann")
    assert workspace.list_notetypes() == []


def test_invalid_notetypes_are_refused(workspace: Workspace) -> None:
    nt = basic_bundle().notetype

    def attempt(**changes: object) -> None:
        bundle = NoteTypeBundle(dataclasses.replace(nt, **changes))  # type: ignore[arg-type]
        workspace.save_notetype(bundle, "ann")

    with pytest.raises(DuplicateName, match="two fields named 'Front'"):
        attempt(fields=(Field("Front"), Field("Front")))
    with pytest.raises(InvalidName, match="Anki forbids"):
        attempt(fields=(Field("A:B"),))
    with pytest.raises(InvalidContent, match="no card types"):
        attempt(templates=())
    with pytest.raises(InvalidContent, match="NUL"):
        attempt(css="a\x00b")
    with pytest.raises(InvalidContent, match="JSON"):
        attempt(extra=MappingProxyType({"when": datetime.now(UTC)}))
    with pytest.raises(InvalidName, match="not blank"):
        attempt(name="  ")
    assert workspace.list_notetypes() == []


# Listing and deleting


def test_list_searches_names_ignoring_case(workspace: Workspace) -> None:
    workspace.import_bundles([basic_bundle(n) for n in ("Vocab", "basic", "Cloze 50%")], "ann")
    assert [s.name for s in workspace.list_notetypes()] == ["basic", "Cloze 50%", "Vocab"]
    assert [s.name for s in workspace.list_notetypes("VOC")] == ["Vocab"]
    assert [s.name for s in workspace.list_notetypes("50%")] == ["Cloze 50%"]
    assert workspace.list_notetypes("_") == []
    summary = workspace.notetype_summary("Vocab")
    assert summary.field_names == ("Front", "Back")
    assert summary.card_type_names == ("Card 1",)
    assert summary.current_revision == workspace.revisions("Vocab")[0].id


def test_import_bundles_updates_by_name_in_one_transaction(workspace: Workspace) -> None:
    workspace.import_bundles([basic_bundle("A")], "ann")
    bad_media = dataclasses.replace(basic_bundle("B"), media=MappingProxyType({"../x": b""}))
    with pytest.raises(InvalidName):
        workspace.import_bundles([_with_css(basic_bundle("A"), "changed"), bad_media], "ann")
    # The failed import changed nothing, not even the first bundle.
    assert workspace.get_notetype("A").notetype.css == basic_bundle().notetype.css
    assert [s.name for s in workspace.list_notetypes()] == ["A"]
    revisions = workspace.import_bundles(
        [basic_bundle("Z"), _with_css(basic_bundle("A"), "changed")], "bob"
    )
    assert [r.notetype_id for r in revisions] == [
        workspace.notetype_summary(name).id for name in ("Z", "A")
    ]
    assert revisions[1].summary == "import"
    assert len(workspace.revisions("A")) == 2


def test_delete_removes_history_and_unused_media_only(workspace: Workspace) -> None:
    workspace.save_notetype(basic_bundle("A"), "ann")
    workspace.save_notetype(basic_bundle("B"), "ann")  # same font bytes: one shared blob
    other = dataclasses.replace(basic_bundle("A"), media=MappingProxyType({"x.png": b"only A"}))
    workspace.save_notetype(other, "ann")
    assert _count(workspace, MediaBlobRow) == 2
    workspace.delete_notetype("A")
    with pytest.raises(NotFound, match="no note type 'A'"):
        workspace.get_notetype("A")
    assert _count(workspace, MediaBlobRow) == 1  # B still uses the font
    assert _count(workspace, RevisionRow) == 1
    assert dict(workspace.get_notetype("B").media) == {"_font.woff": b"font bytes"}
    with pytest.raises(NotFound):
        workspace.delete_notetype("A")


def test_not_found_everywhere(workspace: Workspace) -> None:
    for call in (
        lambda: workspace.get_notetype("nope"),
        lambda: workspace.notetype_summary("nope"),
        lambda: workspace.revisions("nope"),
        lambda: workspace.get_revision(12345),
        lambda: workspace.diff_revision(12345),
        lambda: workspace.restore_revision(12345, "ann"),
        lambda: workspace.rename_field("nope", "a", "b", author="ann"),
        lambda: workspace.rename_card_type("nope", "a", "b", author="ann"),
    ):
        with pytest.raises(NotFound):
            call()

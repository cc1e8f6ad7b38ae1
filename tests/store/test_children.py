"""Saving over stored child rows: swaps, renames, removals and reorders all land exactly."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

from anki_template_designer.core.model import CardTemplate, Field, Note
from anki_template_designer.formats.bundle import NoteTypeBundle
from anki_template_designer.store import Workspace

from .helpers import basic_bundle


def _assert_stored(workspace: Workspace, bundle: NoteTypeBundle) -> None:
    loaded = workspace.get_notetype(bundle.notetype.name)
    assert loaded.notetype.fields == bundle.notetype.fields
    assert [f.name for f in loaded.notetype.fields] == [f.name for f in bundle.notetype.fields]
    assert loaded.notetype.templates == bundle.notetype.templates
    assert loaded.samples == bundle.samples
    assert [list(s.fields) for s in loaded.samples] == [list(s.fields) for s in bundle.samples]
    assert dict(loaded.media) == dict(bundle.media)


def test_each_kind_of_child_change_is_stored(workspace: Workspace) -> None:
    first = basic_bundle()
    nt = first.notetype
    three = dataclasses.replace(
        nt,
        fields=(*nt.fields, Field("Extra")),
        templates=(*nt.templates, CardTemplate("Card 2", "{{Back}}", "{{Front}}")),
    )
    notes = (
        Note(MappingProxyType({"Front": "a", "Back": "b", "Extra": "c"})),
        Note(MappingProxyType({"Front": "d", "Back": "e", "Extra": "f"}), flag=3),
    )
    start = NoteTypeBundle(three, notes, MappingProxyType({"a.png": b"a", "b.png": b"b"}))
    revision = workspace.save_notetype(start, "ann")
    _assert_stored(workspace, start)
    f0, f1, f2 = three.fields
    t0, t1 = three.templates
    steps = [
        # Swapped field and card type names: each ord and name moves to another row.
        dataclasses.replace(three, fields=(f1, f0, f2), templates=(t1, t0)),
        # A renamed field at one ord, a removed field and a removed card type.
        dataclasses.replace(three, fields=(Field("Renamed", f0.extra), f1), templates=(t0,)),
        # Only options and template text change.
        dataclasses.replace(
            three,
            fields=(Field("Front", MappingProxyType({"size": 9})), f1, f2),
            templates=(dataclasses.replace(t0, back="changed"), t1),
        ),
    ]
    for index, notetype in enumerate(steps):
        samples = (
            # Same values, other field order: the order is part of what is stored.
            Note(MappingProxyType({"Extra": "c", "Back": "b", "Front": "a"})),
        )[: index + 1]
        media = MappingProxyType({"b.png": b"changed", "c.png": f"{index}".encode()})
        bundle = NoteTypeBundle(notetype, samples, media)
        revision = workspace.save_notetype(
            bundle, "ann", notetype_id=revision.notetype_id, expected_revision=revision.id
        )
        _assert_stored(workspace, bundle)
        assert workspace.get_revision(revision.id).bundle == bundle

"""Whatever a format can hand the store comes back exactly, on both backends."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anki_template_designer.core.model import (
    CardTemplate,
    DeckId,
    Field,
    Note,
    NoteType,
    NotetypeId,
    NoteTypeKind,
)
from anki_template_designer.core.schema11 import to_schema11
from anki_template_designer.formats.bundle import NoteTypeBundle
from anki_template_designer.store import Workspace

# Any text PostgreSQL and UTF-8 can hold: no NUL, no lone surrogates.
text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=6,
)
options = st.dictionaries(text, json_values, max_size=3).map(MappingProxyType)
RESERVED = {"name", "ord", "qfmt", "afmt", "bqfmt", "bafmt", "did"}
notetype_options = st.dictionaries(
    text.filter(lambda k: k not in RESERVED | {"type", "flds", "tmpls", "css", "id", "sortf"}),
    json_values,
    max_size=3,
).map(MappingProxyType)


@st.composite
def bundles(draw: st.DrawFn) -> NoteTypeBundle:
    """A bundle with valid names and arbitrary texts, options, samples and media."""
    field_count = draw(st.integers(1, 4))
    card_count = draw(st.integers(1, 3))
    fields = tuple(
        Field(f"Field {i}", draw(options.filter(lambda o: not set(o) & RESERVED)))
        for i in range(field_count)
    )
    templates = tuple(
        CardTemplate(
            f"Card {i}",
            draw(text),
            draw(text),
            draw(text),
            draw(text),
            draw(st.none() | st.integers(1, 2**40).map(DeckId)),
            draw(options.filter(lambda o: not set(o) & RESERVED)),
        )
        for i in range(card_count)
    )
    notetype = NoteType(
        name=draw(text.filter(lambda t: t.strip() != "")),
        fields=fields,
        templates=templates,
        css=draw(text),
        kind=draw(st.sampled_from(NoteTypeKind)),
        id=draw(st.none() | st.integers(1, 2**53).map(NotetypeId)),
        sort_field=draw(st.integers(0, 3)),
        latex_pre=draw(text),
        latex_post=draw(text),
        extra=draw(notetype_options),
    )
    notes = draw(
        st.lists(
            st.builds(
                Note,
                fields=st.dictionaries(text, text, max_size=3).map(MappingProxyType),
                tags=st.lists(text, max_size=3).map(tuple),
                deck=text,
                flag=st.integers(0, 7),
                card_ids=st.dictionaries(st.integers(0, 5), st.integers(1, 2**53)).map(
                    MappingProxyType
                ),
            ),
            max_size=2,
        )
    )
    media_names = st.from_regex(r"[a-zA-Z0-9_ é-]{1,8}\.(png|mp3|woff)", fullmatch=True)
    media = draw(st.dictionaries(media_names, st.binary(max_size=20), max_size=3))
    return NoteTypeBundle(notetype, tuple(notes), MappingProxyType(media))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bundle=bundles())
def test_save_get_and_revision_round_trip(workspace: Workspace, bundle: NoteTypeBundle) -> None:
    revision = workspace.save_notetype(bundle, "prop")
    try:
        for loaded in (
            workspace.get_notetype(revision.notetype_id),
            workspace.get_revision(revision.id).bundle,
        ):
            assert to_schema11(loaded.notetype) == to_schema11(bundle.notetype)
            assert loaded.samples == bundle.samples
            assert dict(loaded.media) == dict(bundle.media)
        assert workspace.save_notetype(bundle, "prop") == revision
        assert workspace.diff_revision(revision.id) == ""
    finally:
        workspace.delete_notetype(revision.notetype_id)

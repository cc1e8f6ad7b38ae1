"""The engine's parse seam: its own LRU by default, a BoundedCache once a server installs one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from anki_template_designer.core.model import CardTemplate, Field, Note, NoteType
from anki_template_designer.core.rendering import render_card
from anki_template_designer.core.template.errors import TemplateSyntaxError
from anki_template_designer.core.template.parser import parse_cached, set_parse_cache
from anki_template_designer.perf.cache import CacheRegistry
from anki_template_designer.perf.parse_cache import ENTRY_OVERHEAD, install_parse_cache


@pytest.fixture(autouse=True)
def builtin_afterwards() -> Iterator[None]:
    yield
    set_parse_cache(None)


def test_without_a_cache_the_builtin_lru_answers() -> None:
    set_parse_cache(None)
    first = parse_cached("{{Front}} default")
    assert parse_cached("{{Front}} default") is first


def test_an_installed_cache_keeps_parses_by_source() -> None:
    registry = CacheRegistry()
    cache = install_parse_cache(registry)
    source = "{{#Back}}{{Back}}{{/Back}} installed"
    first = parse_cached(source)
    assert parse_cached(source) is first
    assert parse_cached(source + " ") is not first
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.entries) == (1, 2, 2)
    assert stats.bytes == 2 * len(source) + 1 + 2 * ENTRY_OVERHEAD
    assert registry.get("parsed_templates") is cache


def test_syntax_errors_are_cached_too() -> None:
    install_parse_cache(CacheRegistry())
    error = parse_cached("{{#Open}} unclosed")
    assert isinstance(error, TemplateSyntaxError)
    assert parse_cached("{{#Open}} unclosed") is error


def test_switched_off_every_parse_is_fresh_and_rendering_still_works() -> None:
    registry = CacheRegistry(enabled=False)
    cache = install_parse_cache(registry)
    source = "{{Front}} off"
    assert parse_cached(source) is not parse_cached(source)
    assert cache.stats().entries == 0
    notetype = NoteType(
        "Basic", (Field("Front"), Field("Back")), (CardTemplate("Card 1", "{{Front}}", "{{Back}}"),)
    )
    note = Note(fields={"Front": "hello", "Back": "world"})
    assert "hello" in render_card(notetype, note, 0).question

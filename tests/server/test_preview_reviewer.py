"""The reviewer transforms against the official ``anki`` package where it has them."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest

from anki_template_designer.core.platforms import Platform
from anki_template_designer.server.preview_reviewer import encode_media_paths, play_buttons


class AnkiMedia(Protocol):
    """The part of ``anki.media.MediaManager`` these tests call."""

    def escape_media_filenames(self, string: str, unescape: bool = False) -> str: ...


@pytest.fixture(scope="module")
def anki_media() -> Iterator[AnkiMedia]:
    """The media manager of a temporary collection (skipped without the anki package)."""
    collection_module = pytest.importorskip("anki.collection")
    with tempfile.TemporaryDirectory() as folder:
        collection = collection_module.Collection(str(Path(folder) / "c.anki2"))
        yield collection.media
        collection.close()


@pytest.mark.parametrize(
    "html",
    [
        '<img src="my cat#1.jpg">',
        "<img src='ünï cödé.png' alt=x>",
        "<img src=plain.png>",
        "<img alt='a > b' src=\"q x.png\">",
        '<audio controls src="a`b<c.mp3"></audio><video src="v.mp4">',
        '<object data="d e.svg"></object><source src="s t.ogg">',
        '<IMG SRC="Upper Case.PNG">',
        '<img src="https://example.org/a b.png"><img src="HTTP://x/y z">',
        '<img src="100%.png"><img src="a?b=c.png"><img src="tab\there.png">',
        "<p>no media [sound:x y.mp3]</p>",
        '<img src="same same.png" alt="same same.png">',
    ],
)
def test_media_names_are_escaped_as_anki_escapes_them(anki_media: AnkiMedia, html: str) -> None:
    assert encode_media_paths(html) == anki_media.escape_media_filenames(html)


def test_slashes_are_escaped_too_unlike_anki() -> None:
    # A preview's media are one flat folder: "../" must not climb out of its URL.
    assert encode_media_paths('<img src="../a/b\\c.png">') == '<img src="..%2Fa%2Fb%5Cc.png">'
    assert encode_media_paths('<img src="..">') == '<img src="..%2F">'


def test_play_buttons_per_platform() -> None:
    html = "a [anki:play:q:0] b [anki:play:a:12]"
    desktop = play_buttons(html, Platform.DESKTOP_WINDOWS)
    assert desktop.count('class="replay-button soundLink"') == 2
    assert "pycmd('play:q:0')" in desktop and "pycmd('play:a:12')" in desktop
    android = play_buttons(html, Platform.ANKIDROID)
    assert "href=playsound:q:0><span>" in android and "href=playsound:a:12><span>" in android
    assert play_buttons(html, Platform.ANKIMOBILE_IPAD) == play_buttons(html, Platform.DESKTOP_MAC)

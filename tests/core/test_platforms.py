"""Platform page shells: html/body classes, containers, CSS variables, and a real browser."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar

import pytest

from anki_template_designer.core import (
    CardTemplate,
    Field,
    Note,
    NoteType,
    Platform,
    body_classes,
    html_classes,
    page_shell,
    render_card,
)
from anki_template_designer.core.platform_css import COLOR_VARIABLES
from anki_template_designer.core.platforms import anki_variables_css

DESKTOP = (Platform.DESKTOP_WINDOWS, Platform.DESKTOP_MAC, Platform.DESKTOP_LINUX)
ANKIMOBILE = (Platform.ANKIMOBILE_IPHONE, Platform.ANKIMOBILE_IPAD)

# <html class>, (light, night). Desktop: qt/aqt/webview.py stdHtml writes "night-mode", then
# ts/reviewer/browser_selector.ts appends the OS class and "chrome". AnkiDroid: fixed in
# AnkiDroid/src/main/assets/card_template.html. AnkiMobile: inferred (see platforms.py).
HTML_CLASSES = {
    Platform.DESKTOP_WINDOWS: ("win chrome", "night-mode win chrome"),
    Platform.DESKTOP_MAC: ("mac chrome", "night-mode mac chrome"),
    Platform.DESKTOP_LINUX: ("linux chrome", "night-mode linux chrome"),
    Platform.ANKIDROID: ("mobile android linux js", "mobile android linux js"),
    Platform.ANKIMOBILE_IPHONE: ("iphone ios mobile", "night-mode iphone ios mobile"),
    Platform.ANKIMOBILE_IPAD: ("ipad ios mobile", "night-mode ipad ios mobile"),
}

# <body class> for card ord 2 (class "card3"), (light, night). Desktop: qt/aqt/theme.py
# body_classes_for_card_ord + body_class(reviewer=True). AnkiDroid: cardviewer/
# CardAppearance.kt getCardClass, then "chrome" and "mathjax-rendered" from
# assets/scripts/card.js. AnkiMobile: `.card.nightMode` from the AnkiMobile manual.
BODY_CLASSES = {
    Platform.DESKTOP_WINDOWS: (
        "card card3 isWin fancy",
        "card card3 isWin nightMode night_mode fancy",
    ),
    Platform.DESKTOP_MAC: (
        "card card3 isMac fancy",
        "card card3 isMac nightMode night_mode macos-dark-mode fancy",
    ),
    Platform.DESKTOP_LINUX: (
        "card card3 isLin fancy",
        "card card3 isLin nightMode night_mode fancy",
    ),
    Platform.ANKIDROID: (
        "card card3 chrome mathjax-rendered",
        "card card3 night_mode nightMode chrome mathjax-rendered",
    ),
    Platform.ANKIMOBILE_IPHONE: ("card card3", "card card3 nightMode night_mode"),
    Platform.ANKIMOBILE_IPAD: ("card card3", "card card3 nightMode night_mode"),
}


class _Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: _Element | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent


class _Tree(HTMLParser):
    """Records every element with its attributes and parent, by id and by tag."""

    VOID: ClassVar[frozenset[str]] = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self, text: str) -> None:
        super().__init__()
        self.stack: list[_Element] = []
        self.elements: list[_Element] = []
        self.doctype = ""
        self.feed(text)

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(
            tag, {k: v or "" for k, v in attrs}, self.stack[-1] if self.stack else None
        )
        self.elements.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop().tag != tag:
            pass

    def one(self, tag: str, **attrs: str) -> _Element:
        found = [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())
        ]
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]


@pytest.mark.parametrize("platform", list(Platform))
@pytest.mark.parametrize("night", [False, True])
def test_html_classes(platform: Platform, night: bool) -> None:
    assert html_classes(platform, night) == HTML_CLASSES[platform][night]


@pytest.mark.parametrize("platform", list(Platform))
@pytest.mark.parametrize("night", [False, True])
def test_body_classes(platform: Platform, night: bool) -> None:
    assert body_classes(platform, 2, night) == BODY_CLASSES[platform][night]


@pytest.mark.parametrize("platform", list(Platform))
def test_card_class_is_one_based(platform: Platform) -> None:
    assert body_classes(platform, 0, False).split()[:2] == ["card", "card1"]
    assert body_classes(platform, 499, True).split()[:2] == ["card", "card500"]
    with pytest.raises(ValueError, match="ordinal"):
        body_classes(platform, -1, False)


def test_platform_kinds() -> None:
    assert [p for p in Platform if p.is_desktop] == list(DESKTOP)
    assert [p for p in Platform if p.is_mobile] == [Platform.ANKIDROID, *ANKIMOBILE]
    assert Platform("ankidroid") is Platform.ANKIDROID


CARD_HTML = '<div class="q">Q &amp; <b>A</b></div><script>var x = "</div>";</script>'
CARD_CSS = ".card { color: black; }\n.q > b { color: var(--fg); }"


@pytest.mark.parametrize("platform", list(Platform))
@pytest.mark.parametrize("night", [False, True])
def test_shell_structure(platform: Platform, night: bool) -> None:
    shell = page_shell(platform, night, CARD_HTML, CARD_CSS, 1, side="question")
    tree = _Tree(shell)
    assert shell.startswith("<!doctype html>\n")
    assert tree.one("html").attrs["class"] == html_classes(platform, night)
    body = tree.one("body")
    assert body.attrs["class"] == body_classes(platform, 1, night)
    qa = tree.one("div", id="qa")
    # The card's CSS then its HTML, verbatim, fill the container as the reviewer fills it.
    assert f"<style>{CARD_CSS}</style>{CARD_HTML}</div>" in shell
    if platform is Platform.ANKIDROID:
        # card_template.html's #content holds AndroidCardRenderContext's <div id="qa">.
        content = tree.one("div", id="content", dir="auto")
        assert qa.parent is content and content.parent is body
    else:
        assert qa.parent is body
    if platform.is_desktop:
        # qt/aqt/reviewer.py revHtml: hidden mark and flag before #qa, which is dir="auto".
        assert qa.attrs["dir"] == "auto"
        assert tree.one("div", id="_mark").parent is body
        assert tree.one("div", id="_flag").parent is body
        assert tree.one("html").attrs["data-bs-theme"] == ("dark" if night else "light")
        assert not [e for e in tree.elements if e.attrs.get("name") == "viewport"]
    else:
        viewport = tree.one("meta", name="viewport")
        assert viewport.attrs["content"].startswith("width=device-width")


@pytest.mark.parametrize("platform", [*DESKTOP, *ANKIMOBILE])
def test_anki_variables_in_shell(platform: Platform) -> None:
    shell = page_shell(platform, False, "", "", 0, side="question")
    assert anki_variables_css() in shell
    assert ":root.night-mode {\n  --fg: #fcfcfc;" in shell
    assert ":root {\n  --fg: #020202;" in shell


def test_ankidroid_reviewer_has_no_anki_variables() -> None:
    # AnkiDroid's card_template.html loads flashcard.css, not Anki's root-vars.css: var(--fg)
    # is undefined there, and night mode comes from body.night_mode instead.
    shell = page_shell(Platform.ANKIDROID, True, "", "", 0, side="question")
    assert "--fg:" not in shell
    assert "body.night_mode { color: white; background-color: black; }" in shell


def test_variables_cover_light_and_dark() -> None:
    light, dark, _props = anki_variables_css().split("}\n")[:3]
    for name, light_value, dark_value in COLOR_VARIABLES:
        assert f"  {name}: {light_value};\n" in light
        assert f"  {name}: {dark_value};\n" in dark
    assert {"--fg", "--canvas", "--border", "--fg-link"} <= {n for n, _, _ in COLOR_VARIABLES}


@pytest.mark.parametrize("platform", list(Platform))
def test_answer_side_scrolls_to_answer(platform: Platform) -> None:
    question = page_shell(platform, False, "q", "", 0, side="question")
    answer = page_shell(platform, False, "q<hr id=answer>a", "", 0, side="answer")
    assert "getElementById('answer')" in answer
    assert "getElementById('answer')" not in question
    with pytest.raises(ValueError, match="side"):
        page_shell(platform, False, "", "", 0, side="front")  # type: ignore[arg-type]


def test_rendered_card_goes_in_verbatim() -> None:
    notetype = NoteType(
        name="Basic",
        fields=(Field("Front"), Field("Back")),
        templates=(CardTemplate("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),),
        css=".card { font-family: arial; }",
    )
    note = Note(fields=MappingProxyType({"Front": "<i>q</i>", "Back": "a"}), tags=(), deck="D")
    card = render_card(notetype, note, 0)
    shell = page_shell(
        Platform.DESKTOP_LINUX, False, card.answer, card.css, card.ord, side="answer"
    )
    assert '<div id="qa" dir="auto"><style>.card { font-family: arial; }</style>' in shell
    assert "<i>q</i><hr id=answer>a</div>" in shell


# --- a real browser -------------------------------------------------------------------------

_PROBE = (
    "<script>document.documentElement.setAttribute('data-probe', ["
    "getComputedStyle(document.querySelector('.probe')).color,"
    "getComputedStyle(document.body).backgroundColor].join('|'));</script>"
)


def _chromium() -> str | None:
    found = shutil.which("chromium")
    if found is None and os.environ.get("CI"):
        pytest.fail(
            "chromium is not installed (scripts/test installs it: apt-get install chromium)"
        )
    return found


def _computed(chromium: str, page: Path, profile: Path) -> tuple[str, str]:
    """Load ``page`` in headless Chromium and read the probe's text and background colours."""
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    match = re.search(r'data-probe="([^"]*)"', result.stdout)
    assert match, f"no probe in Chromium's DOM:\n{result.stdout[:2000]}\n{result.stderr[-2000:]}"
    color, background = html.unescape(match.group(1)).split("|")
    return color, background


@pytest.mark.parametrize("platform", list(Platform))
def test_night_mode_changes_computed_colour_in_chromium(platform: Platform, tmp_path: Path) -> None:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed")
    # Anki's default note type CSS plus a probe coloured with Anki's --fg variable.
    css = (
        ".card { font-family: arial; font-size: 20px; text-align: center; color: black;"
        " background-color: white; }\n.probe { color: var(--fg); }"
    )
    seen: dict[bool, tuple[str, str]] = {}
    for night in (False, True):
        shell = page_shell(platform, night, '<div class="probe">x</div>', css, 0, side="question")
        page = tmp_path / f"{platform.value}-{night}.html"
        page.write_text(shell.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
        seen[night] = _computed(chromium, page, tmp_path / "profile")
    (light_fg, light_bg), (night_fg, night_bg) = seen[False], seen[True]
    assert light_fg != night_fg
    assert light_bg != night_bg
    if platform is Platform.ANKIDROID:
        # No --fg on AnkiDroid: the probe inherits body.night_mode's white on black.
        assert (night_fg, night_bg) == ("rgb(255, 255, 255)", "rgb(0, 0, 0)")
    else:
        assert (light_fg, night_fg) == ("rgb(2, 2, 2)", "rgb(252, 252, 252)")
    if platform.is_desktop:
        # body.nightMode beats the note type's `.card` background: Anki's dark canvas.
        assert night_bg == "rgb(44, 44, 44)"

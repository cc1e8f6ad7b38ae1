"""The contrast cascade reuses the clients' own rules across note types, with the same answers."""

from __future__ import annotations

from anki_template_designer.core.lint import cascade
from anki_template_designer.core.platforms import Platform

CSS = ".card { color: #777; background: var(--bg, #888); } :root { --bg: #808080; }"


def _colours(style: cascade.CardStyle) -> tuple[str | None, ...]:
    text = style.winner("body", ("color",))
    back = style.winner("body", ("background-color", "background"))
    return (
        text.value if text else None,
        style.resolve(back.value) if back else None,
        style.custom_property("--bg"),
    )


def test_warm_and_cold_cascades_agree() -> None:
    cascade._platform_candidates.cache_clear()
    cold = [_colours(cascade.CardStyle(p, n, CSS)) for p in Platform for n in (False, True)]
    misses = cascade._platform_candidates.cache_info().misses
    warm = [_colours(cascade.CardStyle(p, n, CSS)) for p in Platform for n in (False, True)]
    assert warm == cold
    assert cold[0] == ("#777", "#808080", "#808080")
    # Every (platform, mode) was matched once; the second pass matched none again.
    assert cascade._platform_candidates.cache_info().misses == misses == 2 * len(Platform)


def test_each_note_type_keeps_its_own_rules() -> None:
    red = cascade.CardStyle(Platform.DESKTOP_LINUX, False, ".card { color: red; }")
    blue = cascade.CardStyle(Platform.DESKTOP_LINUX, False, ".card { color: blue; }")
    assert _colours(red)[0] == "red"
    assert _colours(blue)[0] == "blue"

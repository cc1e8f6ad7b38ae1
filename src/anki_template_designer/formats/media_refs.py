"""Which media files a template, stylesheet or field refers to, and renaming those references.

The patterns follow what Anki itself treats as a media reference (its exporter,
Check Media and importer): ``src``/``data`` attributes of media tags and
``[sound:…]`` in fields; in templates also any quoted string or bare
``src=``/``data=`` value starting with ``_``; in CSS ``url(…)`` and ``@import``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

_MEDIA_TAG = re.compile(
    r"""<(?:img|audio|video|object|source)\b(?:[^>"']|"[^"]*"|'[^']*')*?"""
    r"""\b(?:src|data)\s*=\s*(?:"(?P<dq>[^"]+)"|'(?P<sq>[^']+)'|(?P<bare>[^\s>"']+))""",
    re.IGNORECASE,
)
_SOUND = re.compile(r"\[sound:(?P<name>[^\]]+)\]")
_UNDERSCORED = re.compile(r""""(?P<dq>_[^"]+)"|'(?P<sq>_[^']+)'|\b(?:src|data)=(?P<bare>_[^ >]+)""")
_CSS_URL = re.compile(
    r"""url\(\s*(?:"(?P<dq>[^"]+)"|'(?P<sq>[^']+)'|(?P<bare>[^)"'\s]+))\s*\)"""
    r"""|@import\s+(?:"(?P<idq>[^"]+)"|'(?P<isq>[^']+)')""",
    re.IGNORECASE,
)
_GROUPS = ("dq", "sq", "bare", "name", "idq", "isq")


def _names(pattern: re.Pattern[str], text: str) -> Iterable[str]:
    for match in pattern.finditer(text):
        for group in _GROUPS:
            value = match.groupdict().get(group)
            if value:
                yield value


def field_references(text: str) -> set[str]:
    """Media names a note field refers to (entities decoded, as Anki does)."""
    if "<" not in text and "[sound:" not in text:
        return set()
    found = set(_names(_MEDIA_TAG, text)) | set(_names(_SOUND, text))
    return {html.unescape(name) for name in found}


def template_references(text: str) -> set[str]:
    """Media names a card template side refers to: static media tags, sounds, ``_`` names."""
    found = set(_names(_MEDIA_TAG, text)) | set(_names(_SOUND, text))
    found |= set(_names(_UNDERSCORED, text))
    return {html.unescape(name) for name in found}


def css_references(text: str) -> set[str]:
    """Media names a stylesheet refers to through ``url(…)`` or ``@import``."""
    return set(_names(_CSS_URL, text))


def rename_references(text: str, renames: dict[str, str], *, css: bool = False) -> str:
    """Rewrite references to the media names in ``renames`` (old → new); other text stays."""
    if not renames:
        return text

    def replace_in(match: re.Match[str]) -> str:
        whole = match.group(0)
        start = match.start()
        pieces: list[str] = []
        cursor = 0
        for group in _GROUPS:
            if group not in match.re.groupindex or match.group(group) is None:
                continue
            old = match.group(group)
            new = renames.get(old)
            if new is None:
                continue
            g_start, g_end = match.span(group)
            pieces.append(whole[cursor : g_start - start])
            pieces.append(new)
            cursor = g_end - start
        pieces.append(whole[cursor:])
        return "".join(pieces)

    patterns: tuple[re.Pattern[str], ...] = (_CSS_URL,) if css else (_MEDIA_TAG, _SOUND)
    for pattern in patterns:
        text = pattern.sub(replace_in, text)
    return text


def referenced(names: Iterable[str], available: Callable[[str], bool]) -> set[str]:
    """The subset of ``names`` that ``available`` says exist in the package."""
    return {name for name in names if available(name)}

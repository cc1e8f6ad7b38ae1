"""What each platform's reviewer does to a rendered card side before showing it.

The engine renders a side as Anki's backend does: ``[anki:play:q:0]`` where a sound or TTS tag
was, ``[[type:Field]]`` where a type-answer box goes, media references as stored. A reviewer
then escapes media file names, turns the play references into buttons and fills in the
type-answer box (question) or the comparison (answer). Sources: Anki desktop
``qt/aqt/reviewer.py`` (``_mungeQA``, ``typeAnsQuestionFilter``/``typeAnsAnswerFilter``),
``qt/aqt/sound.py`` (``av_refs_to_play_icons``), ``rslib/src/text.rs`` (``encode_iri_paths``);
AnkiDroid ``cardviewer/TypeAnswer.kt`` (default settings: no input tag) and
``multimedia/SoundUtils.kt``. AnkiMobile is closed source: it is shown like desktop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from ..core.model import Note, NoteType
from ..core.platforms import Platform
from ..core.template.cloze import cloze_text_for_typing
from ..core.template.typeanswer import compare_answer

TYPE_ANSWER = re.compile(r"\[\[type:(.+?)\]\]")
_PLAY_REF = re.compile(r"\[anki:(play:(.):(\d+))\]")

# rslib text.rs HTML_MEDIA_TAGS: the file name in an img/audio/video/object/source tag's
# src or data attribute, double-quoted (1), single-quoted (2) or bare (3).
_MEDIA_TAG = re.compile(
    r"""<\b(?:img|audio|video|object|source)\b
        (?:[^>]|"[^"]+?"|'[^']+?')+?
        \b(?:src|data)\b=
        (?:"([^"]+?)"[^>]*>
          |'([^']+?)'[^>]*>
          |([^ >]+?)(?:\x20[^>]*>|>)
        )""",
    re.X | re.S | re.I,
)
_REMOTE = re.compile(r"(?i)^https?://")
# What Anki percent-encodes in a name (the WHATWG fragment set: controls, space, " < > ` #;
# other characters, non-ASCII included, stay as they are), plus "/" and "\": a preview's media
# live in one flat folder, and an encoded slash keeps "../" from leaving it (the media route
# then refuses the name as a path trick).
_ENCODED_IN_NAME = frozenset(' "<>`#/\\\x7f') | frozenset(map(chr, range(0x20)))

# English strings of Anki's translations (studying.ftl), with Fluent's isolation marks.
_UNKNOWN_FIELD = "Type answer: unknown field \u2068{}\u2069"
_RUN_EMPTY_CARDS = "Please run Tools>Empty Cards"
# AnkiDroid's own strings: 02-strings.xml and card-template-rendering.ftl.
_ANKIDROID_UNKNOWN_FIELD = "Type answer: unknown field {}"
_ANKIDROID_EMPTY_FRONT = "The front of this card is blank."


def _encode_name(name: str) -> str:
    encoded = "".join(quote(c, safe="") if c in _ENCODED_IN_NAME else c for c in name)
    # A name that is only a dot segment would still climb out once encoded ("%2E%2E" is a dot
    # segment too); a trailing encoded slash makes it one ordinary, refused, name.
    return encoded + "%2F" if name in (".", "..") else encoded


def encode_media_paths(html: str) -> str:
    """Percent-encode local media file names in media tags, as Anki does before display."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2) or match.group(3)
        full = match.group(0)
        return full if _REMOTE.match(name) else full.replace(name, _encode_name(name))

    return _MEDIA_TAG.sub(replace, html)


def _desktop_play_button(match: re.Match[str]) -> str:
    return f"""
<a class="replay-button soundLink" href=# onclick="pycmd('{match.group(1)}'); return false;" draggable="false">
    <svg class="playImage" viewBox="0 0 64 64" version="1.1">
        <circle cx="32" cy="32" r="29" />
        <path d="M56.502,32.301l-37.502,20.101l0.329,-40.804l37.173,20.703Z" />
    </svg>
</a>"""  # noqa: E501  (Anki's markup, line for line)


def _ankidroid_play_button(match: re.Match[str]) -> str:
    return f"""<a class="replay-button soundLink" href=playsound:{match.group(2)}:{match.group(3)}><span>
                        <svg class="playImage" viewBox="0 0 64 64" version="1.1">
                            <circle cx="32" cy="32" r="29" fill="lightgrey"/>
                            <path d="M56.502,32.301l-37.502,20.101l0.329,-40.804l37.173,20.703Z" fill="black"/>Replay
                        </svg>
                    </span></a>"""  # noqa: E501  (AnkiDroid's markup, line for line)


def play_buttons(html: str, platform: Platform) -> str:
    """Replace ``[anki:play:q:N]`` references with the platform's play buttons."""
    if platform is Platform.ANKIDROID:
        return _PLAY_REF.sub(_ankidroid_play_button, html)
    return _PLAY_REF.sub(_desktop_play_button, html)


@dataclass(frozen=True, slots=True)
class TypeAnswer:
    """What the question's first ``[[type:…]]`` asks for, as the reviewer works it out.

    ``expected`` is None for an unknown field (or a cloze with nothing to type), "" for an
    empty field: the reviewers then show a warning, or nothing, instead of a box.
    """

    field: str
    expected: str | None
    combining: bool
    cloze: bool
    font: str
    size: int

    @property
    def shows_input(self) -> bool:
        """True when the question shows a box to type into (a known, non-empty answer)."""
        return bool(self.expected)


def find_type_answer(
    notetype: NoteType, note: Note, card_ord: int, question: str
) -> TypeAnswer | None:
    """The type-answer request of a card, from its rendered question; None if it has none."""
    match = TYPE_ANSWER.search(question)
    if match is None:
        return None
    name = match.group(1)
    cloze = name.startswith("cloze:")
    if cloze:
        name = name.split(":")[1]
    combining = not name.startswith("nc:")
    if not combining:
        name = name.split(":")[1]
    for field in notetype.fields:
        if field.name == name:
            expected: str | None = note.value(name)
            if cloze and expected is not None:
                expected = cloze_text_for_typing(expected, card_ord + 1) or None
            font = str(field.extra.get("font", "Arial"))
            size = int(field.extra.get("size", 20))
            return TypeAnswer(name, expected, combining, cloze, font, size)
    return TypeAnswer(name, None, combining, cloze, "Arial", 20)


def type_answer_question(html: str, request: TypeAnswer | None, platform: Platform) -> str:
    """The question side with its type-answer box (or the reviewer's warning) in place."""
    if request is None:
        return html
    if platform is Platform.ANKIDROID:
        if request.expected is None:
            warning = _ANKIDROID_EMPTY_FRONT if request.cloze else _ANKIDROID_UNKNOWN_FIELD
            return TYPE_ANSWER.sub(lambda _: warning.format(request.field), html, count=1)
        return TYPE_ANSWER.sub('<span id="typeans" class="typePrompt">........</span>', html)
    if not request.expected:
        if request.expected is None:
            warning = _RUN_EMPTY_CARDS if request.cloze else _UNKNOWN_FIELD.format(request.field)
            return TYPE_ANSWER.sub(lambda _: warning, html)
        return TYPE_ANSWER.sub("", html)
    box = f"""
<center>
<input type=text id=typeans onkeypress="_typeAnsPress();"
   style="font-family: '{request.font}'; font-size: {request.size}px;">
</center>
"""
    return TYPE_ANSWER.sub(lambda _: box, html)


def type_answer_answer(
    html: str, request: TypeAnswer | None, typed: str, platform: Platform
) -> str:
    """The answer side with the comparison of ``typed`` against the expected answer."""
    if request is None:
        return html
    if platform is Platform.ANKIDROID:
        # AnkiDroid compares even when the field is empty or unknown (against "").
        output = compare_answer(request.expected or "", typed, request.combining)
        return TYPE_ANSWER.sub(lambda _: output, html)
    if not request.expected:
        return TYPE_ANSWER.sub("", html)
    original = html
    without_hr = html.replace("<hr id=answer>", "")
    had_hr = len(without_hr) != len(html)
    output = compare_answer(request.expected, typed, request.combining)
    shown = f"""
<div style="font-family: '{request.font}'; font-size: {request.size}px">{output}</div>"""
    if had_hr:
        # Anki's hack: the question/answer separator moves before the comparison, for
        # back templates that start with {{FrontSide}}<hr id=answer>.
        shown = f"<hr id=answer>{shown}"
        if not TYPE_ANSWER.search(without_hr):
            return original
    return TYPE_ANSWER.sub(lambda _: shown, without_hr)


def reviewer_side(
    html: str,
    platform: Platform,
    request: TypeAnswer | None,
    *,
    question: bool,
    typed: str = "",
) -> str:
    """One rendered side as ``platform``'s reviewer turns it into the card's HTML."""
    shown = play_buttons(encode_media_paths(html), platform)
    if question:
        return type_answer_question(shown, request, platform)
    return type_answer_answer(shown, request, typed, platform)

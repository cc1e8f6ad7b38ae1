"""Whole preview pages: one card, both sides, on several platforms, from one request.

A keystroke in the designer costs one request: the card is rendered once, then each platform's
reviewer transform (``preview_reviewer``) and page shell (``core.platforms``) wrap it. The pages
are meant for ``<iframe sandbox="allow-scripts" srcdoc=…>``; three things go into their
``<head>`` for that:

- a ``<base href>`` at the note type's media route, because a srcdoc document resolves
  relative URLs against the designer page, not against the media folder Anki uses;
- a Content-Security-Policy forbidding fetch/XHR/beacons and form posts: the sandboxed frame
  has an opaque origin, but the browser still sends the designer's URL as its Referer, and a
  card's script must not be able to act on the workspace;
- a small bridge script: play buttons post ``{atd: "play", side, index}`` to the designer page,
  which plays the file (one player, outliving re-renders; the frame is re-created on every
  keystroke), and typing in the card's own type-answer box posts ``{atd: "typed", value}``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, Field

from ..core.cards import cards_generated, generated_card_ords
from ..core.model import Note, NoteType
from ..core.platforms import Platform, Side, page_shell
from ..core.rendering import RenderedCard, render_card, template_for_card
from ..core.template.av import av_tag_to_json
from ..core.template.check import check_notetype
from ..perf.work_job import current_job
from .preview_cache import (
    ENTRY_OVERHEAD,
    PreviewCaches,
    card_key,
    css_hash,
    current_preview_caches,
    notetype_tag,
    page_key,
)
from .preview_reviewer import TypeAnswer, find_type_answer, reviewer_side
from .schemas import Body, NoteTypeDoc, SampleDoc

MAX_CARD_ORD = 499  # Anki's last cloze card (c500)
MAX_TYPED_CHARS = 10_000  # the comparison is quadratic, as Anki's is
MAX_GRID_CARDS = 24  # a grid shows this many cards of a note at most (a cloze may have 500)

_NOTETYPE_ID = r"^[A-Za-z0-9_-]{1,64}$"
_SCRIPT_TAG = re.compile(r"<script\b", re.I)

_CSP = (
    '<meta http-equiv="Content-Security-Policy"'
    " content=\"connect-src 'none'; form-action 'none'\">\n"
)

# Desktop (and AnkiMobile, shown with desktop's markup) buttons call pycmd('play:q:0'), the
# bridge Anki's webview provides; AnkiDroid's are links to playsound:q:0.
_BRIDGE = """<script>(function () {
  function post(message) { parent.postMessage(message, "*"); }
  function play(side, index) { post({ atd: "play", side: side, index: Number(index) }); }
  %s
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a[href^='playsound:']");
    var found = link && /^playsound:([qa]):(\\d+)$/.exec(link.getAttribute("href"));
    if (found) { event.preventDefault(); play(found[1], found[2]); }
  }, true);
  // A script-free card is updated in place: parsing a page is much faster than navigating.
  addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== parent || !data || data.atd !== "replace") { return; }
    var next = new DOMParser().parseFromString(data.html, "text/html");
    var root = document.documentElement;
    if (next.head.innerHTML === document.head.innerHTML) {
      // Same platform and mode: keep the head's styles, swap the body and <html>'s attributes.
      Array.prototype.slice.call(root.attributes).forEach(function (a) {
        root.removeAttribute(a.name);
      });
      Array.prototype.forEach.call(next.documentElement.attributes, function (a) {
        root.setAttribute(a.name, a.value);
      });
      root.replaceChild(document.adoptNode(next.body), document.body);
    } else {
      document.replaceChild(document.adoptNode(next.documentElement), root);
    }
    var answer = data.scroll && document.getElementById("answer");
    if (answer) { answer.scrollIntoView(); }
    // Lay the page out before answering (offscreen frames get no animation frames to wait for).
    void document.body.offsetHeight;
    post({ atd: "replaced", token: data.token });
  });
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.id === "typeans") {
      post({ atd: "typed", value: box.value });
    }
  }, true);
})();</script>
"""
_DESKTOP_GLOBALS = """window.pycmd = function (command) {
    var found = /^play:([qa]):(\\d+)$/.exec(command);
    if (found) { play(found[1], found[2]); }
  };
  window._typeAnsPress = function () {};"""


class GridRequest(Body):
    """A draft and a sample: every card the sample generates, on ``platforms``, in one pass."""

    notetype: NoteTypeDoc
    sample: SampleDoc = Field(default_factory=SampleDoc)
    platforms: list[Platform] = Field(
        default_factory=lambda: [Platform.DESKTOP_LINUX], min_length=1, max_length=len(Platform)
    )
    night_mode: bool = False
    notetype_id: str | None = Field(
        default=None,
        pattern=_NOTETYPE_ID,
        description="The workspace note type whose media the pages show (its id).",
    )


class PagesRequest(GridRequest):
    """A draft, a sample and one card, to be shown on ``platforms`` in light or night mode."""

    card_ord: int = Field(default=0, ge=0, le=MAX_CARD_ORD)
    typed_answer: str = Field(
        default="",
        max_length=MAX_TYPED_CHARS,
        description="What was typed into the type-answer box; the answer compares it.",
    )


class CompareRequest(PagesRequest):
    """Like a pages request; the answer side compares ``typed_answer`` with the field."""

    typed_answer: str = Field(max_length=MAX_TYPED_CHARS)


class CardChoice(BaseModel):
    """A card the sample note generates: its ordinal and a name for a picker."""

    ord: int
    name: str


class RenderErrorDoc(BaseModel):
    """A template problem of the shown card: side, 1-based line and column, Anki's message."""

    side: str
    line: int
    column: int
    message: str


class TypeAnswerDoc(BaseModel):
    """The card's ``{{type:…}}`` box: the field, and whether the reviewer shows a box."""

    field: str
    shows_input: bool


class Scripted(BaseModel):
    """Whether each side's card HTML has a ``<script>``: such a page must be loaded afresh."""

    question: bool
    answer: bool


class PlatformPages(BaseModel):
    """Both sides of the card as complete HTML documents for one platform."""

    platform: Platform
    question: str
    answer: str


class PagesResponse(BaseModel):
    """The card on each requested platform, and what the designer shows around it."""

    card_ord: int
    night_mode: bool
    cards: list[CardChoice]
    question_av: list[dict[str, Any]]
    answer_av: list[dict[str, Any]]
    type_answer: TypeAnswerDoc | None
    errors: list[RenderErrorDoc]
    scripted: Scripted
    pages: list[PlatformPages]


class CardGrid(BaseModel):
    """One card of the grid: its pages on each platform and what a pages response says of it."""

    card_ord: int
    name: str = Field(description="As the card list of a pages response names it.")
    pages: list[PlatformPages]
    question_av: list[dict[str, Any]]
    answer_av: list[dict[str, Any]]
    errors: list[RenderErrorDoc]
    scripted: Scripted


class GridResponse(BaseModel):
    """The first ``MAX_GRID_CARDS`` cards of the sample, in ordinal order, on each platform."""

    night_mode: bool
    total_cards: int = Field(
        description="How many cards the sample generates (0: none; its pages would show "
        "Anki's blank-front or missing-cloze message), also past the ones shown."
    )
    cards: list[CardGrid]


class AnswerPage(BaseModel):
    """The answer side for one platform."""

    platform: Platform
    answer: str


class CompareResponse(BaseModel):
    """The answer side on each platform, with the typed answer compared."""

    card_ord: int
    scripted: Scripted
    pages: list[AnswerPage]


def media_base(notetype_id: str | None) -> str | None:
    """Where a page's relative media URLs point: the note type's media route."""
    return f"/api/notetypes/{notetype_id}/media/" if notetype_id else None


def _head_extras(platform: Platform, base: str | None) -> str:
    globals_ = "" if platform is Platform.ANKIDROID else _DESKTOP_GLOBALS
    base_element = f'<base href="{base}">\n' if base else ""
    return _CSP + base_element + (_BRIDGE % globals_)


def preview_page(
    platform: Platform,
    night: bool,
    card: RenderedCard,
    side: Side,
    html: str,
    base: str | None,
) -> str:
    """A complete page for one side; the head carries the base, the policy and the bridge."""
    page = page_shell(platform, night, html, card.css, card.ord, side=side)
    head, found, rest = page.partition("<head>\n")
    assert found, "every page shell has a <head>"
    return head + found + _head_extras(platform, base) + rest


def card_choices(notetype: NoteType, note: Note) -> list[CardChoice]:
    """The cards a picker offers: every generated card, named as Anki's card list names it."""
    return _named(notetype, generated_card_ords(notetype, note))


def _named(notetype: NoteType, ords: Sequence[int]) -> list[CardChoice]:
    """Each ordinal once, in order, with its name."""
    ords = sorted(set(ords))
    if notetype.is_cloze:
        return [CardChoice(ord=o, name=f"Cloze {o + 1}") for o in ords]
    return [CardChoice(ord=o, name=notetype.templates[o].name) for o in ords]


def card_errors(notetype: NoteType, card_ord: int) -> list[RenderErrorDoc]:
    """The template problems of the card type card ``card_ord`` uses."""
    name = template_for_card(notetype, card_ord).name
    return [
        RenderErrorDoc(side=p.side, line=p.line, column=p.column, message=p.message)
        for p in check_notetype(notetype)
        if p.template == name
    ]


@dataclasses.dataclass(frozen=True, slots=True)
class PreviewCard:
    """A rendered card and its type-answer request."""

    card: RenderedCard
    type_answer: TypeAnswer | None


def render_preview_card(notetype: NoteType, note: Note, card_ord: int) -> PreviewCard:
    """Render one card and work out its type-answer box."""
    # Under the work manager, its job stops the render when superseded or over budget.
    card = render_card(notetype, note, card_ord, current_job.get())
    return PreviewCard(card, find_type_answer(notetype, note, card_ord, card.question))


def answer_page(
    rendered: PreviewCard, platform: Platform, night: bool, typed: str, base: str | None
) -> str:
    """The answer side's page on ``platform``."""
    html = reviewer_side(
        rendered.card.answer, platform, rendered.type_answer, question=False, typed=typed
    )
    return preview_page(platform, night, rendered.card, "answer", html, base)


def question_page(rendered: PreviewCard, platform: Platform, night: bool, base: str | None) -> str:
    """The question side's page on ``platform``."""
    html = reviewer_side(rendered.card.question, platform, rendered.type_answer, question=True)
    return preview_page(platform, night, rendered.card, "question", html, base)


def unique(platforms: Sequence[Platform]) -> list[Platform]:
    """The platforms in the order asked, each once."""
    return list(dict.fromkeys(platforms))


def scripted(card: RenderedCard) -> Scripted:
    """Which sides of the card run scripts of their own."""
    return Scripted(
        question=bool(_SCRIPT_TAG.search(card.question)),
        answer=bool(_SCRIPT_TAG.search(card.answer)),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class CardEntry:
    """What a preview shows of a card besides its pages; cached without the CSS.

    ``styled`` says whether the card carries its note type's CSS (a template error's card
    carries none, as in Anki), so a hit can take the current CSS instead of a stale one.
    """

    preview: PreviewCard
    styled: bool
    cards: tuple[CardChoice, ...]
    errors: tuple[RenderErrorDoc, ...]
    question_av: tuple[dict[str, Any], ...]
    answer_av: tuple[dict[str, Any], ...]
    scripted: Scripted


def card_entry_size(entry: CardEntry) -> int:
    """About how many bytes a card entry holds: its HTML, plus a fixed overhead."""
    card = entry.preview.card
    return len(card.question) + len(card.answer) + ENTRY_OVERHEAD * (1 + len(entry.cards))


def _card_entry(notetype: NoteType, note: Note, card_ord: int) -> CardEntry:
    rendered = render_preview_card(notetype, note, card_ord)
    card = rendered.card
    unstyled = PreviewCard(dataclasses.replace(card, css=""), rendered.type_answer)
    return CardEntry(
        preview=unstyled,
        styled=card.css == notetype.css,
        cards=tuple(card_choices(notetype, note)),
        errors=tuple(card_errors(notetype, card_ord)),
        question_av=tuple(av_tag_to_json(tag) for tag in card.question_av),
        answer_av=tuple(av_tag_to_json(tag) for tag in card.answer_av),
        scripted=scripted(card),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class _Preview:
    """A card entry for one request, with the request's CSS, and how to cache its pages."""

    entry: CardEntry
    rendered: PreviewCard
    caches: PreviewCaches | None
    card_key: str
    css_key: str
    tags: tuple[str, ...]

    def _page(
        self, build: Callable[[], str], platform: Platform, night: bool, side: str, *rest: Any
    ) -> str:
        if self.caches is None:
            return build()
        key = page_key(self.card_key, self.css_key, platform.value, night, side, *rest)
        return self.caches.pages.get_or_compute(key, build, self.tags)

    def question(self, platform: Platform, night: bool, base: str | None) -> str:
        """The question page (cached by card, CSS, platform, mode and base)."""
        build = functools.partial(question_page, self.rendered, platform, night, base)
        return self._page(build, platform, night, "question", base, "")

    def answer(self, platform: Platform, night: bool, typed: str, base: str | None) -> str:
        """The answer page (cached by card, CSS, platform, mode, base and typed answer)."""
        build = functools.partial(answer_page, self.rendered, platform, night, typed, base)
        return self._page(build, platform, night, "answer", base, typed)


def _preview(notetype: NoteType, note: Note, card_ord: int, notetype_id: str | None) -> _Preview:
    """The card entry (cached when a server serves the request) and the page cache's keys."""
    caches = current_preview_caches.get()
    if caches is None:
        entry = _card_entry(notetype, note, card_ord)
        key = css_key = ""
        tags: tuple[str, ...] = ()
    else:
        tags = (notetype_tag(notetype_id),) if notetype_id else ()
        key = card_key(notetype, note, card_ord)
        entry = caches.cards.get_or_compute(
            key, lambda: _card_entry(notetype, note, card_ord), tags
        )
        css_key = css_hash(notetype.css)
        if notetype_id:
            caches.saw_css(notetype_id, css_key)
    card = dataclasses.replace(entry.preview.card, css=notetype.css if entry.styled else "")
    rendered = PreviewCard(card, entry.preview.type_answer)
    return _Preview(entry, rendered, caches, key, css_key, tags)


def build_pages(notetype: NoteType, note: Note, body: PagesRequest) -> PagesResponse:
    """Everything the preview shows for one card: pages, card list, audio, errors."""
    preview = _preview(notetype, note, body.card_ord, body.notetype_id)
    entry, request = preview.entry, preview.rendered.type_answer
    base = media_base(body.notetype_id)
    night = body.night_mode
    pages = [
        PlatformPages(
            platform=platform,
            question=preview.question(platform, night, base),
            answer=preview.answer(platform, night, body.typed_answer, base),
        )
        for platform in unique(body.platforms)
    ]
    return PagesResponse(
        card_ord=body.card_ord,
        night_mode=night,
        cards=list(entry.cards),
        question_av=list(entry.question_av),
        answer_av=list(entry.answer_av),
        type_answer=TypeAnswerDoc(field=request.field, shows_input=request.shows_input)
        if request is not None
        else None,
        errors=list(entry.errors),
        scripted=entry.scripted,
        pages=pages,
    )


def build_comparison(notetype: NoteType, note: Note, body: PagesRequest) -> CompareResponse:
    """The answer pages only, comparing the typed answer."""
    preview = _preview(notetype, note, body.card_ord, body.notetype_id)
    base = media_base(body.notetype_id)
    return CompareResponse(
        card_ord=body.card_ord,
        scripted=preview.entry.scripted,
        pages=[
            AnswerPage(
                platform=platform,
                answer=preview.answer(platform, body.night_mode, body.typed_answer, base),
            )
            for platform in unique(body.platforms)
        ],
    )


def build_grid(notetype: NoteType, note: Note, body: GridRequest) -> GridResponse:
    """Every card the sample generates (the first ``MAX_GRID_CARDS``) on every platform.

    Each card is rendered once (or found in the card cache) and each platform's pages are
    wrapped from it, through the same caches as ``build_pages``: a card's pages are the ones
    a pages request for it with no typed answer gets, byte for byte.
    """
    generated = cards_generated(notetype, note)
    base = media_base(body.notetype_id)
    night = body.night_mode
    platforms = unique(body.platforms)
    cards = []
    for choice in _named(notetype, generated)[:MAX_GRID_CARDS]:
        preview = _preview(notetype, note, choice.ord, body.notetype_id)
        entry = preview.entry
        pages = [
            PlatformPages(
                platform=platform,
                question=preview.question(platform, night, base),
                answer=preview.answer(platform, night, "", base),
            )
            for platform in platforms
        ]
        cards.append(
            CardGrid(
                card_ord=choice.ord,
                name=choice.name,
                pages=pages,
                question_av=list(entry.question_av),
                answer_av=list(entry.answer_av),
                errors=list(entry.errors),
                scripted=entry.scripted,
            )
        )
    return GridResponse(night_mode=night, total_cards=len(generated), cards=cards)

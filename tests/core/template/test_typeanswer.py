"""Type-answer comparison against Anki's typeanswer.rs tests and the anki package."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from anki.collection import Collection
from hypothesis import given, settings
from hypothesis import strategies as st

from anki_template_designer.core.template.typeanswer import compare_answer, strip_expected

ARROW = "<br><span id=typearrow>&darr;</span><br>"
Tokens = list[tuple[str, str]]

# The ``scaling_ratio`` fixture from tests/conftest.py.
ScalingRatio = Callable[[Callable[[int], object], int, int], float]


def good(text: str) -> tuple[str, str]:
    return ("typeGood", text)


def bad(text: str) -> tuple[str, str]:
    return ("typeBad", text)


def missing(text: str) -> tuple[str, str]:
    return ("typeMissed", text)


def diff_html(typed: Tokens, expected: Tokens) -> str:
    spans = [
        "".join(f"<span class={c}>{t}</span>" for c, t in tokens) for tokens in (typed, expected)
    ]
    return f"<code id=typeans>{spans[0]}{ARROW}{spans[1]}</code>"


@pytest.fixture(scope="module")
def col(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collection]:
    """A throwaway collection whose Rust backend is the oracle."""
    collection = Collection(str(Path(tmp_path_factory.mktemp("oracle")) / "collection.anki2"))
    yield collection
    collection.close()


# Cases from rslib/src/typeanswer.rs, as whole HTML.
@pytest.mark.parametrize(
    ("expected", "typed", "typed_tokens", "expected_tokens"),
    [
        (
            "¿Y ahora qué vamos a hacer?",
            "y ahora qe vamosa hacer",
            [
                bad("y"),
                good(" ahora q"),
                bad("e"),
                good(" vamos"),
                missing("-"),
                good("a hacer"),
                missing("-"),
            ],
            [
                missing("¿Y"),
                good(" ahora q"),
                missing("ué"),
                good(" vamos"),
                missing(" "),
                good("a hacer"),
                missing("?"),
            ],
        ),
        ("1", "23", [bad("23")], [missing("1")]),
        ("12", "1", [good("1"), missing("-")], [good("1"), missing("2")]),
        ("нос", "нс", [good("н"), missing("-"), good("с")], [good("н"), missing("о"), good("с")]),
        (
            "쓰다듬다",
            "스다뜸다",
            [bad("스"), good("다"), bad("뜸"), good("다")],
            [missing("쓰"), good("다"), missing("듬"), good("다")],
        ),
        ("123", "1123", [bad("1"), good("123")], [good("123")]),
    ],
)
def test_diff(expected: str, typed: str, typed_tokens: Tokens, expected_tokens: Tokens) -> None:
    assert compare_answer(expected, typed) == diff_html(typed_tokens, expected_tokens)


# Every input of rslib/src/typeanswer.rs's tests (expected, typed, combining), whole HTML
# compared with the anki package (Diff::new cases go through compare_answer, which strips).
ANKI_TEST_INPUTS = [
    ("¿Y ahora qué vamos a hacer?", "y ahora qe vamosa hacer", True),  # tokens
    ("[sound:foo.mp3]<b>1</b> &nbsp;2", "1  2", True),  # html_and_media
    ("1", "23", True),  # missed_chars_only_shown_in_typed_when_after_good
    ("12", "1", True),
    ("нос", "нс", True),  # missed_chars_counted_correctly
    ("쓰다듬다", "스다뜸다", True),  # handles_certain_unicode_as_expected
    (
        "Сущность должна быть ответственна только за одно дело",
        "Single responsibility Сущность выполняет только одну задачу."
        "Повод для изменения сущности только один.",
        True,
    ),  # does_not_panic_with_certain_unicode
    ("<div>123</div>", "123", True),  # tags_removed
    ("<div>123</div>", "", True),  # empty_input_shows_as_code
    ("source <dir>/bin/activate", "source <dir>/bin/activate", True),  # correct_input_is_escaped
    ("123", "123", True),  # correct_input_is_collapsed
    ("123", "1123", True),  # incorrect_input_is_not_collapsed
    ("שִׁנּוּן", "שנון", False),  # noncombining_comparison
    ("חוֹף", "חופ", False),
    ("ば", "は", False),
]


@pytest.mark.conformance
@pytest.mark.parametrize(("expected", "typed", "combining"), ANKI_TEST_INPUTS)
def test_anki_test_inputs_match_anki(
    col: Collection, expected: str, typed: str, combining: bool
) -> None:
    assert compare_answer(expected, typed, combining) == col.compare_answer(
        expected, typed, combining
    )


def test_html_and_media_spacing_is_kept() -> None:
    # typeanswer.rs html_and_media: the spacing survives (the reviewer shows it pre-wrapped).
    assert compare_answer("[sound:foo.mp3]<b>1</b> &nbsp;2", "1  2") == (
        "<code id=typeans><span class=typeGood>1  2</span></code>"
    )


def test_strip_expected() -> None:
    assert strip_expected("[sound:foo.mp3]<b>1</b> &nbsp;2") == "1  2"
    assert strip_expected("<div>123</div>") == "123"
    assert strip_expected("a<br />b<BR>\n<div></div>c") == "a b c"


def test_whole_answers() -> None:
    assert compare_answer("<div>123</div>", "123") == (
        "<code id=typeans><span class=typeGood>123</span></code>"
    )
    assert compare_answer("<div>123</div>", "") == "<code id=typeans>123</code>"
    assert compare_answer("source &lt;dir&gt;/bin/activate", "source <dir>/bin/activate") == (
        "<code id=typeans><span class=typeGood>source &lt;dir&gt;/bin/activate</span></code>"
    )
    # does not panic (dissimilar 1.0.4 did)
    compare_answer(
        "Сущность должна быть ответственна только за одно дело",
        "Single responsibility Сущность выполняет только одну задачу."
        "Повод для изменения сущности только один.",
    )


def test_noncombining() -> None:
    assert compare_answer("שִׁנּוּן", "שנון", False) == (
        "<code id=typeans><span class=typeGood>שִׁנּוּן</span></code>"
    )
    assert compare_answer("חוֹף", "חופ", False) == diff_html(
        [good("חו"), bad("פ")], [good("חוֹ"), missing("ף")]
    )
    assert (
        compare_answer("ば", "は", False)
        == "<code id=typeans><span class=typeGood>ば</span></code>"
    )


def test_leading_mark_is_isolated_by_unicode_10_tables() -> None:
    # U+0301 is a mark in Unicode 10; U+1AC1 (Unicode 14) is not, for the crate Anki uses.
    assert compare_answer("q\u0301", "x\u0301") == diff_html(
        [bad("x"), good("\xa0\u0301")], [missing("q"), good("\xa0\u0301")]
    )
    assert compare_answer("q\u1ac1", "x\u1ac1") == diff_html(
        [bad("x"), good("\u1ac1")], [missing("q"), good("\u1ac1")]
    )


FRAGMENTS = [
    "<b>",
    "</b>",
    "<br>",
    "<br />",
    "<BR\t/>",
    "<div>",
    "</div>",
    "\n",
    "<!-- c -->",
    "<style>x</style>",
    "&amp;",
    "&nbsp;",
    "&lt;",
    "&foo;",
    "&",
    "[sound:a.mp3]",
    "[anki:tts lang=en]t[/anki:tts]",
    "[anki:foo]x[/anki:foo]",
    "'",
    '"',
    " ",
    "\xa0",
    "\u2003",
    "e\u0301",
    "\u0301",
    "é",
    "ば",
    "\u05b4",
    "ﬁ",
    "Å",
    "ı",
    "日本",
    "¿Y ahora qué?",
]
# Characters Python's Unicode 14 database knows; later ones normalise differently in the crate.
known_chars = st.characters(blacklist_categories=["Cs", "Cn"])
markup_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(known_chars, max_size=3)), max_size=10
).map("".join)


@st.composite
def answer_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """An expected answer and a typed one that is often a near miss."""
    expected = draw(markup_text)
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return expected, draw(markup_text)
    if choice == 1:
        return expected, ""
    typed = list(strip_expected(expected))
    for _ in range(draw(st.integers(0, 4))):
        position = draw(st.integers(0, len(typed)))
        edit = draw(st.sampled_from(["insert", "delete"]))
        if edit == "insert":
            typed.insert(position, draw(st.sampled_from(["x", " ", "\u0301", "e", "&"])))
        elif position < len(typed):
            del typed[position]
    return expected, "".join(typed)


@pytest.mark.conformance
@settings(derandomize=True, max_examples=1000, deadline=None)
@given(answer_pairs(), st.booleans())
def test_matches_anki(col: Collection, pair: tuple[str, str], combining: bool) -> None:
    expected, typed = pair
    assert compare_answer(expected, typed, combining) == col.compare_answer(
        expected, typed, combining
    )


@pytest.mark.conformance
@settings(derandomize=True, max_examples=150, deadline=None)
@given(
    st.text(st.sampled_from("ab é\u0301x"), min_size=190, max_size=400), st.data(), st.booleans()
)
def test_long_answers_match_anki(
    col: Collection, expected: str, data: st.DataObject, combining: bool
) -> None:
    # From 200 characters on, the Rust difflib's (inverted) popularity filter kicks in.
    cut = data.draw(st.integers(0, len(expected)))
    typed = (
        expected[:cut]
        + data.draw(st.text(st.sampled_from("abyz"), max_size=5))
        + expected[cut + 3 :]
    )
    assert compare_answer(expected, typed, combining) == col.compare_answer(
        expected, typed, combining
    )


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text(), st.text(), st.booleans())
def test_total_on_any_text(expected: str, typed: str, combining: bool) -> None:
    assert compare_answer(expected, typed, combining).startswith("<code id=typeans>")


def test_stripping_scales_linearly(scaling_ratio: ScalingRatio) -> None:
    # The diff itself is quadratic in the worst case, as Anki's is; the stripping is linear.
    unit = "<div>a&amp;b</div>[sound:x.mp3]<br>e\u0301 "

    def run(size: int) -> None:
        expected = unit * (size // len(unit))
        compare_answer(expected, "")
        compare_answer(expected, strip_expected(expected))

    assert scaling_ratio(run, 100_000, 1_000_000) < 40

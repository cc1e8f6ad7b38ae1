"""Type-answer comparison: the HTML Anki shows for ``{{type:Field}}`` (rslib ``typeanswer.rs``).

The diff is Anki's: the Rust ``difflib`` crate's SequenceMatcher, which differs
from Python's ``difflib``: for an expected answer of 200+ characters its
"popular element" filter is inverted (only characters occurring more than
len/100 + 1 times may seed a match), and it has no junk heuristic. Like Anki's,
the comparison is quadratic in the worst case.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from html import escape

from .av import strip_av_tags
from .html import RUST_SPACE_CLASS, rust_caseless, strip_html
from .text_rules import rust_trim

_LINEBREAKS = re.compile(
    "(?:\n|" + rust_caseless("<br") + RUST_SPACE_CLASS + "?/?>|</?" + rust_caseless("div") + ">)+"
)

# General_Category=Mark as of Unicode 10.0 (the unic-ucd-category crate Anki uses to
# decide whether a diff token starts with a mark), as hex code point ranges.
_UNICODE10_MARKS = """
300-36f 483-489 591-5bd 5bf 5c1-5c2 5c4-5c5 5c7 610-61a 64b-65f 670 6d6-6dc 6df-6e4
6e7-6e8 6ea-6ed 711 730-74a 7a6-7b0 7eb-7f3 816-819 81b-823 825-827 829-82d 859-85b
8d4-8e1 8e3-903 93a-93c 93e-94f 951-957 962-963 981-983 9bc 9be-9c4 9c7-9c8 9cb-9cd 9d7
9e2-9e3 a01-a03 a3c a3e-a42 a47-a48 a4b-a4d a51 a70-a71 a75 a81-a83 abc abe-ac5 ac7-ac9
acb-acd ae2-ae3 afa-aff b01-b03 b3c b3e-b44 b47-b48 b4b-b4d b56-b57 b62-b63 b82 bbe-bc2
bc6-bc8 bca-bcd bd7 c00-c03 c3e-c44 c46-c48 c4a-c4d c55-c56 c62-c63 c81-c83 cbc cbe-cc4
cc6-cc8 cca-ccd cd5-cd6 ce2-ce3 d00-d03 d3b-d3c d3e-d44 d46-d48 d4a-d4d d57 d62-d63
d82-d83 dca dcf-dd4 dd6 dd8-ddf df2-df3 e31 e34-e3a e47-e4e eb1 eb4-eb9 ebb-ebc ec8-ecd
f18-f19 f35 f37 f39 f3e-f3f f71-f84 f86-f87 f8d-f97 f99-fbc fc6 102b-103e 1056-1059
105e-1060 1062-1064 1067-106d 1071-1074 1082-108d 108f 109a-109d 135d-135f 1712-1714
1732-1734 1752-1753 1772-1773 17b4-17d3 17dd 180b-180d 1885-1886 18a9 1920-192b
1930-193b 1a17-1a1b 1a55-1a5e 1a60-1a7c 1a7f 1ab0-1abe 1b00-1b04 1b34-1b44 1b6b-1b73
1b80-1b82 1ba1-1bad 1be6-1bf3 1c24-1c37 1cd0-1cd2 1cd4-1ce8 1ced 1cf2-1cf4 1cf7-1cf9
1dc0-1df9 1dfb-1dff 20d0-20f0 2cef-2cf1 2d7f 2de0-2dff 302a-302f 3099-309a a66f-a672
a674-a67d a69e-a69f a6f0-a6f1 a802 a806 a80b a823-a827 a880-a881 a8b4-a8c5 a8e0-a8f1
a926-a92d a947-a953 a980-a983 a9b3-a9c0 a9e5 aa29-aa36 aa43 aa4c-aa4d aa7b-aa7d aab0
aab2-aab4 aab7-aab8 aabe-aabf aac1 aaeb-aaef aaf5-aaf6 abe3-abea abec-abed fb1e
fe00-fe0f fe20-fe2f 101fd 102e0 10376-1037a 10a01-10a03 10a05-10a06 10a0c-10a0f
10a38-10a3a 10a3f 10ae5-10ae6 11000-11002 11038-11046 1107f-11082 110b0-110ba
11100-11102 11127-11134 11173 11180-11182 111b3-111c0 111ca-111cc 1122c-11237 1123e
112df-112ea 11300-11303 1133c 1133e-11344 11347-11348 1134b-1134d 11357 11362-11363
11366-1136c 11370-11374 11435-11446 114b0-114c3 115af-115b5 115b8-115c0 115dc-115dd
11630-11640 116ab-116b7 1171d-1172b 11a01-11a0a 11a33-11a39 11a3b-11a3e 11a47
11a51-11a5b 11a8a-11a99 11c2f-11c36 11c38-11c3f 11c92-11ca7 11ca9-11cb6 11d31-11d36
11d3a 11d3c-11d3d 11d3f-11d45 11d47 16af0-16af4 16b30-16b36 16f51-16f7e 16f8f-16f92
1bc9d-1bc9e 1d165-1d169 1d16d-1d172 1d17b-1d182 1d185-1d18b 1d1aa-1d1ad 1d242-1d244
1da00-1da36 1da3b-1da6c 1da75 1da84 1da9b-1da9f 1daa1-1daaf 1e000-1e006 1e008-1e018
1e01b-1e021 1e023-1e024 1e026-1e02a 1e8d0-1e8d6 1e944-1e94a e0100-e01ef
"""

# Marks the unicode-normalization crate (Unicode 16.0) knows but Python 3.11's
# unicodedata (Unicode 14.0) does not: characters new in Unicode 15.0-16.0.
_MARKS_AFTER_UNICODE14 = """
897 cf3 ece 10d69-10d6d 10efc-10eff 11241 113b8-113c0 113c2 113c5 113c7-113ca 113cc-113d0
113d2 113e1-113e2 11f00-11f01 11f03 11f34-11f3a 11f3e-11f42 11f5a 13440 13447-13455
1611e-1612f 1e08f 1e4ec-1e4ef 1e5ee-1e5ef
"""


def _range_table(packed: str) -> tuple[list[int], list[int]]:
    """Sorted (starts, ends) of hex ranges like ``300-36f 483``."""
    starts: list[int] = []
    ends: list[int] = []
    for item in packed.split():
        first, _, last = item.partition("-")
        starts.append(int(first, 16))
        ends.append(int(last or first, 16))
    return starts, ends


_UNICODE10 = _range_table(_UNICODE10_MARKS)
_AFTER_UNICODE14 = _range_table(_MARKS_AFTER_UNICODE14)

Opcode = tuple[str, int, int, int, int]


def _in_table(char: str, table: tuple[list[int], list[int]]) -> bool:
    starts, ends = table
    index = bisect_right(starts, ord(char)) - 1
    return index >= 0 and ord(char) <= ends[index]


def _is_unicode10_mark(char: str) -> bool:
    return _in_table(char, _UNICODE10)


def _is_combining_mark(char: str) -> bool:
    """``unicode_normalization::char::is_combining_mark`` (General_Category=Mark, Unicode 16)."""
    return unicodedata.category(char).startswith("M") or _in_table(char, _AFTER_UNICODE14)


def strip_expected(expected: str) -> str:
    """The expected answer as compared: no audio tags, line breaks as spaces, no HTML, trimmed."""
    return rust_trim(strip_html(_LINEBREAKS.sub(" ", strip_av_tags(expected))))


def _f32(value: float) -> float:
    return float(struct.unpack("f", struct.pack("f", value))[0])


def _matching_index(b: Sequence[str]) -> dict[str, list[int]]:
    """Positions of each element of ``b`` that may seed a match."""
    positions: dict[str, list[int]] = {}
    for index, item in enumerate(b):
        positions.setdefault(item, []).append(index)
    if len(b) >= 200:
        # The crate keeps (rather than drops) the popular elements; its threshold is f32 maths.
        threshold = int(_f32(_f32(len(b)) / 100.0)) + 1
        positions = {item: found for item, found in positions.items() if len(found) > threshold}
    return positions


def _longest_match(
    a: Sequence[str],
    b: Sequence[str],
    index: dict[str, list[int]],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
) -> tuple[int, int, int]:
    best_i, best_j, best_size = alo, blo, 0
    run_lengths: dict[int, int] = {}
    for i in range(alo, ahi):
        next_lengths: dict[int, int] = {}
        for j in index.get(a[i], ()):
            if j < blo:
                continue
            if j >= bhi:
                break
            size = next_lengths[j] = run_lengths.get(j - 1, 0) + 1
            if size > best_size:
                best_i, best_j, best_size = i + 1 - size, j + 1 - size, size
        run_lengths = next_lengths
    # Grow the match over elements the index left out.
    while best_i > alo and best_j > blo and a[best_i - 1] == b[best_j - 1]:
        best_i, best_j, best_size = best_i - 1, best_j - 1, best_size + 1
    while (
        best_i + best_size < ahi
        and best_j + best_size < bhi
        and a[best_i + best_size] == b[best_j + best_size]
    ):
        best_size += 1
    return best_i, best_j, best_size


def _opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """SequenceMatcher(a, b).get_opcodes() as the Rust difflib 0.4 crate computes it."""
    index = _matching_index(b)
    matches = []
    queue = [(0, len(a), 0, len(b))]
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        i, j, size = _longest_match(a, b, index, alo, ahi, blo, bhi)
        if size:
            if alo < i and blo < j:
                queue.append((alo, i, blo, j))
            if i + size < ahi and j + size < bhi:
                queue.append((i + size, ahi, j + size, bhi))
            matches.append((i, j, size))
    matches.sort()
    blocks = []
    i1, j1, k1 = 0, 0, 0
    for i2, j2, k2 in matches:
        if i1 + k1 == i2 and j1 + k1 == j2:
            k1 += k2
        else:
            if k1:
                blocks.append((i1, j1, k1))
            i1, j1, k1 = i2, j2, k2
    if k1:
        blocks.append((i1, j1, k1))
    blocks.append((len(a), len(b), 0))

    opcodes: list[Opcode] = []
    i = j = 0
    for ai, bj, size in blocks:
        if i < ai and j < bj:
            opcodes.append(("replace", i, ai, j, bj))
        elif i < ai:
            opcodes.append(("delete", i, ai, j, bj))
        elif j < bj:
            opcodes.append(("insert", i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            opcodes.append(("equal", ai, i, bj, j))
    return opcodes


Token = tuple[str, str]  # (CSS class, text)


def _diff_tokens(typed: Sequence[str], expected: Sequence[str]) -> tuple[list[Token], list[Token]]:
    """(class, text) tokens for the typed line and the expected line."""
    typed_tokens: list[Token] = []
    expected_tokens: list[Token] = []
    for tag, t1, t2, e1, e2 in _opcodes(typed, expected):
        typed_text = "".join(typed[t1:t2])
        expected_text = "".join(expected[e1:e2])
        if tag == "equal":
            typed_tokens.append(("typeGood", typed_text))
            expected_tokens.append(("typeGood", expected_text))
        elif tag == "delete":
            typed_tokens.append(("typeBad", typed_text))
        elif tag == "insert":
            typed_tokens.append(("typeMissed", "-" * (e2 - e1)))
            expected_tokens.append(("typeMissed", expected_text))
        else:
            typed_tokens.append(("typeBad", typed_text))
            expected_tokens.append(("typeMissed", expected_text))
    return typed_tokens, expected_tokens


def _render_tokens(tokens: list[Token]) -> str:
    parts = []
    for css_class, text in tokens:
        # A leading mark would join the previous span's last character.
        if text and _is_unicode10_mark(text[0]):
            text = "\xa0" + text
        parts.append(f"<span class={css_class}>{escape(text)}</span>")
    return "".join(parts)


def _render_with_marks(tokens: list[Token], clusters: list[str]) -> str:
    """Expected tokens shown with the combining marks the comparison ignored."""
    parts = []
    position = 0
    for css_class, text in tokens:
        end = position + len(text)
        parts.append(f"<span class={css_class}>{escape(''.join(clusters[position:end]))}</span>")
        position = end
    return "".join(parts)


def _without_marks(text: str) -> tuple[list[str], list[str]]:
    """NFKD base characters, and each base with the marks that follow it."""
    bases: list[str] = []
    clusters: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if _is_combining_mark(char):
            if clusters:
                clusters[-1] += char
        else:
            bases.append(char)
            clusters.append(char)
    return bases, clusters


def compare_answer(expected: str, provided: str, combining: bool = True) -> str:
    """The ``<code id=typeans>`` HTML comparing a typed answer with the expected one."""
    stripped = strip_expected(expected)
    if not provided:
        return f"<code id=typeans>{escape(stripped)}</code>"
    if combining:
        shown = unicodedata.normalize("NFC", stripped)
        expected_chars = list(shown)
        typed_chars = list(unicodedata.normalize("NFC", provided))
    else:
        shown = stripped
        expected_chars, clusters = _without_marks(stripped)
        typed_chars = _without_marks(provided)[0]
    if typed_chars == expected_chars:
        return f"<code id=typeans><span class=typeGood>{escape(shown)}</span></code>"
    typed_tokens, expected_tokens = _diff_tokens(typed_chars, expected_chars)
    if combining:
        expected_html = _render_tokens(expected_tokens)
    else:
        expected_html = _render_with_marks(expected_tokens, clusters)
    return (
        f"<code id=typeans>{_render_tokens(typed_tokens)}<br><span id=typearrow>&darr;</span>"
        f"<br>{expected_html}</code>"
    )

"""Line handling of JSON Lines requests: numbering, blank lines, flushing."""

from __future__ import annotations

import io
import json
from typing import Any

from anki_template_designer.cli.jsonl import answer_line, answer_lines


def echo(request: object) -> dict[str, Any]:
    """A handler that answers with the request, or an error for non-objects."""
    if not isinstance(request, dict):
        return {"cards": [], "error": "not an object"}
    return {"cards": [request], "error": None}


class CountingFlushes(io.BytesIO):
    """A byte stream that records how much had been written at each flush."""

    def __init__(self) -> None:
        super().__init__()
        self.flushed_at: list[int] = []

    def flush(self) -> None:
        self.flushed_at.append(len(self.getvalue()))


def test_error_messages_carry_the_line_number() -> None:
    assert answer_line(7, b"[]", echo) == {"cards": [], "error": "line 7: not an object"}
    response = answer_line(3, b'{"a": ', echo)
    assert response["error"] == "line 3: not valid JSON: Expecting value (column 7)"


def test_blank_lines_are_skipped_but_counted() -> None:
    out = io.BytesIO()
    failures = answer_lines([b"{}\n", b"   \n", b"\n", b"5\n"], echo, out)
    assert failures == 1
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first == {"cards": [{}], "error": None}
    assert second["error"] == "line 4: not an object"


def test_each_response_is_flushed_as_it_is_written() -> None:
    out = CountingFlushes()
    answer_lines([b"{}\n", b"{}\n"], echo, out)
    assert len(out.flushed_at) == 2
    assert out.flushed_at[0] == len(out.getvalue()) // 2


def test_lone_surrogates_stay_escaped() -> None:
    out = io.BytesIO()
    answer_lines([b'{"x": "\\udc80"}\n'], echo, out)
    assert json.loads(out.getvalue()) == {"cards": [{"x": "\udc80"}], "error": None}

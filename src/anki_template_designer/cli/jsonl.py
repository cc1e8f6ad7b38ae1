"""Answer JSON Lines requests one line at a time, with line-numbered errors."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import IO, Any

Handler = Callable[[object], dict[str, Any]]


def _failure(line_number: int, message: str) -> dict[str, Any]:
    return {"cards": [], "error": f"line {line_number}: {message}"}


def answer_line(line_number: int, raw: bytes, handler: Handler) -> dict[str, Any]:
    """The response to one input line; decoding problems become an ``error`` response."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return _failure(line_number, f"not valid UTF-8 (byte {error.start + 1})")
    try:
        request = json.loads(text)
    except json.JSONDecodeError as error:
        return _failure(line_number, f"not valid JSON: {error.msg} (column {error.colno})")
    response = handler(request)
    if response.get("error"):
        response = {**response, "error": f"line {line_number}: {response['error']}"}
    return response


def answer_lines(
    lines: Iterable[bytes], handler: Handler, output: IO[bytes], *, pretty: bool = False
) -> int:
    """Write one JSON response per non-blank input line, flushing each; return the failure count."""
    failures = 0
    for line_number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        response = answer_line(line_number, raw, handler)
        if response.get("error"):
            failures += 1
        text = json.dumps(response, ensure_ascii=False, indent=2 if pretty else None)
        # Lone surrogates from "\udXXX" escapes in the input cannot be UTF-8; keep them escaped.
        output.write(text.encode("utf-8", "backslashreplace") + b"\n")
        # Flush per line so that a caller streaming requests gets each answer at once.
        output.flush()
    return failures

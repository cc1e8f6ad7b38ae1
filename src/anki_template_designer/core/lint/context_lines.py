"""Offsets to 1-based line and column, and back, for one text."""

from __future__ import annotations

import bisect


class LineIndex:
    """Turns character offsets of one text into 1-based (line, column) and back."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        position = text.find("\n")
        while position != -1:
            self._starts.append(position + 1)
            position = text.find("\n", position + 1)

    def line_column(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of ``offset``."""
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and column."""
        return self._starts[min(max(line, 1), len(self._starts)) - 1] + column - 1

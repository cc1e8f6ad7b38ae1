"""Conformance vectors: cases from Anki's own Rust tests, answered by the anki package.

Each ``vectors/*.json`` file is a list of ``{"name": ..., "request": ...}``; the
expected response is never stored, the oracle computes it at test time.
``regressions.json`` keeps the discrepancies the differential tests found.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .compare import assert_conforms
from .oracle import AnkiOracle

VECTORS_DIR = Path(__file__).parent / "vectors"


def _load_vectors() -> list[Any]:
    cases = []
    for path in sorted(VECTORS_DIR.glob("*.json")):
        for vector in json.loads(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(vector["request"], id=f"{path.stem}/{vector['name']}"))
    return cases


@pytest.mark.conformance
@pytest.mark.parametrize("request_", _load_vectors())
def test_vector(anki_oracle: AnkiOracle, request_: dict[str, Any]) -> None:
    assert_conforms(anki_oracle, request_)

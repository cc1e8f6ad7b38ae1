"""The example requests shipped with the package render exactly as Anki renders them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .compare import assert_conforms
from .oracle import AnkiOracle

EXAMPLES = Path(__file__).parents[2] / "src" / "anki_template_designer" / "examples"
REQUESTS = (EXAMPLES / "basic.jsonl").read_text(encoding="utf-8").splitlines()


@pytest.mark.conformance
@pytest.mark.parametrize(
    "line", REQUESTS, ids=[json.loads(line)["notetype"]["name"] for line in REQUESTS]
)
def test_example_conforms(anki_oracle: AnkiOracle, line: str) -> None:
    assert_conforms(anki_oracle, json.loads(line))

"""Differential tests: generated notes rendered by the engine and by the anki package.

5,000 generated notes in all (fixed seed); ``--conformance-deep`` runs 100,000. Each test
counts the requests it really compared and fails if hypothesis stopped short of its share.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy

from . import strategies
from .compare import assert_conforms
from .oracle import AnkiOracle

DEEP_FACTOR = 20

pytestmark = pytest.mark.conformance


def _run(oracle: AnkiOracle, deep: bool, examples: int, requests: SearchStrategy[Any]) -> None:
    """Check ``examples`` generated requests (20 times as many when deep).

    Hypothesis treats ``max_examples`` as an upper bound (it stops early if it believes the
    space is exhausted), so the requests actually compared are counted and the count asserted.
    """
    target = examples * (DEEP_FACTOR if deep else 1)
    checked = 0

    @settings(
        max_examples=target,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(requests)
    def check(request: dict[str, Any]) -> None:
        nonlocal checked
        checked += 1
        assert_conforms(oracle, request)

    check()
    assert checked == target, f"only {checked} of {target} generated requests were compared"


def test_standard_notes(anki_oracle: AnkiOracle, conformance_deep: bool) -> None:
    _run(anki_oracle, conformance_deep, 2_200, strategies.render_request(kind=0))


def test_cloze_notes(anki_oracle: AnkiOracle, conformance_deep: bool) -> None:
    _run(anki_oracle, conformance_deep, 1_800, strategies.render_request(kind=1))


def test_any_notes(anki_oracle: AnkiOracle, conformance_deep: bool) -> None:
    _run(anki_oracle, conformance_deep, 500, strategies.render_request())


def test_character_soup(anki_oracle: AnkiOracle, conformance_deep: bool) -> None:
    _run(anki_oracle, conformance_deep, 500, strategies.soup_request())

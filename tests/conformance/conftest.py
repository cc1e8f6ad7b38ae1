"""Fixtures for the conformance tests against the official ``anki`` package."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .oracle import AnkiOracle


@pytest.fixture(scope="session")
def anki_oracle() -> Iterator[AnkiOracle]:
    """One temporary Anki collection shared by every conformance test."""
    oracle = AnkiOracle()
    yield oracle
    oracle.close()

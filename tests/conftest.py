"""Shared pytest configuration: markers and the ``--conformance-deep`` option."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--conformance-deep``: run 100,000 generated notes instead of 5,000."""
    parser.addoption(
        "--conformance-deep",
        action="store_true",
        default=False,
        help="differential conformance tests: 100,000 generated notes instead of 5,000",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the project's markers."""
    config.addinivalue_line(
        "markers", "conformance: compares the engine with the official anki package"
    )


@pytest.fixture(scope="session")
def conformance_deep(request: pytest.FixtureRequest) -> bool:
    """Whether ``--conformance-deep`` was given."""
    return bool(request.config.getoption("--conformance-deep"))

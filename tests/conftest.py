"""Shared pytest configuration: markers and the ``--conformance-deep`` option."""

from __future__ import annotations

import time
from collections.abc import Callable

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


def measure_scaling(run: Callable[[int], object], small: int, large: int) -> float:
    """How many times longer ``run(large)`` takes than ``run(small)``, robust to a noisy machine.

    Each size is timed best-of-three after a warm-up; a ratio over the margin a caller cares
    about is measured again (a busy machine spoils one measurement, not a quadratic's every
    one), and the smallest ratio seen is returned. For 10x the input, linear is ~10x and
    quadratic ~100x, so callers assert well between the two.
    """

    def best(size: int) -> float:
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            run(size)
            timings.append(time.perf_counter() - start)
        return min(timings)

    run(small)
    ratios = []
    for _ in range(3):
        ratios.append(best(large) / max(best(small), 1e-6))
        if ratios[-1] < 40:
            break
    return min(ratios)


@pytest.fixture
def scaling_ratio() -> Callable[[Callable[[int], object], int, int], float]:
    """:func:`measure_scaling` as a fixture, so test modules need not import from conftest."""
    return measure_scaling

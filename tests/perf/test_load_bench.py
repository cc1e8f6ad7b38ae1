"""benchmarks/load_bench.py, tiny: real ``atd serve`` subprocesses, every operation, no errors.

Only that the benchmark works end to end is checked; its timings are never asserted.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
TINY = ["--users", "2", "--duration", "2", "--notetypes", "3", "--think", "0.2"]

pytestmark = pytest.mark.slow


@pytest.fixture
def load_bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("load_bench")


def test_a_tiny_run_with_and_without_caches_prints_every_operation_without_errors(
    load_bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert load_bench.main([*TINY, "--compare-caches"]) == 0

    out = capsys.readouterr().out
    *runs, comparison = out.split("\n\n")
    assert len(runs) == 2, out
    assert "caches on" in runs[0] and "caches OFF" in runs[1]
    assert "ATD_CACHE=off" in runs[1]
    for run in runs:
        rows = {line.split()[0]: line for line in run.splitlines() if line.strip()}
        for operation, request in load_bench.OPERATIONS.items():
            assert request in rows[operation], run
            assert "no request answered" not in rows[operation], run
        assert "\nerrors: 0\n" in run
        assert "save conflicts (409): 0" in run
        assert "peak RSS" in run
        assert "PASS" in run or "MISS" in run
    ratios = {line.split()[0] for line in comparison.splitlines()[2:]}
    assert set(load_bench.OPERATIONS) <= ratios, comparison


def test_json_holds_both_runs_and_the_speedups(load_bench: ModuleType) -> None:
    def run(caches: bool, p50: float, p95: float) -> object:
        result = load_bench.RunResult(caches, "", 1, 2.0, 3, elapsed=2.0)
        result.operations["preview"] = load_bench.OpStats(10, p50, p95, p95)
        return result

    doc = json.loads(json.dumps(load_bench.as_json([run(True, 2.0, 5.0), run(False, 6.0, 20.0)])))

    assert [r["caches"] for r in doc["runs"]] == [True, False]
    assert doc["runs"][0]["requests"] == 10
    assert doc["runs"][0]["throughput"] == 5.0
    assert {"target": "preview p95 < 25 ms", "met": True, "measured": "5.0 ms"} in doc["runs"][0][
        "targets"
    ]
    assert doc["speedup"] == {"preview": {"p50": 3.0, "p95": 4.0}}


def test_the_benchmark_refuses_fewer_note_types_than_users(
    load_bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        load_bench.parse_args(["--users", "5", "--notetypes", "5"])

    assert exited.value.code == 2
    assert "--notetypes > --users" in capsys.readouterr().err

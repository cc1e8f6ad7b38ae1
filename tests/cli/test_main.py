"""``atd`` through Typer's test runner: render, cards, check and --version."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from anki_template_designer import __version__
from anki_template_designer.cli.main import app
from anki_template_designer.services.render import cards_request, render_request

from .conftest import EXAMPLES, basic_notetype, jsonl, output_lines


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"atd {__version__}\n"


def test_no_arguments_shows_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert "render" in result.output and "check" in result.output


def test_render_from_stdin(runner: CliRunner) -> None:
    request = {"notetype": basic_notetype(), "fields": {"Front": "Hund", "Back": "dog"}}
    result = runner.invoke(app, ["render"], input=jsonl(request))
    assert result.exit_code == 0, result.output
    [response] = output_lines(result.stdout)
    assert response["error"] is None
    [card] = response["cards"]
    assert card["question"] == "Hund"
    assert card["answer"] == "Hund\n\n<hr id=answer>\n\ndog"
    assert response == render_request(request)


def test_render_keeps_going_after_bad_lines_and_exits_1(runner: CliRunner) -> None:
    good = {"notetype": basic_notetype(), "fields": {"Front": "a"}}
    text = jsonl(good) + "{not json\n\n" + jsonl({"notetype": {"name": "x"}}, good)
    result = runner.invoke(app, ["render"], input=text)
    assert result.exit_code == 1
    responses = output_lines(result.stdout)
    assert len(responses) == 4  # the blank line 3 is skipped
    assert responses[0]["error"] is None and responses[3]["error"] is None
    assert responses[1]["cards"] == []
    assert responses[1]["error"].startswith("line 2: not valid JSON")
    assert responses[2]["error"].startswith("line 4: ")
    assert "flds" in responses[2]["error"]


def test_render_error_for_a_request_that_is_not_an_object(runner: CliRunner) -> None:
    result = runner.invoke(app, ["render"], input="[1, 2]\n")
    assert result.exit_code == 1
    [response] = output_lines(result.stdout)
    assert response["cards"] == [] and response["error"].startswith("line 1: ")


def test_render_pretty_indents(runner: CliRunner) -> None:
    request = {"notetype": basic_notetype(), "fields": {"Front": "a"}}
    result = runner.invoke(app, ["render", "--pretty"], input=jsonl(request))
    assert result.exit_code == 0
    assert result.stdout.startswith('{\n  "cards": [')
    assert json.loads(result.stdout) == render_request(request)


def test_render_input_file(runner: CliRunner) -> None:
    result = runner.invoke(app, ["render", "--input", str(EXAMPLES / "basic.jsonl")])
    assert result.exit_code == 0, result.output
    responses = output_lines(result.stdout)
    lines = (EXAMPLES / "basic.jsonl").read_text(encoding="utf-8").splitlines()
    assert responses == [render_request(json.loads(line)) for line in lines]
    assert all(r["error"] is None and r["cards"] for r in responses)


def test_render_missing_input_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", "--input", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "nope.jsonl: no such file" in result.stderr
    assert "Traceback" not in result.output


def test_render_keeps_non_ascii_text(runner: CliRunner) -> None:
    request = {"notetype": basic_notetype(), "fields": {"Front": "日本語 ✓"}}
    result = runner.invoke(app, ["render"], input=jsonl(request))
    assert "日本語 ✓" in result.stdout


def test_render_invalid_utf8_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["render"], input=b'{"a": "\xff"}\n')
    assert result.exit_code == 1
    [response] = output_lines(result.stdout)
    assert response["error"].startswith("line 1: not valid UTF-8")


def test_render_lone_surrogate_is_an_error_line_and_the_next_line_renders(
    runner: CliRunner,
) -> None:
    # JSON allows "\\ud800" escapes; such text is not Unicode and the anki package cannot add
    # the note. This used to crash the command (hint's id hashing) and lose every later line.
    bad = basic_notetype()
    bad["tmpls"][0]["qfmt"] = "{{hint:Front}}"
    text = json.dumps({"notetype": bad, "fields": {"Front": "a\ud800b"}}) + "\n"
    text += jsonl({"notetype": basic_notetype(), "fields": {"Front": "ok"}})
    result = runner.invoke(app, ["render"], input=text)
    assert result.exit_code == 1, result.output
    first, second = output_lines(result.stdout)
    assert first == {
        "cards": [],
        "error": "line 1: field 'Front' is not Unicode text: lone surrogate U+D800 at "
        "character 2 (Anki cannot store it)",
    }
    assert second["error"] is None and second["cards"][0]["question"] == "ok"


def test_cards(runner: CliRunner) -> None:
    reversed_type = basic_notetype("Basic (and reversed card)")
    reversed_type["tmpls"].append({"name": "Card 2", "qfmt": "{{Back}}", "afmt": "{{Front}}"})
    request = {"notetype": reversed_type, "fields": {"Front": "a", "Back": "b"}}
    result = runner.invoke(app, ["cards"], input=jsonl(request, {"notetype": 3}))
    assert result.exit_code == 1
    first, second = output_lines(result.stdout)
    assert first == cards_request(request)
    assert first["cards"] == [
        {"ord": 0, "template": "Card 1"},
        {"ord": 1, "template": "Card 2"},
    ]
    assert second["error"].startswith("line 2: ")


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_check_clean_notetype(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path / "basic.json", basic_notetype())
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no problems" in result.stderr


def test_check_reports_problems_with_locations(runner: CliRunner) -> None:
    path = EXAMPLES / "broken_notetype.json"
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:Recognition:front:4:1: Found '{{{{/Exmaple}}}}', but expected '{{{{/Example}}}}'",
        f"{path}:Production:back:6:1: Found '{{{{hint:Notes}}}}', but there is no field called "
        "'Notes'",
    ]
    assert "2 problems" in result.stderr


def test_check_json_format(runner: CliRunner, tmp_path: Path) -> None:
    broken = basic_notetype()
    broken["tmpls"][0]["qfmt"] = "{{#Front}}{{Front}}"
    path = _write(tmp_path / "list.json", [basic_notetype("Other"), broken])
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "file": str(path),
            "notetype": "Basic",
            "template": "Card 1",
            "side": "front",
            "line": 1,
            "column": 1,  # the section left open
            "message": "Missing '{{/Front}}'",
        }
    ]


def test_check_lone_surrogate_is_a_file_error(runner: CliRunner, tmp_path: Path) -> None:
    # A "\\udXXX" escape in the file: not Unicode, so not a note type Anki could hold (this
    # used to crash while printing the problem found in that template).
    notetype = basic_notetype()
    notetype["tmpls"][0]["qfmt"] = "{{X\ud800}}"
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(notetype), encoding="utf-8")
    for args in ([], ["--format", "json"]):
        result = runner.invoke(app, ["check", str(path), *args])
        assert result.exit_code == 2, result.output
        assert result.stderr == (
            f"atd: {path}: note type is not valid: the front template of card type 'Card 1' "
            "is not Unicode text: lone surrogate U+D800 at character 4 (Anki cannot store it)\n"
        )


def test_check_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "gone.json")])
    assert result.exit_code == 2
    assert "gone.json: no such file" in result.stderr
    assert "Traceback" not in result.output


def test_check_invalid_json(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"name": "x",\n  oops}', encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2:3: not valid JSON" in result.stderr


def test_check_invalid_notetype(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path / "nt.json", [basic_notetype(), {"name": "no fields"}])
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert "note type #2 is not valid" in result.stderr


def test_check_unknown_format(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path / "basic.json", basic_notetype())
    result = runner.invoke(app, ["check", str(path), "--format", "xml"])
    assert result.exit_code == 2

"""AnkiConnect client: pull and push against a local server backed by a real anki Collection."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection

from anki_template_designer.core.model import CardTemplate, Field, NoteType
from anki_template_designer.formats.ankiconnect import AnkiConnect
from anki_template_designer.formats.bundle import NoteTypeBundle
from anki_template_designer.formats.errors import AnkiConnectError

from .ankiconnect_server import AnkiConnectServer
from .conftest import add_rich_notetype


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    """A fresh collection with Anki's stock note types and the rich test note type."""
    collection = Collection(str(tmp_path / "collection.anki2"))
    add_rich_notetype(collection)
    yield collection
    collection.close()


@pytest.fixture
def server(col: Collection) -> Iterator[AnkiConnectServer]:
    """A running AnkiConnect stand-in for ``col``."""
    with AnkiConnectServer(col) as running:
        yield running


def vocab() -> NoteType:
    """A note type Anki does not have yet."""
    return NoteType(
        name="ATD Vocab",
        fields=(Field("Word"), Field("Meaning")),
        templates=(
            CardTemplate("Recognise", "{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}"),
        ),
        css=".card { font-size: 30px; }",
    )


def test_list_and_pull_full_notetype(server: AnkiConnectServer, col: Collection) -> None:
    client = AnkiConnect(server.url)
    names = client.list_notetypes()
    assert "ATD Rich" in names and "Basic" in names
    pulled = client.pull("ATD Rich").notetype
    stored = col.models.by_name("ATD Rich")
    assert stored is not None
    assert pulled.id == stored["id"] and pulled.latex_pre == stored["latexPre"]
    assert pulled.templates[0].browser_front == "{{text:Front}}"
    assert pulled.fields[0].extra["description"] == "the cue"


def test_pull_without_find_models_uses_basic_actions(col: Collection) -> None:
    with AnkiConnectServer(col, find_models=False) as server:
        pulled = AnkiConnect(server.url).pull("Cloze").notetype
        assert "modelTemplates" in server.calls
    assert pulled.is_cloze and pulled.field_names == ("Text", "Back Extra")
    with (
        AnkiConnectServer(col, find_models=False) as server,
        pytest.raises(AnkiConnectError, match=r"no note type called 'Nope'.*'Basic'"),
    ):
        AnkiConnect(server.url).pull("Nope")


def test_push_creates_a_missing_notetype(server: AnkiConnectServer, col: Collection) -> None:
    client = AnkiConnect(server.url)
    plan = client.push(NoteTypeBundle(vocab()), dry_run=True)
    assert plan.create and not plan.applied and col.models.by_name("ATD Vocab") is None
    assert "+++ b/ATD Vocab/Recognise.front.html" in plan.diff and "--- /dev/null" in plan.diff
    assert client.push(NoteTypeBundle(vocab())).applied
    stored = col.models.by_name("ATD Vocab")
    assert stored is not None
    assert [f["name"] for f in stored["flds"]] == ["Word", "Meaning"]
    assert stored["tmpls"][0]["qfmt"] == "{{Word}}" and stored["css"] == vocab().css
    assert not client.push(NoteTypeBundle(vocab())).changed


def test_push_updates_templates_css_and_adds_cards_and_fields(
    server: AnkiConnectServer, col: Collection
) -> None:
    client = AnkiConnect(server.url)
    rich = client.pull("ATD Rich").notetype
    note = col.new_note(col.models.by_name("ATD Rich"))  # type: ignore[arg-type]
    note["Front"], note["Back"] = "hola", "hello"
    col.add_note(note, col.decks.id("Default") or 1)  # type: ignore[arg-type]
    templates = (
        dataclasses.replace(rich.templates[0], front="NEW {{Front}}"),
        rich.templates[1],
        CardTemplate("Hint", "{{Hint}}: {{Front}}", "{{Back}}"),
    )
    wanted = dataclasses.replace(
        rich, templates=templates, css="/* new */", fields=(*rich.fields, Field("Hint"))
    )
    dry = client.push(NoteTypeBundle(wanted), dry_run=True)
    assert dry.updated_templates == ("Forward",) and dry.added_templates == ("Hint",)
    assert dry.added_fields == ("Hint",) and dry.css_changed
    assert "\n-{{Front}}<img" in dry.diff and "\n+NEW {{Front}}\n" in dry.diff
    assert any("browser appearance" in w for w in dry.warnings)
    stored = col.models.by_name("ATD Rich")
    assert stored is not None and stored["css"] != "/* new */"  # a dry run changes nothing

    assert client.push(NoteTypeBundle(wanted)).applied
    stored = col.models.by_name("ATD Rich")
    assert stored is not None
    assert [t["name"] for t in stored["tmpls"]] == ["Forward", "Reverse", "Hint"]
    assert stored["tmpls"][0]["qfmt"] == "NEW {{Front}}" and stored["css"] == "/* new */"
    assert stored["flds"][-1]["name"] == "Hint"
    assert col.get_note(note.id).cards()[0].question().endswith("NEW hola")


def test_push_warns_about_what_it_cannot_change(server: AnkiConnectServer) -> None:
    client = AnkiConnect(server.url)
    rich = client.pull("ATD Rich").notetype
    only_forward = dataclasses.replace(
        rich,
        templates=(dataclasses.replace(rich.templates[0], back="", browser_front=""),),
    )
    plan = client.push(NoteTypeBundle(only_forward), dry_run=True)
    assert any("'Reverse' is in Anki but not in the folder" in w for w in plan.warnings)
    assert any("ignores an empty back" in w for w in plan.warnings)


def test_connection_refused_says_start_anki() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(AnkiConnectError, match=r"not running.*connection refused.*2055492159"):
        AnkiConnect(f"http://127.0.0.1:{port}").list_notetypes()


def test_error_reply_is_reported_with_the_action(col: Collection) -> None:
    with AnkiConnectServer(
        col, failures={"updateModelStyling": "collection is not available"}
    ) as s:
        client = AnkiConnect(s.url)
        wanted = dataclasses.replace(client.pull("Basic").notetype, css="x")
        with pytest.raises(
            AnkiConnectError, match="could not run 'updateModelStyling': collection is not"
        ):
            client.push(NoteTypeBundle(wanted))


def test_old_version_says_update(col: Collection) -> None:
    with (
        AnkiConnectServer(col, version=5) as server,
        pytest.raises(AnkiConnectError, match="protocol version 5; version 6 or later"),
    ):
        AnkiConnect(server.url).list_notetypes()


@pytest.mark.parametrize(("given", "state"), [(None, "is required"), ("wrong", "was wrong")])
def test_wrong_key_says_where_to_find_it(col: Collection, given: str | None, state: str) -> None:
    with AnkiConnectServer(col, key="secret") as server:
        with pytest.raises(AnkiConnectError, match=f"API key {state}.*ATD_ANKICONNECT_KEY"):
            AnkiConnect(server.url, key=given).list_notetypes()
        assert "Basic" in AnkiConnect(server.url, key="secret").list_notetypes()


def test_something_else_on_the_port() -> None:
    import http.server
    import threading

    httpd = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(AnkiConnectError, match=r"HTTP 501.*another program"):
            AnkiConnect(f"http://127.0.0.1:{httpd.server_address[1]}").list_notetypes()
    finally:
        httpd.shutdown()
        httpd.server_close()


def _changes_everything(client: AnkiConnect) -> NoteType:
    rich = client.pull("ATD Rich").notetype
    templates = (
        dataclasses.replace(rich.templates[0], front="NEW {{Front}}"),
        rich.templates[1],
        CardTemplate("Hint", "{{Hint}}: {{Front}}", "{{Back}}"),
    )
    return dataclasses.replace(
        rich, templates=templates, css="/* new */", fields=(*rich.fields, Field("Hint"))
    )


def _snapshot(col: Collection) -> tuple[object, ...]:
    col.models._clear_cache()
    stored = col.models.by_name("ATD Rich")
    assert stored is not None
    return (
        [(f["name"], f["ord"]) for f in stored["flds"]],
        [(t["name"], t["qfmt"], t["afmt"]) for t in stored["tmpls"]],
        stored["css"],
        col.card_count(),
    )


@pytest.mark.parametrize(
    ("failing", "message"),
    [
        ("updateModelStyling", r"could not run 'updateModelStyling': collection is busy"),
        ("updateModelTemplates", r"could not run 'updateModelTemplates': collection is busy"),
        ("modelTemplateAdd", r"does not know the action 'modelTemplateAdd'.*too old"),
    ],
)
def test_a_failed_push_undoes_its_earlier_steps(
    col: Collection, failing: str, message: str
) -> None:
    note = col.new_note(col.models.by_name("ATD Rich"))  # type: ignore[arg-type]
    note["Front"], note["Back"] = "hola", "hello"
    col.add_note(note, col.decks.id("Default") or 1)  # type: ignore[arg-type]
    before = _snapshot(col)
    error = "unsupported action" if failing == "modelTemplateAdd" else "collection is busy"
    with AnkiConnectServer(col, failures={failing: error}) as server:
        client = AnkiConnect(server.url)
        with pytest.raises(AnkiConnectError, match=message) as raised:
            client.push(NoteTypeBundle(_changes_everything(client)))
        assert "undone" in str(raised.value) and "as it was" in str(raised.value)
        assert "modelFieldAdd" in server.calls  # the push had changed Anki before failing
    assert _snapshot(col) == before


def test_a_failed_undo_says_to_check_the_note_type(col: Collection) -> None:
    failures = {"updateModelStyling": "collection is busy", "modelFieldRemove": "locked"}
    with AnkiConnectServer(col, failures=failures) as server:
        client = AnkiConnect(server.url)
        with pytest.raises(AnkiConnectError, match=r"Undoing .* failed too.*modelFieldRemove"):
            client.push(NoteTypeBundle(_changes_everything(client)))

"""From a running Anki to an edited note type and back, through AnkiConnect.

Anki is the project's AnkiConnect stand-in (tests/formats/ankiconnect_server.py): the
add-on's documented protocol over a real anki Collection. This module's ``server`` is an
``atd serve`` told where that Anki listens (``ATD_ANKICONNECT_URL``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from anki.collection import Collection
from playwright.sync_api import Page, expect

from formats.ankiconnect_server import AnkiConnectServer

from .helpers import (
    STATIC_INDEX,
    Server,
    by_testid,
    expect_editor_text,
    expect_saved_state,
    open_library,
    set_editor_text,
    unique,
)
from .launch import require_ui, running_server

pytestmark = pytest.mark.e2e

NAME = unique("E2E From Anki")
FRONT = "<b>{{Front}}</b>"


@pytest.fixture(scope="module")
def anki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnkiConnectServer]:
    """A running "Anki" with one custom note type, answering AnkiConnect requests."""
    col = Collection(str(tmp_path_factory.mktemp("anki") / "collection.anki2"))
    try:
        models = col.models
        notetype = models.new(NAME)
        for field_name in ("Front", "Back"):
            models.add_field(notetype, models.new_field(field_name))
        template = models.new_template("Card 1")
        template.update(qfmt=FRONT, afmt="{{FrontSide}}<hr id=answer>{{Back}}")
        models.add_template(notetype, template)
        models.add(notetype)
        with AnkiConnectServer(col) as running:
            yield running
    finally:
        col.close()


@pytest.fixture(scope="module")
def server(anki: AnkiConnectServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Overrides conftest's ``server``: an ``atd serve`` that talks to ``anki``."""
    require_ui(STATIC_INDEX)
    root = tmp_path_factory.mktemp("e2e-anki-server")
    with running_server(root, env={"ATD_ANKICONNECT_URL": anki.url}) as started:
        yield started


def test_import_from_anki_edit_and_send_back(page: Page, anki: AnkiConnectServer) -> None:
    open_library(page)
    by_testid(page, "import-anki").click()
    dialog = by_testid(page, "anki-import-dialog")
    choice = dialog.get_by_test_id("anki-notetype").and_(page.locator(f'[value="{NAME}"]'))
    choice.check()
    by_testid(page, "anki-import-ok").click()
    expect(dialog).to_be_hidden()
    expect(by_testid(page, "toast").filter(has_text=NAME)).to_be_visible()

    by_testid(page, "library-item").filter(has_text=NAME).click()
    expect(by_testid(page, "notetype-name")).to_contain_text(NAME)
    expect_editor_text(page, "front", FRONT)
    set_editor_text(page, "front", "<i>{{Front}}</i> edited in the designer")
    expect_saved_state(page, "saved")

    # Sending shows what will change in Anki first.
    by_testid(page, "push-anki").click()
    expect(by_testid(page, "confirm-message")).to_contain_text(NAME)
    expect(by_testid(page, "confirm-message")).to_contain_text("Card 1")
    by_testid(page, "confirm-ok").click()
    expect(by_testid(page, "toast").filter(has_text="Sent")).to_be_visible()
    with anki.lock:
        model = anki.col.models.by_name(NAME)
        assert model is not None
        assert model["tmpls"][0]["qfmt"] == "<i>{{Front}}</i> edited in the designer"

"""Type-in answers in the preview: the box on the question, Anki's comparison on the answer.

The expected comparison HTML comes from the official ``anki`` package (``compare_answer``,
``extract_cloze_for_typing``); the markup around it is Anki desktop's reviewer
(``typeAnsQuestionFilter``/``typeAnsAnswerFilter``) and AnkiDroid's ``TypeAnswer.kt``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest

from .helpers import problem

pytestmark = pytest.mark.anyio


class AnkiCollection(Protocol):
    """The part of ``anki.collection.Collection`` these tests call."""

    def compare_answer(self, expected: str, provided: str, combining: bool = True) -> str: ...

    def extract_cloze_for_typing(self, text: str, ordinal: int) -> str: ...


@pytest.fixture(scope="module")
def anki_collection() -> Iterator[AnkiCollection]:
    """A temporary collection of the official anki package (skipped if it is not installed)."""
    collection_module = pytest.importorskip("anki.collection")
    with tempfile.TemporaryDirectory() as folder:
        collection = collection_module.Collection(str(Path(folder) / "c.anki2"))
        yield collection
        collection.close()


TYPED: dict[str, Any] = {
    "name": "Typed",
    "fields": [{"name": "Front"}, {"name": "Back", "options": {"font": "Noto", "size": 24}}],
    "card_types": [
        {
            "name": "Card 1",
            "front": "{{Front}}\n\n{{type:Back}}",
            "back": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
        }
    ],
}
SAMPLE = {"fields": {"Front": "cat", "Back": "Katze"}}


def card(page: str) -> str:
    """The card's HTML in the page's #qa element, after its <style> element."""
    start = page.index("</style>", page.index('<div id="qa"')) + len("</style>")
    end = page.rindex("</div>\n</body>")
    if '<div id="content"' in page:  # AnkiDroid: #qa sits in #content
        end = page.rindex("</div>\n", 0, end)
    return page[start:end]


async def post(client: httpx.AsyncClient, route: str, **body: Any) -> dict[str, Any]:
    """POST to /api/preview/``route`` with TYPED and SAMPLE unless given; 200 checked."""
    request = {"notetype": TYPED, "sample": SAMPLE, **body}
    response = await client.post(f"/api/preview/{route}", json=request)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_question_shows_ankis_box_in_the_fields_font(client: httpx.AsyncClient) -> None:
    body = await post(client, "pages")
    assert body["type_answer"] == {"field": "Back", "shows_input": True}
    question = card(body["pages"][0]["question"])
    assert question.endswith(
        'cat\n\n\n<center>\n<input type=text id=typeans onkeypress="_typeAnsPress();"\n'
        "   style=\"font-family: 'Noto'; font-size: 24px;\">\n</center>\n"
    )


async def test_answer_compares_as_anki_does(
    client: httpx.AsyncClient, anki_collection: AnkiCollection
) -> None:
    body = await post(client, "compare", typed_answer="Kaze")
    [page] = body["pages"]
    assert page["platform"] == "desktop-linux"
    expected = anki_collection.compare_answer("Katze", "Kaze", True)
    # The reviewer drops the <hr id=answer> and puts it back before the comparison.
    assert card(page["answer"]) == (
        "cat\n\n<hr id=answer>\n<div style=\"font-family: 'Noto'; font-size: 24px\">"
        f"{expected}</div>\n\n\n\nKatze"
    )


async def test_pages_and_compare_agree(client: httpx.AsyncClient) -> None:
    platforms = ["desktop-mac", "ankidroid"]
    compared = await post(client, "compare", typed_answer="Katz", platforms=platforms)
    full = await post(client, "pages", typed_answer="Katz", platforms=platforms)
    assert [p["answer"] for p in compared["pages"]] == [p["answer"] for p in full["pages"]]


async def test_nothing_typed_shows_the_expected_answer(
    client: httpx.AsyncClient, anki_collection: AnkiCollection
) -> None:
    answer = (await post(client, "compare", typed_answer=""))["pages"][0]["answer"]
    assert anki_collection.compare_answer("Katze", "", True) in answer


async def test_nc_ignores_combining_characters(
    client: httpx.AsyncClient, anki_collection: AnkiCollection
) -> None:
    notetype = dict(
        TYPED, card_types=[{"name": "N", "front": "{{type:nc:Back}}", "back": "{{type:nc:Back}}"}]
    )
    sample = {"fields": {"Back": "café"}}
    body = await post(client, "compare", notetype=notetype, sample=sample, typed_answer="cafe")
    expected = anki_collection.compare_answer("café", "cafe", False)
    assert expected in body["pages"][0]["answer"]
    assert "typeBad" not in expected  # the point of nc:


async def test_cloze_compares_the_active_deletion(
    client: httpx.AsyncClient, anki_collection: AnkiCollection
) -> None:
    notetype = {
        "name": "Cloze",
        "kind": "cloze",
        "fields": [{"name": "Text"}],
        "card_types": [
            {
                "name": "C",
                "front": "{{cloze:Text}}{{type:cloze:Text}}",
                "back": "{{cloze:Text}}{{type:cloze:Text}}",
            }
        ],
    }
    text = "{{c1::Paris}} and {{c2::Rome::city}} and {{c1::Paris}}"
    sample = {"fields": {"Text": text}}
    body = await post(client, "compare", notetype=notetype, sample=sample, typed_answer="Pari")
    wanted = anki_collection.extract_cloze_for_typing(text, 1)
    expected = anki_collection.compare_answer(wanted, "Pari", True)
    assert expected in body["pages"][0]["answer"]
    # Card 5 has no deletion to type: Anki asks for Empty Cards instead of a box.
    blank = await post(client, "pages", notetype=notetype, sample=sample, card_ord=4)
    assert blank["type_answer"] == {"field": "Text", "shows_input": False}


async def test_unknown_field_warns_as_anki_does(client: httpx.AsyncClient) -> None:
    # The engine itself refuses {{type:Nope}}; a literal marker reaches the reviewer as is.
    notetype = dict(
        TYPED, card_types=[{"name": "U", "front": "{{Front}}[[type:Nope]]", "back": "x"}]
    )
    body = await post(client, "pages", notetype=notetype, platforms=["desktop-linux", "ankidroid"])
    desktop, android = body["pages"]
    assert card(desktop["question"]) == "catType answer: unknown field \u2068Nope\u2069"
    assert card(android["question"]) == "catType answer: unknown field Nope"
    assert body["type_answer"] == {"field": "Nope", "shows_input": False}


async def test_empty_field_removes_the_box(client: httpx.AsyncClient) -> None:
    body = await post(client, "pages", sample={"fields": {"Front": "cat", "Back": ""}})
    assert "typeans" not in card(body["pages"][0]["question"])
    assert "typeans" not in card(body["pages"][0]["answer"])
    assert body["type_answer"] == {"field": "Back", "shows_input": False}


async def test_ankidroid_prompt_and_comparison(
    client: httpx.AsyncClient, anki_collection: AnkiCollection
) -> None:
    body = await post(client, "pages", platforms=["ankidroid"], typed_answer="Katze")
    [page] = body["pages"]
    assert card(page["question"]).endswith('<span id="typeans" class="typePrompt">........</span>')
    # AnkiDroid neither wraps the comparison nor moves the <hr id=answer>.
    expected = anki_collection.compare_answer("Katze", "Katze", True)
    assert f"cat\n\n{expected}\n\n<hr id=answer>\n\nKatze" in page["answer"]


async def test_compare_needs_the_typed_answer(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/preview/compare", json={"notetype": TYPED})
    assert "typed_answer" in problem(response, 422)["detail"]


async def test_compare_card_past_the_last_is_400(client: httpx.AsyncClient) -> None:
    body = {"notetype": TYPED, "typed_answer": "x", "card_ord": 1}
    problem(await client.post("/api/preview/compare", json=body), 400)


async def test_no_type_box_means_no_type_answer(client: httpx.AsyncClient) -> None:
    notetype = dict(TYPED, card_types=[{"name": "P", "front": "{{Front}}", "back": "{{Back}}"}])
    body = await post(client, "compare", notetype=notetype, typed_answer="zzz")
    assert card(body["pages"][0]["answer"]).endswith("Katze")

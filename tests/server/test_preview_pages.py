"""POST /api/preview/pages: one card on several platforms as sandboxable pages, in one request."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from .conftest import BASE_URL
from .helpers import CLOZE, REVERSED, ok_json, problem

pytestmark = pytest.mark.anyio

ALL_PLATFORMS = [
    "desktop-windows",
    "desktop-mac",
    "desktop-linux",
    "ankidroid",
    "ankimobile-iphone",
    "ankimobile-ipad",
]
SAMPLE = {"fields": {"Front": "cat [sound:cat.mp3]", "Back": "Katze"}}


def qa(page: str) -> str:
    """The card part of a page: from the card's <style> to the end."""
    return page[page.index("<style>.card") :]


def head(page: str) -> str:
    """The page's <head> element's content."""
    return page[page.index("<head>") : page.index("</head>")]


async def pages(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    """The pages response for ``body`` (REVERSED and SAMPLE unless given), checked for 200."""
    request = {"notetype": REVERSED, "sample": SAMPLE, **body}
    return ok_json(await client.post("/api/preview/pages", json=request))


async def test_every_platform_both_sides_in_one_request(client: httpx.AsyncClient) -> None:
    body = await pages(client, platforms=ALL_PLATFORMS, night_mode=True, card_ord=1)
    assert [p["platform"] for p in body["pages"]] == ALL_PLATFORMS
    assert (body["card_ord"], body["night_mode"]) == (1, True)
    assert body["cards"] == [{"ord": 0, "name": "Forward"}, {"ord": 1, "name": "Reverse"}]
    by_platform = {p["platform"]: p for p in body["pages"]}
    android = by_platform["ankidroid"]
    assert '<html class="mobile android linux js">' in android["question"]
    assert (
        '<body class="card card2 night_mode nightMode chrome mathjax-rendered">'
        in (android["answer"])
    )
    assert qa(android["question"]).startswith("<style>.card { color: red; }</style>Katze</div>")
    assert "Katze<hr id=answer>cat" in android["answer"]
    mac = by_platform["desktop-mac"]
    assert '<html class="night-mode mac chrome"' in mac["question"]
    assert "macos-dark-mode" in mac["answer"]
    for page in by_platform.values():
        assert page["question"].startswith("<!doctype html>")
        assert page["answer"].rstrip().endswith("</html>")


async def test_defaults_are_desktop_linux_light_first_card(client: httpx.AsyncClient) -> None:
    body = await pages(client)
    [page] = body["pages"]
    assert page["platform"] == "desktop-linux"
    assert '<body class="card card1 isLin fancy">' in page["question"]
    assert body["type_answer"] is None and body["errors"] == []


async def test_platforms_asked_twice_come_once(client: httpx.AsyncClient) -> None:
    body = await pages(client, platforms=["ankidroid", "desktop-mac", "ankidroid"])
    assert [p["platform"] for p in body["pages"]] == ["ankidroid", "desktop-mac"]


async def test_audio_tags_and_play_buttons(client: httpx.AsyncClient) -> None:
    body = await pages(client, platforms=["desktop-linux", "ankidroid"])
    assert body["question_av"] == [{"type": "sound", "filename": "cat.mp3"}]
    desktop, android = body["pages"]
    # Anki desktop's button calls pycmd, which the page's bridge defines; AnkiDroid's links.
    assert "onclick=\"pycmd('play:q:0'); return false;\"" in desktop["question"]
    assert "window.pycmd = function" in head(desktop["question"])
    assert '<a class="replay-button soundLink" href=playsound:q:0><span>' in android["question"]
    assert "window.pycmd" not in android["question"]
    assert "[anki:play" not in desktop["question"] + android["answer"]


async def test_tts_tags_are_listed(client: httpx.AsyncClient) -> None:
    notetype = dict(
        REVERSED, card_types=[{"name": "T", "front": "{{tts en_US:Front}}", "back": "x"}]
    )
    body = await pages(client, notetype=notetype, sample={"fields": {"Front": "hello"}})
    [tag] = body["question_av"]
    assert (tag["type"], tag["field_text"], tag["lang"]) == ("tts", "hello", "en_US")
    assert "pycmd('play:q:0')" in body["pages"][0]["question"]


async def test_cloze_cards_are_named_by_number(client: httpx.AsyncClient) -> None:
    sample = {"fields": {"Text": "{{c1::a}} {{c3::b}}"}}
    body = await pages(client, notetype=CLOZE, sample=sample, card_ord=2)
    assert body["cards"] == [{"ord": 0, "name": "Cloze 1"}, {"ord": 2, "name": "Cloze 3"}]
    assert "card3" in body["pages"][0]["question"]
    assert 'data-ordinal="3">[...]</span>' in body["pages"][0]["question"]


async def test_a_card_the_sample_leaves_empty_shows_ankis_message(
    client: httpx.AsyncClient,
) -> None:
    body = await pages(client, sample={"fields": {"Front": "only front"}}, card_ord=1)
    assert body["cards"] == [{"ord": 0, "name": "Forward"}]
    assert "The front of this card is blank." in body["pages"][0]["question"]


async def test_template_errors_show_on_the_card_and_in_errors(client: httpx.AsyncClient) -> None:
    broken = dict(
        REVERSED,
        card_types=[{"name": "A", "front": "{{Front}}\n{{#Back}}", "back": "{{Nope}}"}],
    )
    body = await pages(client, notetype=broken)
    page = body["pages"][0]
    assert "Front template has a problem:<br>" in page["question"]
    assert "Front template has a problem:<br>" in page["answer"]
    assert [(e["side"], e["line"]) for e in body["errors"]] == [("front", 2), ("back", 1)]
    assert "{{/Back}}" in body["errors"][0]["message"]
    assert "Nope" in body["errors"][1]["message"]


async def test_errors_are_those_of_the_shown_card_only(client: httpx.AsyncClient) -> None:
    notetype = dict(
        REVERSED,
        card_types=[
            {"name": "Good", "front": "{{Front}}", "back": "{{Back}}"},
            {"name": "Bad", "front": "{{Back}}{{/X}}", "back": "{{Front}}"},
        ],
    )
    assert (await pages(client, notetype=notetype))["errors"] == []
    assert len((await pages(client, notetype=notetype, card_ord=1))["errors"]) == 1


async def test_pages_are_sandboxed_against_the_workspace(client: httpx.AsyncClient) -> None:
    body = await pages(client, platforms=ALL_PLATFORMS)
    for page in body["pages"]:
        for side in ("question", "answer"):
            policy = "content=\"connect-src 'none'; form-action 'none'\""
            assert policy in head(page[side]), (page["platform"], side)


async def test_media_urls_stay_in_the_note_types_media(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    media = f"/api/notetypes/{basic['id']}/media"
    assert (await client.put(f"{media}/my cat.jpg", content=b"JPEG")).status_code == 200
    notetype = dict(
        REVERSED,
        card_types=[
            {
                "name": "M",
                "front": '<img src="my cat.jpg"><img src="../../x.jpg">'
                '<img src=".."><audio src=../>',
                "back": "",
            }
        ],
    )
    body = await pages(client, notetype=notetype, notetype_id=basic["id"])
    page = body["pages"][0]["question"]
    [base] = re.findall(r'<base href="([^"]+)">', page)
    assert base == f"{media}/"
    # Resolve each reference as a browser resolves it against the base.
    sources = re.findall(r"<(?:img|audio)[^>]* src=\"?([^\" >]+)", qa(page))
    urls = [urljoin(urljoin(BASE_URL, base), source) for source in sources]
    assert all(url.startswith(f"{BASE_URL}{media}/") for url in urls), urls
    found = await client.get(urls[0])
    assert (found.status_code, found.content) == (200, b"JPEG")
    for url in urls[1:]:
        assert "not a plain file name" in problem(await client.get(url), 400)["detail"]


async def test_remote_media_and_no_notetype_id(client: httpx.AsyncClient) -> None:
    notetype = dict(
        REVERSED,
        card_types=[{"name": "R", "front": '<img src="https://example.org/a b.png">', "back": ""}],
    )
    page = (await pages(client, notetype=notetype))["pages"][0]["question"]
    assert '<img src="https://example.org/a b.png">' in page
    assert "<base" not in page


async def test_card_past_the_last_card_type_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/preview/pages", json={"notetype": REVERSED, "card_ord": 2})
    assert "pick 0 to 1" in problem(response, 400)["detail"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"platforms": ["palm-pilot"]}, "platforms"),
        ({"platforms": []}, "platforms"),
        ({"card_ord": -1}, "card_ord"),
        ({"card_ord": 500}, "card_ord"),
        ({"notetype_id": "../../etc"}, "notetype_id"),
        ({"typed_answer": "x" * 10_001}, "typed_answer"),
        ({"night": True}, "night"),
    ],
    ids=["unknown-platform", "no-platform", "negative", "past-c500", "id", "typed", "typo"],
)
async def test_invalid_requests_are_422(
    client: httpx.AsyncClient, change: dict[str, Any], where: str
) -> None:
    body = {"notetype": REVERSED, **change}
    answer = problem(await client.post("/api/preview/pages", json=body), 422)
    assert where in answer["detail"]


async def test_a_body_over_the_upload_limit_is_413(client: httpx.AsyncClient) -> None:
    # The test settings limit bodies to 64 KiB.
    huge = {"notetype": REVERSED, "sample": {"fields": {"Front": "x" * 70_000}}}
    problem(await client.post("/api/preview/pages", json=huge), 413)


async def test_empty_note_type_name_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/preview/pages", json={"notetype": dict(REVERSED, name="")})
    problem(response, 400)


async def test_pages_need_the_designers_origin(client: httpx.AsyncClient) -> None:
    foreign = {"Origin": "http://evil.example"}
    response = await client.post("/api/preview/pages", json={"notetype": REVERSED}, headers=foreign)
    problem(response, 403)


async def test_scripted_sides_are_flagged(client: httpx.AsyncClient) -> None:
    plain = await pages(client)
    assert plain["scripted"] == {"question": False, "answer": False}
    notetype = dict(
        REVERSED,
        card_types=[{"name": "S", "front": "{{Front}}<SCRIPT>var x = 1;</SCRIPT>", "back": "b"}],
    )
    # The answer is only "b": the front's script is not on it.
    assert (await pages(client, notetype=notetype))["scripted"] == {
        "question": True,
        "answer": False,
    }

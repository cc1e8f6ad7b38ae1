"""POST /api/lint, /api/lint/fix and /api/draft/remove-field: drafts in, nothing saved."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from .helpers import problem

pytestmark = pytest.mark.anyio

GOOD_CSS = ".card { font-size: 20px; text-align: center; }\n"
DRAFT: dict[str, Any] = {
    "name": "Draft",
    "fields": [{"name": "Front"}, {"name": "Back"}],
    "card_types": [
        {
            "name": "Card 1",
            "front": "{{Front}}\n<p>{{Frnt}}</p>",
            "back": "{{FrontSide}}\n<hr id=answer>\n{{Back}}",
        }
    ],
    "css": GOOD_CSS,
}


def draft(**changes: Any) -> dict[str, Any]:
    """A copy of the draft with a misspelt field, with ``changes`` applied."""
    return {**copy.deepcopy(DRAFT), **changes}


def ref(diagnostic: dict[str, Any]) -> dict[str, Any]:
    """The reference ``/api/lint/fix`` takes for a finding ``/api/lint`` returned."""
    where = diagnostic["location"]
    return {
        "rule": diagnostic["rule"],
        "part": where["part"],
        "template": where["template"],
        "start": where["start"],
        "end": where["end"],
    }


async def test_lint_returns_located_diagnostics_with_fixes(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/lint", json={"notetype": draft()})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["counts"] == {"error": 1, "warning": 0, "info": 0}
    [found] = body["diagnostics"]
    assert found["rule"] == "unknown-field" and found["severity"] == "error"
    assert found["message"] == "Found '{{Frnt}}', but there is no field called 'Frnt'"
    assert found["location"] == {
        "part": "front",
        "template": 0,
        "template_name": "Card 1",
        "start": 13,
        "end": 21,
        "line": 2,
        "column": 4,
    }
    assert found["explanation"] and found["docs_url"].startswith("https://")
    assert found["fix"] == {
        "description": "Use the field 'Front'",
        "edits": [{"part": "front", "template": 0, "start": 15, "end": 19, "replacement": "Front"}],
    }


async def test_lint_uses_the_samples(client: httpx.AsyncClient) -> None:
    notetype = draft()
    notetype["card_types"][0]["front"] = "{{#Back}}{{Front}}{{/Back}}"
    samples = [{"fields": {"Front": "f", "Back": ""}}]
    response = await client.post("/api/lint", json={"notetype": notetype, "samples": samples})
    assert "blank-front" in {d["rule"] for d in response.json()["diagnostics"]}


async def test_lint_locates_css_findings(client: httpx.AsyncClient) -> None:
    notetype = draft(css=GOOD_CSS + ".hint { color: #333; }")
    notetype["card_types"][0]["front"] = "{{Front}}"
    body = (await client.post("/api/lint", json={"notetype": notetype})).json()
    [found] = body["diagnostics"]
    assert found["rule"] == "no-night-mode"
    assert found["location"]["part"] == "css" and found["location"]["template"] is None
    assert found["fix"]["edits"][0]["part"] == "css"


async def test_fix_applies_the_chosen_finding(client: httpx.AsyncClient) -> None:
    found = (await client.post("/api/lint", json={"notetype": draft()})).json()["diagnostics"]
    response = await client.post(
        "/api/lint/fix", json={"notetype": draft(), "diagnostics": [ref(found[0])]}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["fixed"] == 1
    assert body["notetype"]["card_types"][0]["front"] == "{{Front}}\n<p>{{Front}}</p>"
    assert body["notetype"]["card_types"][0]["back"] == DRAFT["card_types"][0]["back"]
    assert body["diagnostics"] == [] and body["counts"]["error"] == 0


async def test_fix_by_rule_fixes_every_finding_of_it(client: httpx.AsyncClient) -> None:
    notetype = draft()
    notetype["card_types"][0]["front"] = "{{front}} {{back}}"
    response = await client.post(
        "/api/lint/fix", json={"notetype": notetype, "rules": ["unknown-field"]}
    )
    body = response.json()
    assert body["fixed"] == 2
    assert body["notetype"]["card_types"][0]["front"] == "{{Front}} {{Back}}"


async def test_fix_keeps_everything_else_of_the_draft(client: httpx.AsyncClient) -> None:
    notetype = draft(anki_id=1234, options={"tags": ["x"]}, sort_field=1, latex_pre="pre")
    notetype["fields"][0]["options"] = {"font": "Arial"}
    response = await client.post(
        "/api/lint/fix", json={"notetype": notetype, "rules": ["unknown-field"]}
    )
    fixed = response.json()["notetype"]
    for key in ("anki_id", "options", "sort_field", "latex_pre", "css", "name"):
        assert fixed[key] == notetype[key]
    assert fixed["fields"] == [
        {"name": "Front", "options": {"font": "Arial"}},
        {"name": "Back", "options": {}},
    ]


async def test_fix_of_a_finding_no_longer_there_is_a_conflict(client: httpx.AsyncClient) -> None:
    found = (await client.post("/api/lint", json={"notetype": draft()})).json()["diagnostics"]
    edited = draft()
    edited["card_types"][0]["front"] = "<b>{{Front}}</b>\n<p>{{Frnt}}</p>"  # offsets moved
    response = await client.post(
        "/api/lint/fix", json={"notetype": edited, "diagnostics": [ref(found[0])]}
    )
    assert "Lint the current draft again" in problem(response, 409)["detail"]


async def test_fix_without_a_choice_is_an_error(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/lint/fix", json={"notetype": draft()})
    assert "'diagnostics'" in problem(response, 400)["detail"]


async def test_fix_of_an_unknown_rule_is_an_error(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/lint/fix", json={"notetype": draft(), "rules": ["nope"]})
    assert "no lint rule 'nope'" in problem(response, 400)["detail"]


async def test_fix_of_a_finding_without_a_fix_is_an_error(client: httpx.AsyncClient) -> None:
    notetype = draft()
    notetype["card_types"][0]["front"] = '{{Front}}<script src="https://cdn.example/x.js"></script>'
    found = (await client.post("/api/lint", json={"notetype": notetype})).json()["diagnostics"]
    external = next(d for d in found if d["rule"] == "external-resource")
    assert external["fix"] is None
    response = await client.post(
        "/api/lint/fix", json={"notetype": notetype, "diagnostics": [ref(external)]}
    )
    assert "no one-click fix" in problem(response, 400)["detail"]


async def test_lint_rejects_a_malformed_draft(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/lint", json={"notetype": draft(fields=[])})
    assert response.status_code == 422
    response = await client.post("/api/lint", json={"notetype": draft(), "extra": 1})
    assert response.status_code == 422


async def test_lint_saves_nothing(client: httpx.AsyncClient) -> None:
    await client.post("/api/lint/fix", json={"notetype": draft(), "rules": ["unknown-field"]})
    assert (await client.get("/api/notetypes")).json() == []


async def test_remove_field_rewrites_the_templates_as_anki(client: httpx.AsyncClient) -> None:
    notetype = draft(sort_field=1)
    notetype["card_types"][0]["front"] = "{{#Back}}{{Front}} ({{Back}}){{/Back}}"
    response = await client.post(
        "/api/draft/remove-field", json={"notetype": notetype, "field": "Back"}
    )
    assert response.status_code == 200, response.text
    removed = response.json()["notetype"]
    assert [f["name"] for f in removed["fields"]] == ["Front"]
    assert removed["sort_field"] == 0
    assert removed["card_types"][0]["front"] == "{{Front}} ()"
    assert removed["card_types"][0]["back"] == "{{FrontSide}}\n<hr id=answer>\n"


async def test_remove_field_errors(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/draft/remove-field", json={"notetype": draft(), "field": "Nope"}
    )
    assert "has no field 'Nope'; its fields are Front, Back" in problem(response, 400)["detail"]
    only = draft(fields=[{"name": "Front"}])
    response = await client.post(
        "/api/draft/remove-field", json={"notetype": only, "field": "Front"}
    )
    assert "only field" in problem(response, 400)["detail"]

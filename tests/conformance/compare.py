"""Comparing the engine's render response with the oracle's."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from anki_template_designer.services.render import cards_request, render_request

from .oracle import AnkiOracle, with_card_ids


def engine_and_oracle(
    oracle: AnkiOracle, request: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Render one request with both; the engine gets the oracle's real card ids.

    Anki can create several cards with one ordinal (every cloze number from 500 on makes a
    card 500), each with its own id, while a request names one id per ordinal: the engine
    then renders once per id, and the n-th card of an ordinal comes from the n-th render.
    """
    expected, card_ids = oracle.render(request)
    ids_by_ord: dict[int, list[int]] = defaultdict(list)
    for ordinal, card_id in card_ids:
        ids_by_ord[ordinal].append(card_id)
    rounds = max((len(ids) for ids in ids_by_ord.values()), default=1)
    renders = [
        render_request(
            with_card_ids(request, {o: ids[min(n, len(ids) - 1)] for o, ids in ids_by_ord.items()})
        )
        for n in range(rounds)
    ]
    actual = renders[0]
    if rounds > 1 and actual["error"] is None:
        seen: Counter[int] = Counter()
        cards = []
        for index, card in enumerate(actual["cards"]):
            occurrence = min(seen[card["ord"]], rounds - 1)
            seen[card["ord"]] += 1
            cards.append(renders[occurrence]["cards"][index])
        actual = {**actual, "cards": cards}
    return actual, expected


def comparable(response: Mapping[str, Any]) -> dict[str, Any]:
    """The response with error messages reduced to "some error" (wording is ours)."""
    if response.get("error") is not None:
        return {"cards": list(response.get("cards", [])), "error": "<error>"}
    return dict(response)


def assert_conforms(oracle: AnkiOracle, request: Mapping[str, Any]) -> None:
    """Assert the engine answers ``request`` exactly as Anki does."""
    actual, expected = engine_and_oracle(oracle, request)
    # ``atd cards`` answers the same question without rendering: ordinals and card types.
    listed = cards_request(request)
    expected_list = {
        "cards": [{"ord": c["ord"], "template": c["template"]} for c in expected["cards"]],
        "error": expected["error"],
    }
    if comparable(listed) != comparable(expected_list):
        raise AssertionError(
            "atd cards differs from anki\nrequest: "
            + json.dumps(request, ensure_ascii=False)
            + "\nanki:   "
            + json.dumps(expected_list, ensure_ascii=False)
            + "\nengine: "
            + json.dumps(listed, ensure_ascii=False)
        )
    if comparable(actual) != comparable(expected):
        raise AssertionError(
            "engine differs from anki\nrequest: "
            + json.dumps(request, ensure_ascii=False)
            + "\nanki:   "
            + json.dumps(expected, ensure_ascii=False)
            + "\nengine: "
            + json.dumps(actual, ensure_ascii=False)
        )

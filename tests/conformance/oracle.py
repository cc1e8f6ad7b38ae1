"""The official ``anki`` package as the oracle for the render contract.

``AnkiOracle.render`` answers a render request (see
``anki_template_designer.services.render``) by doing what Anki does: it saves
the note type, adds the note to the named deck (real card generation), flags
the cards and asks each real card for its question and answer. One temporary
collection serves every request; identical note types are added once.

Two deliberate departures from a stock desktop Anki: pylib's LaTeX
``card_did_render`` hook is removed, so ``[latex]``/``[$]``/``[$$]`` stay text,
and the note is deleted after rendering so the collection stays small.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# anki.collection must be imported before anki.latex (circular import in pylib).
from anki.collection import Collection

# isort: split
import anki.latex
from anki import hooks
from anki.sound import AVTag, SoundOrVideoTag, TTSTag

# Installed at import time of anki.collection; without it LaTeX becomes <img> links.
if anki.latex.on_card_did_render in hooks.card_did_render._hooks:
    hooks.card_did_render.remove(anki.latex.on_card_did_render)

Response = dict[str, Any]
_PLACEHOLDER = "atd-oracle placeholder 7f3a"
_DEFAULT_DECK_ID = 1


class InvalidRequest(ValueError):
    """The request breaks the contract before Anki is even asked."""


def av_tag_to_json(tag: AVTag) -> dict[str, Any]:
    """The contract's JSON form of one of pylib's audio/video tags."""
    if isinstance(tag, SoundOrVideoTag):
        return {"type": "sound", "filename": tag.filename}
    if isinstance(tag, TTSTag):
        return {
            "type": "tts",
            "field_text": tag.field_text,
            "lang": tag.lang,
            "voices": list(tag.voices),
            "speed": tag.speed,
            "other_args": list(tag.other_args),
        }
    raise TypeError(f"unknown av tag {tag!r}")


def _strip_style(text: str, css: str) -> str:
    prefix = f"<style>{css}</style>"
    assert text.startswith(prefix), text[:200]
    return text[len(prefix) :]


def _check_request(request: object) -> tuple[Mapping[str, Any], list[str]]:
    """Apply the contract's shape rules; return the note type and its field names."""
    if not isinstance(request, Mapping) or not isinstance(request.get("notetype"), Mapping):
        raise InvalidRequest("a request must be an object with a 'notetype' object")
    notetype = request["notetype"]
    flds = notetype.get("flds")
    if not isinstance(flds, list) or not all(
        isinstance(f, Mapping) and isinstance(f.get("name"), str) for f in flds
    ):
        raise InvalidRequest("'flds' must be a list of {name}")
    names = [f["name"] for f in flds]
    fields = request.get("fields", {})
    if not isinstance(fields, Mapping):
        raise InvalidRequest("'fields' must be an object")
    for key, value in fields.items():
        if key not in names or not isinstance(value, str):
            raise InvalidRequest(f"bad field {key!r}")
    tags = request.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InvalidRequest("'tags' must be a list of strings")
    deck = request.get("deck", "Default")
    if not isinstance(deck, str) or not deck:
        raise InvalidRequest("'deck' must be a non-empty string")
    flag = request.get("flag", 0)
    if isinstance(flag, bool) or not isinstance(flag, int) or not 0 <= flag <= 7:
        raise InvalidRequest("'flag' must be 0..7")
    return notetype, names


def _notetype_key(notetype: Mapping[str, Any]) -> str:
    canonical = {
        "name": notetype.get("name"),
        "type": notetype.get("type", 0),
        "css": notetype.get("css", ""),
        "flds": [f["name"] for f in notetype["flds"]],
        "tmpls": [[t.get("name"), t.get("qfmt"), t.get("afmt")] for t in notetype.get("tmpls", [])],
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


class AnkiOracle:
    """One temporary Anki collection that renders contract requests."""

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="atd-oracle-"))
        self.col = Collection(str(self._dir / "collection.anki2"))
        # Stock note types would clash with requested names like "Basic"; Anki
        # refuses to delete the last note type, so a placeholder stays.
        models = self.col.models
        placeholder = models.new(_PLACEHOLDER)
        models.add_field(placeholder, models.new_field("F"))
        template = models.new_template("T")
        template["qfmt"] = "{{F}}"
        models.add_template(placeholder, template)
        models.add(placeholder)
        for entry in models.all_names_and_ids():
            if entry.name != _PLACEHOLDER:
                models.remove(entry.id)  # type: ignore[arg-type]
        self._notetypes: dict[str, int] = {}
        self._deck_ids: dict[str, int] = {}

    def close(self) -> None:
        """Close the collection and delete its folder."""
        self.col.close(downgrade=False)
        shutil.rmtree(self._dir, ignore_errors=True)

    def _stored_notetype_id(self, notetype: Mapping[str, Any]) -> int:
        key = _notetype_key(notetype)
        if key in self._notetypes:
            return self._notetypes[key]
        models = self.col.models
        name = notetype.get("name", "")
        if not isinstance(name, str):
            raise InvalidRequest("'name' must be a string")
        # Anki keeps names unique by renaming; the request's name must win.
        stored_name = unicodedata.normalize("NFC", name.replace('"', "")).casefold()
        for entry in models.all_names_and_ids():
            if entry.name.casefold() == stored_name:
                models.remove(entry.id)  # type: ignore[arg-type]
                self._notetypes = {k: v for k, v in self._notetypes.items() if v != entry.id}
        new = models.new(name)
        new["type"] = notetype.get("type", 0)
        new["css"] = notetype.get("css", "")
        for field in notetype["flds"]:
            models.add_field(new, models.new_field(field["name"]))
        for template in notetype.get("tmpls", []):
            created = models.new_template(template.get("name", ""))
            created["qfmt"] = template.get("qfmt", "")
            created["afmt"] = template.get("afmt", "")
            models.add_template(new, created)
        # id 0 makes this an add; skip_checks keeps malformed templates.
        models.update(new, skip_checks=True)
        self._notetypes[key] = new["id"]
        return int(new["id"])

    def _deck_id(self, name: str) -> int:
        if name not in self._deck_ids:
            # Deck names match case-insensitively and parents persist: start
            # from a fresh collection's decks so earlier requests leave no trace.
            decks = self.col.decks
            stale = [d.id for d in decks.all_names_and_ids() if d.id != _DEFAULT_DECK_ID]
            if stale:
                decks.remove(stale)  # type: ignore[arg-type]
            self._deck_ids = {name: int(decks.id(name, create=True) or 0)}
        return self._deck_ids[name]

    def render(self, request: object) -> tuple[Response, list[tuple[int, int]]]:
        """Return the contract response and the real cards' (ordinal, id), in card order."""
        try:
            notetype, names = _check_request(request)
            assert isinstance(request, Mapping)
            notetype_id = self._stored_notetype_id(notetype)
            return self._render_note(request, notetype_id, names)
        except Exception as error:  # Anki refusing a note type or note is an answer too
            return {"cards": [], "error": f"{type(error).__name__}: {error}"}, []

    def _render_note(
        self, request: Mapping[str, Any], notetype_id: int, names: list[str]
    ) -> tuple[Response, list[tuple[int, int]]]:
        col = self.col
        stored = col.models.get(notetype_id)  # type: ignore[arg-type]
        assert stored is not None
        note = col.new_note(stored)
        for key, value in request.get("fields", {}).items():
            # The request names fields as it spelled them; Anki may have renamed them.
            note.fields[names.index(key)] = value
        note.tags = list(request.get("tags", []))
        col.add_note(note, self._deck_id(request.get("deck", "Default")))  # type: ignore[arg-type]
        try:
            cards = sorted(note.cards(), key=lambda card: card.ord)
            flag = request.get("flag", 0)
            if flag:
                col.set_user_flag_for_cards(flag, [card.id for card in cards])
                cards = [col.get_card(card.id) for card in cards]
            response_cards = []
            for card in cards:
                output = card.render_output()
                response_cards.append(
                    {
                        "ord": card.ord,
                        "template": card.template()["name"],
                        "question": _strip_style(card.question(), output.css),
                        "answer": _strip_style(card.answer(), output.css),
                        "question_av": [av_tag_to_json(t) for t in output.question_av_tags],
                        "answer_av": [av_tag_to_json(t) for t in output.answer_av_tags],
                    }
                )
            card_ids = [(card.ord, int(card.id)) for card in cards]
        finally:
            col.remove_notes([note.id])
            if note.tags:
                # Registered tags decide the case of new ones ("B" after "b" stays "b").
                col.tags.clear_unused_tags()
        return {"cards": response_cards, "error": None}, card_ids


def with_card_ids(request: Mapping[str, Any], card_ids: Mapping[int, int]) -> dict[str, Any]:
    """The request plus the oracle's real card ids, for the engine's ``{{CardID}}``."""
    return {**request, "card_ids": {str(o): cid for o, cid in card_ids.items()}}

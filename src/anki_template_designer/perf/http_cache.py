"""Conditional GETs: a strong ``ETag`` on API reads, ``304 Not Modified`` when it still matches.

The validator is a hash of the exact bytes of the representation, so it changes whenever
anything in it does (a revision number, a name, a media list): a client holding an old
ETag after a save, rename, restore or delete can never be told its copy is current.
``Cache-Control: no-cache`` makes browsers ask every time instead of guessing freshness.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pydantic_core
from starlette.requests import Request
from starlette.responses import Response

REVALIDATE = "no-cache"
NOT_MODIFIED_DOC: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the `If-None-Match` ETag is still current (no body)"}
}


def strong_etag(body: bytes) -> str:
    """A strong entity tag for exactly these bytes (quoted, as the header carries it)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, as RFC 9110 says)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        tag = tag.removeprefix("W/")
        if tag == etag:
            return True
    return False


def conditional_response(
    request: Request,
    body: bytes,
    media_type: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """``body`` with its ETag, or a bodiless 304 if the request already holds that ETag."""
    etag = strong_etag(body)
    all_headers = {**(headers or {}), "ETag": etag, "Cache-Control": REVALIDATE}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=all_headers)
    return Response(body, media_type=media_type, headers=all_headers)


def conditional_json(request: Request, content: Any) -> Response:
    """``content`` (models, or lists of them) as JSON with an ETag, or a 304 if unchanged."""
    # by_alias as FastAPI serialises response models; the bytes hashed are the bytes sent.
    body = pydantic_core.to_json(content, by_alias=True)
    return conditional_response(request, body, "application/json")

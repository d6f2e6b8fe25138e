"""OpenAPI that tells the truth about errors.

drf-spectacular documents each operation's success answer only, but every
operation here can also answer: 400 (bad input: field errors, or a NUL
character anywhere in the request), 401 (a missing or bad token), 403 (not
allowed, or two-factor not set up), 404 (missing and not-yours look the
same; a list answers 404 for a page past its end), 429 (rate limit) and 503
(the database is not answering). A client generated from the schema should
expect them, and the schema fuzzer holds the API to exactly this list.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# 400s carry field errors (``{"title": ["Enter a title"]}``, nested for
# nested input) or a single ``detail`` when the request could not be read.
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {},
    "description": "Messages keyed by field name, or `detail` when the body could not be read.",
}

ERRORS = {
    "400": ("The request was not valid; nothing was changed.", FIELD_ERRORS),
    "401": ("No valid credentials were given.", DETAIL),
    "403": ("Not allowed (or two-factor authentication is not set up).", DETAIL),
    "404": ("Not found, or not visible to you (the same answer for both).", DETAIL),
    "429": ("Too many requests; try again later.", DETAIL),
    "503": ("The database is not answering; try again shortly.", DETAIL),
}


class ErrorAwareAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, (description, schema) in ERRORS.items():
            responses.setdefault(
                code,
                {"description": description, "content": {"application/json": {"schema": schema}}},
            )
        return responses

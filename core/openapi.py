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

from django.core.validators import RegexValidator
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

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

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A text field that may not be blank refuses "   " too (DRF trims
        before it checks): say so with a pattern, as the schema's minLength
        alone would promise that whitespace is accepted."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and not isinstance(field, serializers.ChoiceField)
            and not field.allow_blank
            and field.trim_whitespace
            and schema.get("type") == "string"
            and "pattern" not in schema
            and "format" not in schema
            and not any(isinstance(v, RegexValidator) for v in field.validators)
        ):
            schema["pattern"] = r"\S"
        if (
            direction == "request"
            and isinstance(field, serializers.ManyRelatedField)
            and not field.allow_empty
            and schema.get("type") == "array"
        ):
            # drf-spectacular leaves out that a list sent may not be empty
            # (responses may hold older rows, so only requests promise it).
            schema["minItems"] = 1
        return schema

    def get_auth(self) -> list[dict[str, Any]]:
        """drf-spectacular marks reads as open to anonymous callers only for
        DRF's own AllowAny / IsAuthenticatedOrReadOnly; our permission classes
        that also let anyone read say so with ``reads_are_public = True``."""
        auths = super().get_auth()
        public_read = self.method in ("GET", "HEAD", "OPTIONS") and any(
            getattr(p, "reads_are_public", False) for p in self.view.get_permissions()
        )
        if public_read and {} not in auths:
            auths.append({})
        return auths


def blank_filter_means_any(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A postprocessing hook. The site's filter forms send "All …" as an empty
    value (``?kind=&sort=``) and django-filter reads an empty value as "no
    filter"; the API shares those filters, so a query parameter's enum also
    lists ``""`` (a checkbox facet's items too: ``?stage=`` is "any"), and a
    date parameter also takes ``""``."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                if parameter.get("in") != "query":
                    continue
                if schema.get("type") == "string" and "format" in schema:
                    # An empty date box sends "" too (``?contract_ends_before=``).
                    parameter["schema"] = {"anyOf": [schema, {"type": "string", "enum": [""]}]}
                    continue
                if schema.get("type") == "array":
                    schema = schema.get("items", {})
                if "enum" not in schema:
                    continue
                if schema.get("type") == "integer":
                    # In a query string a number is text too: "", "7", "30".
                    schema["type"] = "string"
                    schema["enum"] = [str(value) for value in schema["enum"]]
                if schema.get("type") == "string" and "" not in schema["enum"]:
                    schema["enum"] = ["", *schema["enum"]]
    return result

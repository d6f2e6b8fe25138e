"""API request parsers. Kept apart from ``core.api`` because DRF imports
parsers while its own settings load, before views can be imported."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """JSON bodies that cannot reach a query as something PostgreSQL refuses:
    no NUL characters in any key or string, nesting at most ``MAX_DEPTH``
    deep (a deeply nested body otherwise ends in RecursionError, a 500).
    Either answers 400 with a clear message."""

    MAX_DEPTH = 32

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON nested too deeply.") from None
        self._check(data)
        return data

    def _check(self, data: Any) -> None:
        pending = [(data, 1)]
        while pending:
            value, depth = pending.pop()
            if depth > self.MAX_DEPTH:
                raise exceptions.ParseError(f"JSON nested more than {self.MAX_DEPTH} levels deep.")
            if isinstance(value, str):
                if "\x00" in value:
                    raise exceptions.ParseError("JSON strings must not contain NUL characters.")
            elif isinstance(value, dict):
                for key, item in value.items():
                    if "\x00" in key:
                        raise exceptions.ParseError("JSON keys must not contain NUL characters.")
                    pending.append((item, depth + 1))
            elif isinstance(value, list):
                pending.extend((item, depth + 1) for item in value)

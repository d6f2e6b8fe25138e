"""The API's one pagination: DRF's page numbers, held to what the schema says.

DRF reads ``?page=`` (an empty value) as page 1, while the schema declares
``page`` an integer; a client that sends nothing where a number belongs has
made a mistake, so it gets the same 404 "Invalid page." as ``?page=abc``.
"""

from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class StrictPageNumberPagination(PageNumberPagination):
    def get_page_number(self, request, paginator):
        values = request.query_params.getlist(self.page_query_param)
        if values and (len(values) > 1 or values[0].strip() == ""):
            raise NotFound(self.invalid_page_message)
        return super().get_page_number(request, paginator)

"""The accessible API reference (/api/reference/) says what the schema says:
every operation, its parameters, request fields and responses, read by
anyone without signing in, and links the interactive Swagger UI."""

import html
import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


@pytest.fixture
def page(client) -> str:
    response = client.get("/api/reference/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_every_operation_in_the_schema_is_on_the_page(page, schema):
    shown = set(
        re.findall(
            r'app-api-method">(\w+)</span> <code class="app-api-path">([^<]+)</code>',
            page,
        )
    )
    expected = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert expected and shown == expected


def test_parameters_request_fields_and_responses_are_listed(page, schema):
    create = page.split('id="op-v1_initiatives_create"', 1)[1].split(
        'class="app-api-operation"', 1
    )[0]
    assert "Request body (InitiativeRequest, JSON)" in create
    assert re.search(r"<code>title</code> <strong class=\"app-api-required\">\(required\)", create)
    assert not re.search(r"<code>description</code> <strong", create)  # optional
    # A named enum is spelled out rather than left as a name to look up.
    assert "one of idea, discovery, alpha, beta, live, retired" in create
    assert ">201</th>" in create and 'href="#schema-Initiative"' in create
    listing = page.split('id="op-v1_initiatives_list"', 1)[1].split('class="app-api-operation"', 1)[
        0
    ]
    for name in ("search", "lead", "partner", "page"):
        assert f"<code>{name}</code>" in listing
    assert 'id="schema-Initiative"' in page


def test_links_both_ways_with_swagger_ui(client, page):
    assert 'href="/api/docs/"' in page and "third-party" in page
    docs = client.get("/api/docs/").content.decode()
    assert 'href="/api/reference/"' in docs
    footer = client.get("/accessibility/").content.decode().split("<footer", 1)[1]
    assert 'href="/api/reference/">API reference</a>' in footer

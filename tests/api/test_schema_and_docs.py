"""The OpenAPI schema generates cleanly and the docs page obeys our CSP."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema


@pytest.mark.django_db
def test_schema_endpoint_is_valid_openapi(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert "/api/v1/organisations/" in schema["paths"]
    assert "/api/v1/organisations/{slug}/" in schema["paths"]
    assert "/api/v1/me/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]}
    assert {"q", "nation", "region", "authority_type", "kind", "page"} <= parameters
    assert "personalToken" in schema["components"]["securitySchemes"]


@pytest.mark.django_db
def test_schema_generates_without_warnings(tmp_path):
    """The same gate as ``manage.py spectacular --validate --fail-on-warn``."""
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


@pytest.mark.django_db
def test_docs_page_has_no_inline_script_or_style(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "the page loads Swagger UI"
    for attributes, body in scripts:
        assert body.strip() == "", "inline script bodies are blocked by our CSP"
        assert "src=" in attributes
    assert "<style" not in html and "style=" not in html
    assert "cdn" not in html.lower() and "//" not in "".join(re.findall(r'src="([^"]+)"', html))
    assert '<html lang="en">' in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


@pytest.mark.django_db
def test_docs_assets_are_served_by_us(client):
    html = client.get("/api/docs/").content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert any(src.endswith("swagger-ui-bundle.js") for src in sources)
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    init = next(src for src in sources if "script" in src.split("?", 1)[-1])
    response = client.get(init.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()

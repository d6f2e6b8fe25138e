"""A server-rendered API reference (``/api/reference/``), built from the same
OpenAPI schema that drf-spectacular serves at ``/api/schema/``.

Why: the interactive Swagger UI at ``/api/docs/`` is third-party code that
fails WCAG 2.2 AA (colour contrast, nested interactive controls, target size)
in ways our stylesheet cannot fully mend. This page says the same things —
operations grouped by tag, each with its method and path, summary,
parameters, request body fields and responses — as plain GOV.UK HTML, so
everyone can read it; Swagger stays linked as the interactive alternative.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Field:
    name: str
    type: str
    required: bool
    description: str
    location: str = ""  # for parameters: path, query or header


@dataclass
class Response:
    status: str
    description: str
    schema: str


@dataclass
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    parameters: list[Field] = field(default_factory=list)
    body: list[Field] = field(default_factory=list)
    body_schema: str = ""
    responses: list[Response] = field(default_factory=list)


@dataclass
class Tag:
    name: str
    description: str
    operations: list[Operation] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "tag-" + "".join(c if c.isalnum() else "-" for c in self.name.lower())


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type_of(schema: dict[str, Any], components: dict[str, Any] | None = None) -> str:
    """A short readable type: "string (date-time)", "array of Initiative",
    "string: one of council, supplier" (a named enum is spelled out: a reader
    should not have to look it up)."""
    if not schema:
        return "any"
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        target = (components or {}).get(name, {})
        return _type_of(target, components) if "enum" in target else name
    for combiner in ("allOf", "oneOf", "anyOf"):
        if combiner in schema:
            parts = [_type_of(s, components) for s in schema[combiner] if s.get("type") != "null"]
            return " or ".join(p for p in parts if p) or "any"
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = " or ".join(k for k in kind if k != "null")
    if kind == "array":
        return f"array of {_type_of(schema.get('items', {}), components)}"
    text = kind
    if schema.get("format"):
        text += f" ({schema['format']})"
    if "enum" in schema:
        values = [str(v) for v in schema["enum"] if v not in ("", None)]
        if not values:
            return ""  # drf-spectacular's BlankEnum / NullEnum: "or blank"
        text += ": one of " + ", ".join(values)
    if schema.get("nullable"):
        text += ", or null"
    return text


def _fields(schema: dict[str, Any], components: dict[str, Any]) -> list[Field]:
    if "$ref" in schema:
        schema = components.get(_ref_name(schema["$ref"]), {})
    required = set(schema.get("required", []))
    return [
        Field(
            name=name,
            type=_type_of(prop, components),
            required=name in required and not prop.get("readOnly"),
            description=prop.get("description", "")
            + (" Read only." if prop.get("readOnly") else ""),
        )
        for name, prop in schema.get("properties", {}).items()
    ]


def _body(operation: dict[str, Any], components: dict[str, Any]) -> tuple[str, list[Field]]:
    content = operation.get("requestBody", {}).get("content", {})
    for media_type in ("application/json", *content):
        if media_type in content:
            schema = content[media_type].get("schema", {})
            return _type_of(schema, components), _fields(schema, components)
    return "", []


def _responses(operation: dict[str, Any]) -> list[Response]:
    rows = []
    for status, response in operation.get("responses", {}).items():
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        rows.append(
            Response(status, response.get("description", ""), _type_of(schema) if schema else "")
        )
    return rows


def build_reference(schema: dict[str, Any]) -> list[Tag]:
    """The schema's operations, grouped by their first tag in the schema's order."""
    components = schema.get("components", {}).get("schemas", {})
    tags: dict[str, Tag] = {
        t["name"]: Tag(t["name"], t.get("description", "")) for t in schema.get("tags", [])
    }
    for path, item in schema.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            if method not in item:
                continue
            op = item[method]
            body_schema, body = _body(op, components)
            operation = Operation(
                method=method.upper(),
                path=path,
                operation_id=op.get("operationId", f"{method}-{path}"),
                summary=op.get("summary", ""),
                description=op.get("description", ""),
                parameters=[
                    Field(
                        name=p["name"],
                        type=_type_of(p.get("schema", {}), components),
                        required=bool(p.get("required")),
                        description=p.get("description", ""),
                        location=p.get("in", ""),
                    )
                    for p in [*shared, *op.get("parameters", [])]
                ],
                body=body,
                body_schema=body_schema,
                responses=_responses(op),
            )
            name = (op.get("tags") or ["other"])[0]
            tags.setdefault(name, Tag(name, "")).operations.append(operation)
    return [tag for tag in tags.values() if tag.operations]


@dataclass
class Schema:
    name: str
    description: str
    fields: list[Field]


def build_schemas(schema: dict[str, Any]) -> list[Schema]:
    """The schema's named components (what requests send and responses hold)."""
    components = schema.get("components", {}).get("schemas", {})
    return [
        Schema(name, component.get("description", ""), _fields(component, components))
        for name, component in sorted(components.items())
        if component.get("properties")
    ]


@lru_cache(maxsize=1)
def _cached_reference() -> tuple[dict[str, Any], list[Tag], list[Schema]]:
    """The schema changes only with the code, so it is built once per process."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema, build_reference(schema), build_schemas(schema)


def api_reference(request):
    """``/api/reference/``: the API reference as an accessible page."""
    schema, tags, schemas = _cached_reference()
    return render(
        request,
        "api/reference.html",
        {
            "tags": tags,
            "schemas": schemas,
            "schema_names": {s.name for s in schemas},
            "info": schema.get("info", {}),
            "operation_count": sum(len(t.operations) for t in tags),
        },
    )

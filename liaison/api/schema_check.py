"""Requests checked against the schema the API publishes, before a view reads them.

The views parse their own input, leniently in places (an ordering that names no field was
dropped, a second `page_size` ignored, a number taken as text, a list handed to a form that
expects text). A client that keeps to /api/v1/openapi.json must get what the schema promises,
and one that does not a 400 naming what is wrong, so two things are checked here, once, from the
schema itself:

- every documented query parameter: type, enum, format, pattern, bounds, given at most once;
- the JSON type of every documented field of a JSON body (text, whole number, true/false, list,
  object, null where allowed). The views' serializers and forms check the rest as before.

Unknown parameters and fields are ignored.
"""

import datetime
import functools
import re
import threading

from django.utils.translation import gettext as _
from rest_framework import exceptions

_INTEGER = re.compile(r"-?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
BOOLEANS = ("true", "false")
_building = threading.Lock()


@functools.cache
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


@functools.cache
def _operations() -> list[tuple[re.Pattern, dict]]:
    """(path regex, {METHOD: operation}) for every path of the schema."""
    with _building:  # drf-spectacular's first generation is not thread-safe
        schema = _schema()
    return [
        (
            re.compile(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path))),
            {method.upper(): operation for method, operation in operations.items()},
        )
        for path, operations in schema["paths"].items()
    ]


def _operation(request) -> dict:
    for regex, methods in _operations():
        if regex.fullmatch(request.path):
            return methods.get(request.method, {})
    return {}


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = _schema()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


# --- query parameters ----------------------------------------------------------------------------


def _value_error(raw: str, schema: dict) -> str | None:
    """Why `raw` does not satisfy `schema`, or None."""
    kind = schema.get("type", "string")
    value: object = raw
    if kind == "integer":
        if not _INTEGER.fullmatch(raw):
            return _("Give a whole number.")
        value = int(raw)
    elif kind == "boolean":
        return None if raw in BOOLEANS else _("Give true or false.")
    elif kind == "string":
        if schema.get("format") == "date" and not _is_date(raw):
            return _("Give a date as YYYY-MM-DD.")
        if "pattern" in schema and not re.search(schema["pattern"], raw):
            return _("Not in the expected form.")
        if len(raw) > schema.get("maxLength", len(raw)) or len(raw) < schema.get("minLength", 0):
            return _("Too long or too short.")
    if "enum" in schema and value not in schema["enum"]:
        return _("Not one of the allowed values.")
    if isinstance(value, int) and not (
        schema.get("minimum", value) <= value <= schema.get("maximum", value)
    ):
        return _("Out of the allowed range.")
    return None


def _is_date(raw: str) -> bool:
    try:
        return bool(_DATE.fullmatch(raw)) and datetime.date.fromisoformat(raw) is not None
    except ValueError:
        return False


def check_query(request, operation: dict) -> None:
    parameters = {
        p["name"]: p.get("schema", {})
        for p in operation.get("parameters", [])
        if p.get("in") == "query"
    }
    for name, values in request.query_params.lists():
        schema = parameters.get(name)
        if schema is None:
            continue
        if len(values) > 1:
            raise exceptions.ValidationError({name: [_("Give this parameter once.")]})
        problem = _value_error(values[0], schema)
        if problem:
            raise exceptions.ValidationError({name: [problem]})


# --- JSON bodies ---------------------------------------------------------------------------------

_JSON_TYPES = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _types(schema: dict) -> set[str] | None:
    """The JSON types a field's schema allows, or None when it does not say."""
    schema = _resolve(schema)
    for combined in ("allOf", "anyOf", "oneOf"):
        if combined in schema:
            found = set()
            for child in schema[combined]:
                child_types = _types(child)
                if child_types is None:
                    return None
                found |= child_types
            return found
    kind = schema.get("type")
    if kind is None:
        kinds = {
            "boolean" if isinstance(v, bool) else type(v).__name__ for v in schema.get("enum", [])
        }
        return {"string" if k == "str" else "integer" if k == "int" else k for k in kinds} or None
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if schema.get("format") == "decimal":
        kinds.add("number")  # a decimal is written as text in answers; a number is read as well
    return kinds


def _type_ok(value, kinds: set[str]) -> bool:
    if value is None:
        return "null" in kinds
    if isinstance(value, bool):
        return "boolean" in kinds
    if isinstance(value, float) and value.is_integer() and "integer" in kinds:
        return True  # 25.0 is a whole number in JSON Schema, and DRF and Django forms read it so
    return any(isinstance(value, _JSON_TYPES[k]) for k in kinds if k in _JSON_TYPES)


def check_json_body(request, operation: dict) -> None:
    content_type = request.content_type or ""
    if not (content_type == "application/json" or content_type.endswith("+json")):
        return
    media = operation.get("requestBody", {}).get("content", {}).get("application/json")
    data = request.data
    if media is None or not isinstance(data, dict):
        return  # no documented JSON body; a body that is not an object is parsers.py's 400
    properties = _resolve(media.get("schema", {})).get("properties", {})
    for name, value in data.items():
        kinds = _types(properties[name]) if name in properties else None
        if kinds is not None and not _type_ok(value, kinds):
            raise exceptions.ValidationError(
                {name: [_("Not the type of value the schema gives for this field.")]}
            )


def check_request(request) -> None:
    """Raise a 400 naming the first query parameter or body field the schema does not allow."""
    operation = _operation(request)
    if operation:
        check_query(request, operation)
        check_json_body(request, operation)

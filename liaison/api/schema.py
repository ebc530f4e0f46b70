"""The OpenAPI schema documents the error body for every status an operation can answer with."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable, e.g. invalid, not_found, throttled.")
    message = serializers.CharField(help_text="For people, in the Accept-Language language.")
    field = serializers.CharField(allow_null=True, help_text="The parameter at fault, or null.")


class ErrorSerializer(serializers.Serializer):
    """RFC 9457 problem document; `error` is the first shape of this API, kept for clients."""

    type = serializers.CharField(help_text="urn:liaison:error:<code>.")
    title = serializers.CharField(help_text="The HTTP status's phrase, e.g. Not Found.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="The same as error.message.")
    error = ErrorDetailSerializer()


ERRORS = {
    "400": "Invalid parameters.",
    "401": "Missing, unknown or revoked API key.",
    "403": "Not allowed (role, scope).",
    "404": "No such object or page.",
    "406": "The Accept header asks for something other than JSON.",
    "405": "The method is not allowed on this path.",
    "429": "Too many requests: retry after the Retry-After header's seconds.",
    "500": "A fault on the server; the body is still a problem document.",
}
# Only where a body is sent.
BODY_ERRORS = {"413": "The request body is over the size limit."}


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        # A rule over several fields that a serializer's validate() enforces, stated where it is
        # enforced (`request_schema_rule`), so that the schema allows no body the server refuses.
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request":
            schema.update(getattr(serializer, "request_schema_rule", {}))
        return schema

    def _get_request_body(self, direction="request"):
        # Such a rule needs a body: without one the server refuses the request.
        body = super()._get_request_body(direction)
        if body is None:
            return None
        serializer = self.get_request_serializer()
        if isinstance(serializer, dict):
            serializer = next(iter(serializer.values()), None)
        if getattr(serializer, "request_schema_rule", None):
            body["required"] = True
        return body

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method not in ("GET", "HEAD", "DELETE"):
            errors.update(BODY_ERRORS)
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code
                )
        return responses


# Text without NUL: the server refuses it everywhere (liaison/core/middleware.py), so the schema
# says so, and a client (or schemathesis) knows such a value is not valid input.
NO_NUL = "^[^\\u0000]*$"


# Answered by the web server in front of Django (gunicorn, nginx) before the application sees the
# request, so in the server's own format: the one status whose body is not a problem document.
URI_TOO_LONG = {
    "description": "The URL (path and query) is over the web server's limit, about 4,000 bytes; "
    "answered by the web server, not the API, so the body is the server's HTML page.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


# What a field the operation does not know may hold: anything JSON but text with NUL (it is
# ignored, but the server reads the whole body first).
REF = "#/components/schemas/"
ANY_VALUE = "AnyValueWithoutNul"
ANY_VALUE_SCHEMA = {
    "description": "Any JSON value; no NUL character in any text or name.",
    "anyOf": [
        {"type": "string", "pattern": NO_NUL},
        {"type": ["number", "boolean", "null"]},
        {"type": "array", "items": {"$ref": f"{REF}{ANY_VALUE}"}},
        {
            "type": "object",
            "propertyNames": {"pattern": NO_NUL},
            "additionalProperties": {"$ref": f"{REF}{ANY_VALUE}"},
        },
    ],
}


def _forbid_nul(schema: dict) -> None:
    kind = schema.get("type")
    is_text = kind == "string" or (isinstance(kind, list) and "string" in kind)  # 3.1: nullable
    if is_text and not {"pattern", "enum", "format", "const"} & schema.keys():
        schema["pattern"] = NO_NUL
    for child in schema.get("properties", {}).values():
        _forbid_nul(child)
    if isinstance(schema.get("items"), dict):
        _forbid_nul(schema["items"])
    for combined in ("oneOf", "anyOf", "allOf"):
        for child in schema.get(combined, []):
            _forbid_nul(child)


def forbid_nul_in_inputs(result, generator, request, public):
    """drf-spectacular post-processing hook: every string parameter and request field, and the
    names of the fields too (an unknown field is ignored, but its name is read)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _forbid_nul(parameter.get("schema", {}))
            operation["responses"].setdefault("414", URI_TOO_LONG)
    components = result.setdefault("components", {}).setdefault("schemas", {})
    for name, component in components.items():
        if name.endswith("Request"):
            _forbid_nul(component)
            component["propertyNames"] = {"pattern": NO_NUL}
            component.setdefault("additionalProperties", {"$ref": f"{REF}{ANY_VALUE}"})
    components[ANY_VALUE] = ANY_VALUE_SCHEMA
    return result

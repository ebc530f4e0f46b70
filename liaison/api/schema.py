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


def _forbid_nul(schema: dict) -> None:
    if schema.get("type") == "string" and not {"pattern", "enum", "format"} & schema.keys():
        schema["pattern"] = NO_NUL
    for child in schema.get("properties", {}).values():
        _forbid_nul(child)
    if isinstance(schema.get("items"), dict):
        _forbid_nul(schema["items"])


def forbid_nul_in_inputs(result, generator, request, public):
    """drf-spectacular post-processing hook: every string parameter and request field."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _forbid_nul(parameter.get("schema", {}))
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _forbid_nul(component)
    return result

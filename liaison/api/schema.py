"""The OpenAPI schema documents the error body for every status an operation can answer with."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable, e.g. invalid, not_found, throttled.")
    message = serializers.CharField(help_text="For people, in the Accept-Language language.")
    field = serializers.CharField(allow_null=True, help_text="The parameter at fault, or null.")


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERRORS = {
    "400": "Invalid parameters.",
    "401": "Missing, unknown or revoked API key.",
    "403": "Not allowed (role, scope).",
    "404": "No such object or page.",
    "406": "The Accept header asks for something other than JSON.",
    "429": "Too many requests: retry after the Retry-After header's seconds.",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code
                )
        return responses

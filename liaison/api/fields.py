"""Body fields whose rule the schema can state, so that a client (or schemathesis) sending what
the schema allows is not refused: a box that must be ticked, a mobile number."""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# The form the API takes a mobile number in: 11 digits starting 13–19, optionally +86 before it
# (the web forms also forgive spaces and brackets; an API client sends the number itself).
MOBILE_PATTERN = r"^(\+86)?1[3-9][0-9]{9}$"
# The largest row id: larger ones match nothing, and databases refuse them as integers (a 500).
MAX_ID = 2**31 - 1


def IdField(**kwargs) -> serializers.IntegerField:
    """A row's id in a body: 1 to MAX_ID, in the schema too."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field({"type": "boolean", "const": True})
class MustBeTrueField(serializers.BooleanField):
    """A consent or confirmation: true, or the request is refused (400)."""

    def __init__(self, *, message=None, **kwargs):
        self.message = message or _("Please tick to confirm.")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value is not True:
            raise serializers.ValidationError(self.message)
        return value


@extend_schema_field({"type": "string", "pattern": MOBILE_PATTERN, "example": "13912345678"})
class MobileField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 14)
        kwargs.setdefault("help_text", "Mainland mobile number, e.g. 13912345678.")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not re.fullmatch(MOBILE_PATTERN, value):
            raise serializers.ValidationError(
                _("“%(value)s” is not a valid mainland mobile number (11 digits, starting with 1).")
                % {"value": value[:20]}
            )
        return value

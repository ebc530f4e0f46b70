"""Phone numbers: validation and masking (PIPL: show in full only to roles that need it)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Landline with area code, optionally with extension: 0571-87654321, 010-12345678-123.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
HOTLINE_RE = re.compile(r"^(1\d{4}|[48]00-?\d{3}-?\d{4})$")


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "").replace("+86", "").replace("－", "-")


def validate_public_phone(value: str) -> None:
    """A phone number printed on a sign: mobile, landline or service hotline."""
    phone = normalize_phone(value)
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone) or HOTLINE_RE.match(phone)):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number (e.g. 13812345678 or 0571-87654321)."),
            code="invalid_phone",
            params={"value": value},
        )


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_phone(value)):
        raise ValidationError(
            _("“%(value)s” is not a valid mainland mobile number (11 digits, starting with 1)."),
            code="invalid_mobile",
            params={"value": value},
        )


def validate_landline(value: str) -> None:
    """A landline with its area code (0571-87654321, 01012345678, 010-12345678-123)."""
    if not LANDLINE_RE.match(normalize_phone(value)):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid landline number: the area code and the number, "
                "digits and dashes only (e.g. 0571-87654321)."
            ),
            code="invalid_landline",
            params={"value": value},
        )


def mask_phone(value: str) -> str:
    """138****1234 — keep the first three and last four digits."""
    phone = normalize_phone(value)
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]

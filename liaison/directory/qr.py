"""QR codes for the public URLs of deputies and stations ("码上找代表")."""

import io

import segno
from django.conf import settings

from .models import Deputy, Station


def public_url(obj: Deputy | Station) -> str:
    """The absolute, permanent URL a printed QR code encodes."""
    return settings.SITE_URL + obj.get_absolute_url()


def qr_code(url: str) -> segno.QRCode:
    """The one place that decides how a URL becomes a QR symbol (web images and printed signs)."""
    # Level M survives a scratched or partly dirty sign in a corridor.
    return segno.make_qr(url, error="m")


def qr_svg(url: str) -> str:
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", scale=8, border=4, xmldecl=False, title=url)
    return out.getvalue().decode()


def qr_png(url: str, *, scale: int = 10) -> bytes:
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "liaison.directory"
    verbose_name = _("Directory")

    def ready(self):
        checks.register(check_pdf_font)


def check_pdf_font(app_configs, **kwargs):
    """Printed documents without an embedded Chinese font show no text in many viewers: say so at
    start, not when a sign comes back blank from the print shop. A warning: printing still works
    where viewers bring Adobe's CJK fonts."""
    from . import signs

    if signs.pdf_font() != signs.CID_FONT:
        return []
    return [
        checks.Warning(
            "No usable Chinese TrueType font: PDFs (signs, annual reports, reply letters) use "
            "STSong-Light, which is not embedded and shows no text in viewers without Adobe's "
            "CJK fonts.",
            hint="Install Debian's fonts-wqy-zenhei, or set LIAISON_PDF_FONT to a .ttf/.ttc "
            "with TrueType outlines (docs/signs.md).",
            id="directory.W001",
        )
    ]

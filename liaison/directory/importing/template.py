"""Blank roster templates (.xlsx) to download: the header row and a sheet explaining each column."""

import io
import re

from django.utils.translation import gettext as _

from .columns import KINDS


def _sheet_title(text) -> str:
    return re.sub(r"[\\/?*\[\]:]", " ", str(text))[:31]  # Excel's rules for sheet names


def template_workbook(kind: str) -> bytes:
    """A blank roster for one kind: the header row, and a sheet explaining each column."""
    import openpyxl
    from openpyxl.styles import Font

    spec = KINDS[kind]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(spec.label)
    sheet.append([c.header for c in spec.columns])
    for cell, column in zip(sheet[1], spec.columns, strict=True):
        cell.font = Font(bold=column.required)
        sheet.column_dimensions[cell.column_letter].width = max(12, 3 * len(column.header))
        if column.key in (
            "code",
            "region_code",
            "parent_code",
            "stations",
            "phone",
            "public_phone",
            "station_code",
            "worker_phone",
            "deputies",
        ):
            # Text cells, so that Excel keeps leading zeros of codes and phone numbers.
            for row in range(2, 1001):
                sheet.cell(row=row, column=cell.column).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_sheet_title(_("Notes")))
    notes.append([_("Column"), _("Also accepted"), _("Required"), _("What to write")])
    for c in spec.columns:
        notes.append([c.header, ", ".join(c.aliases), _("yes") if c.required else "", str(c.note)])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (16, 36, 8, 60), strict=True):
        notes.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

"""The three lists as .xlsx files (openpyxl): the filtered rows of the screen, Chinese column
headers (gettext, in the page's language), dates as real dates so that a spreadsheet sorts them."""

import io
from collections.abc import Iterable
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from liaison.workdays.deadlines import local_day

from . import selectors
from .models import Suggestion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 50_000  # a whole province's year fits; more would need a streaming writer


def too_many(qs) -> bool:
    """Whether the filtered list is larger than one file may hold. Never cut it silently: the
    view then asks to narrow the filter. Counts at most MAX_ROWS + 1 rows."""
    return qs.order_by()[: MAX_ROWS + 1].count() > MAX_ROWS


def _day(value):
    return local_day(value) if value else None


def _yes(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def suggestion_rows(qs) -> tuple[list[str], Iterable[list]]:
    headers = [
        gettext("Number"),
        gettext("Title"),
        gettext("Lead deputy"),
        gettext("Co-signers"),
        gettext("Category"),
        gettext("Year"),
        gettext("Submitted"),
        gettext("Status"),
        gettext("From station work"),
        gettext("Key suggestion"),
        gettext("Submitted on"),
    ]
    rows = (
        [
            s.number or "",
            s.title,
            s.lead_deputy.name,
            s.cosigner_count,
            s.category.name,
            s.year,
            s.get_session_kind_display(),
            s.get_status_display(),
            _yes(s.from_station_work),
            _yes(s.is_key),
            _day(s.submitted_at),
        ]
        for s in qs[:MAX_ROWS]
    )
    return headers, rows


def assignment_rows(qs, now: datetime | None = None) -> tuple[list[str], Iterable[list]]:
    now = now or timezone.now()
    headers = [
        gettext("Number"),
        gettext("Suggestion"),
        gettext("Unit"),
        gettext("Role"),
        gettext("Assigned on"),
        gettext("Due"),
        gettext("State"),
        gettext("Overdue"),
    ]
    rows = (
        [
            a.suggestion.number or "",
            a.suggestion.title,
            a.department.name,
            a.get_role_display(),
            _day(a.assigned_at),
            _day(a.due_at),
            a.get_state_display(),
            _yes(selectors.is_overdue(a, now)),
        ]
        for a in qs[:MAX_ROWS]
    )
    return headers, rows


def lead_unit(suggestion: Suggestion) -> str:
    leads = [a for a in suggestion.assignments.all() if a.role == "lead" and a.state != "withdrawn"]
    return leads[-1].department.name if leads else ""


def outcome_rows(qs) -> tuple[list[str], Iterable[list]]:
    headers = [
        gettext("Number"),
        gettext("Title"),
        gettext("Lead deputy"),
        gettext("Lead unit"),
        gettext("Grade"),
        gettext("Answered on"),
        gettext("Deputy's evaluation"),
        gettext("What was achieved"),
    ]
    rows = (
        [
            s.number or "",
            s.title,
            s.lead_deputy.name,
            lead_unit(s),
            s.grade,
            _day(s.answered_at),
            s.get_evaluation_display() if s.evaluation else "",
            s.achieved,
        ]
        for s in qs.prefetch_related("assignments__department")[:MAX_ROWS]
    )
    return headers, rows


def workbook(title: str, headers: list[str], rows: Iterable[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    widths = [len(h) * 2 + 2 for h in headers]
    for row in rows:
        sheet.append(row)
        for i, value in enumerate(row):
            if isinstance(value, str):
                widths[i] = min(max(widths[i], len(value) * 2), 60)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(width, 12)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.is_date:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def response(name: str, title: str, headers, rows) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    reply = HttpResponse(workbook(title, headers, rows), content_type=XLSX)
    reply["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return reply

"""意见汇总报告 — the opinion report of a draft, by article: how many opinions, from where
(online, each station, hearings and visits), the main points with their supporters, and the
adoption recorded so far; as a Word file (python-docx) and a workbook (openpyxl). Words are in
the active language; the points are the citizens' own, without names or phones."""

import io

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import selectors
from .models import Adoption, Draft, OfflineKind, Source

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_POINTS = 20  # per article in the Word report; the workbook lists every comment


def _from_where(row: selectors.ArticleFigures) -> str:
    parts = [
        _("online %(count)d") % {"count": row.online},
        _("hearings %(count)d") % {"count": row.hearings},
        _("visits %(count)d") % {"count": row.visits},
    ]
    if row.other:
        parts.append(_("other %(count)d") % {"count": row.other})
    parts += [f"{name} {count}" for name, count in sorted(row.stations.items()) if name]
    return "，".join(parts)


def _adoption(comment) -> str:
    if not comment.adoption:
        return ""
    label = comment.get_adoption_display()
    return f"{label}：{comment.adoption_reason}" if comment.adoption_reason else label


def docx_report(draft: Draft) -> bytes:
    import docx  # python-docx: only this export needs it

    rows = selectors.report(draft)
    counts = selectors.adoption_counts(draft)
    document = docx.Document()
    heading = (
        _("Pre-review opinion report: %(title)s")
        if draft.is_report
        else _("Opinion report: %(title)s")
    )
    document.add_heading(heading % {"title": draft.title}, level=1)
    if draft.is_report and draft.session:
        document.add_paragraph(
            f"{draft.session} · {draft.get_report_type_display()} · {draft.get_audience_display()}"
        )
    document.add_paragraph(
        _(
            "%(body)s, comments from %(start)s to %(end)s. Opinions received: %(comments)d; "
            "adopted in full or in part: %(adopted)d. Produced on %(today)s."
        )
        % {
            "body": draft.issuing_body,
            "start": formats.date_format(draft.opens_on, "DATE_FORMAT"),
            "end": formats.date_format(draft.closes_on, "DATE_FORMAT"),
            "comments": counts["comments"],
            "adopted": counts["adopted"],
            "today": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        }
    )
    for row in rows:
        if row.article is None and not row.comments:
            continue
        document.add_heading(row.label, level=2)
        if row.article is not None:
            document.add_paragraph(row.article.text)
        document.add_paragraph(
            _("%(comments)d opinions from %(people)d people (%(where)s).")
            % {"comments": row.comments, "people": row.people, "where": _from_where(row)}
        )
        for comment in row.points[:MAX_POINTS]:
            point = comment.text
            if comment.supporters > 1:
                point += _(" (%(count)d supporters)") % {"count": comment.supporters}
            if comment.adoption:
                point += f" [{_adoption(comment)}]"
            document.add_paragraph(point, style="List Bullet")
        if len(row.points) > MAX_POINTS:
            document.add_paragraph(
                _("… and %(count)d more in the workbook.") % {"count": len(row.points) - MAX_POINTS}
            )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _header(sheet, titles: list[str]) -> None:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def xlsx_report(draft: Draft) -> bytes:
    """Write-only (streamed) sheets: a draft with 100,000 comments is one row each
    (bench/legislation_scale.py)."""
    rows = selectors.report(draft)
    unit = _("Paragraph") if draft.is_report else _("Article")
    book = Workbook(write_only=True)
    by_unit = _("By paragraph") if draft.is_report else _("By article")
    summary = book.create_sheet(by_unit[:31])
    summary.freeze_panes = "A2"
    _header(
        summary,
        [
            unit,
            _("Opinions"),
            _("People"),
            _("Online"),
            _("Hearings"),
            _("Visits"),
            _("Other"),
            _("By station"),
            _("Adopted"),
        ],
    )
    for row in rows:
        summary.append(
            [
                row.label,
                row.comments,
                row.people,
                row.online,
                row.hearings,
                row.visits,
                row.other,
                "，".join(f"{n} {c}" for n, c in sorted(row.stations.items()) if n),
                row.adopted,
            ]
        )
    comments = book.create_sheet(_("Opinions")[:31])
    comments.freeze_panes = "A2"
    comments.column_dimensions["H"].width = 60
    _header(
        comments,
        [
            _("Number"),
            unit,
            _("Source"),
            _("Station"),
            _("Kind of meeting"),
            _("Supporters"),
            _("Tags"),
            _("Opinion"),
            _("Adoption"),
            _("Reason"),
        ],
    )
    sources, kinds, adoptions = (
        dict(Source.choices),
        dict(OfflineKind.choices),
        dict(Adoption.choices),
    )
    for row in rows:
        for comment in row.points:
            comments.append(
                [
                    comment.pk,
                    row.label,
                    str(sources[comment.source]),
                    comment.station.name if comment.station else "",
                    str(kinds.get(comment.offline_kind, "")),
                    comment.supporters,
                    "、".join(comment.tags),
                    comment.text,
                    str(adoptions.get(comment.adoption, "")),
                    comment.adoption_reason,
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

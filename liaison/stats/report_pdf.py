"""A statistics report as an A4 PDF: the sentence committees report with
("本季度共接待群众 … 人次、收集意见建议 … 件、办结 … 件、满意率 …%") and the tables behind it.
Always Chinese, with the embedded font of the signs and the 述职报告 (liaison/directory/signs.py).
An internal document for the committee: counts are not hidden below 5."""

import io
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from liaison.directory import signs

from . import figures, workfigures
from .models import StatsReport

RED = HexColor("#b3202a")
RULE = HexColor("#dccfb8")
PANEL = HexColor("#fcf5e8")


def summary(found: figures.Figures, work: workfigures.WorkFigures | None = None) -> str:
    """The report's opening sentence: with the visitors received (接待人次, the work rollup:
    every visit registered, an attended booking included once) when `work` is given."""
    values = {
        "visitors": work.visitors if work is not None else 0,
        "received": found.totals["received"],
        "resolved": found.totals["resolved"],
        "rate": found.rates["satisfaction"].percent,
    }
    if work is not None:
        return (
            _(
                "In this period we received %(visitors)d visitors, collected %(received)d "
                "opinions and suggestions and resolved %(resolved)d; satisfaction rate %(rate)s."
            )
            % values
        )
    return (
        _(
            "In this period we collected %(received)d opinions and suggestions and resolved "
            "%(resolved)d; satisfaction rate %(rate)s."
        )
        % values
    )


def report_pdf(
    report: StatsReport,
    found: figures.Figures,
    period: str,
    work: workfigures.WorkFigures | None = None,
) -> bytes:
    """`period`: the period in words (reports.label); `work`: the stations' work (overview.py),
    its visitors in the opening sentence and its totals in a table."""
    font = signs.pdf_font()

    def text(value) -> str:
        value = escape(str(value))
        return value.translate(signs.CID_SUBSTITUTES) if font == signs.CID_FONT else value

    out = io.BytesIO()
    with translation.override("zh-hans"):
        base = ParagraphStyle("base", fontName=font, fontSize=11, leading=16, wordWrap="CJK")
        styles = {
            "title": ParagraphStyle(
                "title", parent=base, fontSize=18, leading=26, alignment=1, textColor=RED
            ),
            "subtitle": ParagraphStyle("subtitle", parent=base, alignment=1),
            "heading": ParagraphStyle(
                "heading", parent=base, fontSize=13, leading=20, spaceBefore=5 * mm, textColor=RED
            ),
            "body": base,
            "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=14),
        }
        title = _("Statistics report of %(region)s") % {"region": report.region.name}
        doc = SimpleDocTemplate(
            out,
            pagesize=A4,
            initialFontName=font,  # not Helvetica, which is never embedded
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            title=f"{title} · {period}",
            creator="Liaison",
        )

        def p(value, style="body"):
            return Paragraph(text(value), styles[style])

        def table(rows, widths):
            grid = Table([[p(v, "cell") for v in row] for row in rows], colWidths=widths)
            grid.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                        ("FONT", (0, 0), (-1, -1), font),  # never Helvetica (not embedded)
                        ("BACKGROUND", (0, 0), (-1, 0), PANEL),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            return grid

        t = found.totals
        dates = f"{report.start:%Y-%m-%d} – {report.end:%Y-%m-%d}"
        story = [
            p(title, "title"),
            p(f"{period}（{dates}）", "subtitle"),
            p(summary(found, work), "heading"),
            p(_("Intake"), "heading"),
            table(
                [(_("Figure"), _("Count"))]
                + [
                    (_("Messages received"), t["received"]),
                    (_("Accepted"), t["accepted"]),
                    (_("Referred to other channels"), t["referred"]),
                    (_("Not accepted"), t["rejected"]),
                    (_("Merged"), t["merged"]),
                    (_("Withdrawn"), t["withdrawn"]),
                ]
                + [(channel, n) for channel, n in found.channels],
                [110 * mm, 50 * mm],
            ),
            p(_("Handling"), "heading"),
            table(
                [
                    (_("Figure"), _("Count")),
                    (_("Replied by the deputy"), t["replied"]),
                    (_("Assigned to a department"), t["assigned"]),
                    (_("Answered"), t["answered"]),
                    (_("Resolved (closed)"), t["resolved"]),
                    (
                        _("Satisfied or basically satisfied / rated"),
                        _rate(found.rates["satisfaction"]),
                    ),
                ],
                [110 * mm, 50 * mm],
            ),
            p(_("Departments"), "heading"),
            table(
                [
                    (
                        _("Department"),
                        _("Assigned"),
                        _("Resolved on time / due"),
                        _("Satisfied / rated"),
                    )
                ]
                + [
                    (
                        row.department.name,
                        row.assigned,
                        _rate(row.resolved_on_time),
                        _rate(row.satisfaction),
                    )
                    for row in found.departments
                ],
                [70 * mm, 25 * mm, 40 * mm, 40 * mm],
            )
            if found.departments
            else p(_("No assignments in this period.")),
        ]
        if work is not None:
            story += [
                p(_("Stations and deputies"), "heading"),
                table(
                    [
                        (_("Figure"), _("Count")),
                        (_("Visitors received (people)"), work.visitors),
                        (_("of which came with an online booking"), work.visitors_booked),
                        (_("Reception days held"), work.reception_days),
                        (_("Activities held"), work.activities),
                        (_("Participants in the activities"), work.participants),
                    ],
                    [110 * mm, 50 * mm],
                ),
            ]
        if found.categories:
            story += [
                p(_("Messages received by category"), "heading"),
                table(
                    [(_("Category"), _("Messages received"))]
                    + [(category.name, n) for category, n in found.categories],
                    [110 * mm, 50 * mm],
                ),
            ]
        doc.build(story)
    return out.getvalue()


def _rate(rate: figures.Rate) -> str:
    return f"{rate.numerator} / {rate.denominator} ({rate.percent})"

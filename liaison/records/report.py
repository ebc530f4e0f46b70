"""述职报告 — a deputy's annual performance report as an A4 PDF, ready to print for the
report-to-voters meeting (向选民述职).

Figures, the list of matters (publishable cases only: category, title, status, rating — no
tracking number, no citizen's personal data),
the formal suggestions (number, title, lead or co-signed, status), selected results (confirmed
entries and held activities) and the 三个一. Always Chinese, like the signs, whose font handling
it reuses (liaison/directory/signs.py: an embedded TrueType font).
"""

import io
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from liaison.directory import signs

from .record import Record
from .three import DONE

RED = HexColor("#b3202a")
RULE = HexColor("#dccfb8")
PANEL = HexColor("#fcf5e8")


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=20, leading=28, alignment=1, textColor=RED
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, alignment=1, spaceAfter=4 * mm),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontSize=14,
            leading=20,
            spaceBefore=5 * mm,
            spaceAfter=2 * mm,
            textColor=RED,
        ),
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=14),
    }


def annual_report_pdf(record: Record) -> bytes:
    font = signs.pdf_font()

    def text(value) -> str:
        value = escape(str(value)).replace("\n", "<br/>")
        return value.translate(signs.CID_SUBSTITUTES) if font == signs.CID_FONT else value

    out = io.BytesIO()
    with translation.override("zh-hans"):
        styles = _styles(font)
        deputy, figures, progress = record.deputy, record.figures, record.progress
        title = _("Annual performance report %(year)d") % {"year": record.year}
        doc = SimpleDocTemplate(
            out,
            pagesize=A4,
            initialFontName=font,  # not Helvetica, which is never embedded
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            title=f"{deputy.name} · {title}",
            author=deputy.name,
            creator="Liaison",
        )

        def p(value, style="body"):
            return Paragraph(text(value), styles[style])

        def table(rows, widths, header=True):
            cells = [[p(value, "cell") for value in row] for row in rows]
            grid = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
            commands = [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                # Tables set their cells' font even around paragraphs; the default, Helvetica,
                # would be listed in the PDF and never embedded.
                ("FONT", (0, 0), (-1, -1), font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
            if header:
                commands.append(("BACKGROUND", (0, 0), (-1, 0), PANEL))
            grid.setStyle(TableStyle(commands))
            return grid

        story = [
            p(title, "title"),
            p(
                f"{deputy.name} · {deputy.get_level_display()}"
                + (f" · {deputy.term}" if deputy.term else ""),
                "subtitle",
            ),
        ]
        if deputy.constituency:
            story.append(p(f"{_('Constituency')}: {deputy.constituency}", "subtitle"))

        story.append(p(_("Figures"), "heading"))
        rows = [
            (_("Reception duties attended"), figures["duties"]),
            (_("People received"), figures["people_received"]),
            (_("Cases answered"), figures["cases_answered"]),
            (_("of which answered or closed"), figures["cases_settled"]),
            (_("Rated satisfied"), figures["rated_satisfied"]),
            (_("Rated basically satisfied"), figures["rated_basic"]),
            (_("Rated unsatisfied"), figures["rated_unsatisfied"]),
            (_("Activities attended"), figures["activities"]),
            (_("Confirmed record entries"), figures["entries"]),
            (_("Suggestions"), figures["suggestions"]),
            (_("of which as lead deputy"), figures["suggestions_led"]),
        ]
        story.append(table(rows, [110 * mm, 40 * mm], header=False))

        story.append(p(_("Three ones"), "heading"))  # 三个一
        months = "、".join(str(m) for m, state in progress.months if state == DONE) or "—"
        quarters = "、".join(f"Q{q}" for q, state in progress.quarters if state == DONE) or "—"
        month_count = len(progress.contact_months)
        quarter_count = len(progress.activity_quarters)
        story += [
            p(f"{_('Months with contact with voters')}: {month_count}/12 ({months})"),
            p(f"{_('Quarters with an activity')}: {quarter_count}/4 ({quarters})"),
            p(
                f"{_('Report to voters')}: "
                + (_("took place") if progress.reported else _("not yet"))
            ),
        ]

        story.append(p(_("Matters handled"), "heading"))
        # A public document: only cases the citizen let be published, and without the tracking
        # number (with the phone's last 4 digits it opens the citizen's page). The figures above
        # count every case; the rest are only counted here.
        listed = [case for case in record.cases if case.is_publishable]
        if listed:
            rows = [(_("Category"), _("Title"), _("Status"), _("Rating"))]
            rows += [
                (
                    case.category.name,
                    case.title,
                    case.get_status_display(),
                    case.get_rating_display() if case.rating else "—",
                )
                for case in listed
            ]
            story.append(table(rows, [30 * mm, 70 * mm, 45 * mm, 29 * mm]))
        elif not record.cases:
            story.append(p(_("No cases answered this year.")))
        if len(record.cases) > len(listed):
            story.append(
                p(
                    _(
                        "%(count)d further cases are not listed: the citizens asked for "
                        "confidentiality or did not agree to publication."
                    )
                    % {"count": len(record.cases) - len(listed)}
                )
            )

        story.append(p(_("Suggestions"), "heading"))  # 代表建议
        if record.suggestions:
            rows = [(_("Number"), _("Title"), _("Role"), _("Status"))]
            rows += [
                (
                    suggestion.number or "—",
                    suggestion.title,
                    _("Lead deputy") if suggestion.is_lead else _("Co-signed"),
                    suggestion.get_status_display(),
                )
                for suggestion in record.suggestions
            ]
            story.append(table(rows, [26 * mm, 74 * mm, 26 * mm, 48 * mm]))
        else:
            story.append(p(_("No suggestions submitted this year.")))

        story.append(p(_("Selected results"), "heading"))
        results = [
            (entry.date, entry.get_kind_display(), entry.title, entry.description)
            for entry in record.entries
        ] + [
            (item.day, item.kind_label, item.title, item.obj.outcomes)
            for item in record.items
            if item.kind == "activity"
        ]
        if results:
            rows = [(_("Date"), _("Kind"), _("What"))]
            rows += [
                (day.isoformat(), kind, f"{what}\n{detail}".strip() if detail else what)
                for day, kind, what, detail in sorted(results, key=lambda r: r[0])
            ]
            story.append(table(rows, [28 * mm, 30 * mm, 116 * mm]))
        else:
            story.append(p(_("No confirmed results this year.")))
        story.append(Spacer(1, 8 * mm))
        doc.build(story)
    return out.getvalue()

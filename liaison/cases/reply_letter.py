"""答复函 — the printable reply letter for a citizen without a mobile (a letter, a visit, a
landline): no SMS reaches them, so the station posts or hands over the answer on paper.

One A4 page (more when the answer is long): the station's letterhead, the tracking number, the
citizen's name and postal address (for a window envelope), the deputy's answer, and how to rate
it — by phone to the station, or on the return slip at the bottom (满意 / 基本满意 / 不满意 boxes
and the tracking number) cut off and sent back. Always Chinese, like the signs, whose font
handling it reuses (liaison/directory/signs.py: an embedded TrueType font).
"""

import io
from xml.sax.saxutils import escape

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from liaison.directory import signs
from liaison.workdays.deadlines import local_day

from .models import Case, CaseEvent, Rating
from .services import days

RED = signs.RED
MUTED = HexColor("#555555")
BOX = "\u25a1"  # □, in every Chinese font


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=19, wordWrap="CJK")
    return {
        "head": ParagraphStyle(
            "head", parent=base, fontSize=20, leading=26, alignment=1, textColor=RED
        ),
        "sub": ParagraphStyle("sub", parent=base, fontSize=10, leading=14, alignment=1),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=16, leading=24, alignment=1, spaceBefore=4 * mm
        ),
        "body": base,
        "answer": ParagraphStyle("answer", parent=base, firstLineIndent=24, spaceBefore=2 * mm),
        "right": ParagraphStyle("right", parent=base, alignment=2),
        "small": ParagraphStyle("small", parent=base, fontSize=10, leading=15, textColor=MUTED),
        "slip": ParagraphStyle("slip", parent=base, fontSize=14, leading=20, alignment=1),
    }


def _day(value) -> str:
    return formats.date_format(local_day(value), "DATE_FORMAT")


def reply_letter_pdf(case: Case, answer: CaseEvent, *, name: str, address: str) -> bytes:
    """The letter for `case` with `answer` (services.answer_event), as PDF bytes. `name` and
    `address` are what the person printing may see (selectors.may_see_name / may_see_contact):
    empty ones are left out, the letter then greets the "Citizen" and is handed over."""
    font = signs.pdf_font()

    def text(value) -> str:
        value = escape(str(value)).replace("\n", "<br/>")
        return value.translate(signs.CID_SUBSTITUTES) if font == signs.CID_FONT else value

    station = case.station
    out = io.BytesIO()
    with translation.override("zh-hans"):
        styles = _styles(font)

        def p(value, style="body"):
            return Paragraph(text(value), styles[style])

        doc = SimpleDocTemplate(
            out,
            pagesize=A4,
            initialFontName=font,  # not Helvetica, which is never embedded
            leftMargin=22 * mm,
            rightMargin=22 * mm,
            topMargin=16 * mm,
            bottomMargin=14 * mm,
            title=f"{_('Reply letter')} · {case.tracking_number}",
            author=station.name,
            creator="Liaison",
        )
        contact = " · ".join(part for part in (station.address, station.phone) if part)
        name = name or _("Citizen")
        story = [
            p(station.name, "head"),
            p(contact, "sub"),
            HRFlowable(width="100%", thickness=1.5, color=RED, spaceBefore=2 * mm),
            Spacer(0, 6 * mm),
            # The recipient block, where a window envelope shows it.
            p(address),
            p(name),
            Spacer(0, 2 * mm),
            p(_("Tracking number: %(number)s") % {"number": case.tracking_number}, "right"),
            p(_("Reply letter"), "title"),
            Spacer(0, 3 * mm),
            p(_("Dear %(name)s:") % {"name": name}),
            p(
                _("You raised “%(title)s” with us on %(date)s. The answer is as follows:")
                % {"title": case.title, "date": _day(case.created_at)},
                "answer",
            ),
            p(answer.note, "answer"),
            Spacer(0, 4 * mm),
            p(
                _("Deputy %(name)s") % {"name": case.deputy.name}
                if case.deputy_id
                else station.name,
                "right",
            ),
            p(f"{station.name}　{_day(timezone.now())}", "right"),
            Spacer(0, 5 * mm),
            p(_("Please tell us whether you are satisfied"), "body"),
            p(
                _(
                    "Within %(days)d working days, call the station at %(phone)s and give the "
                    "tracking number %(number)s, or fill in the slip below and post it or bring "
                    "it to %(station)s (%(address)s). Without an answer the case is closed."
                )
                % {
                    "days": days("CASE_RATING_DAYS"),
                    "phone": station.phone or "—",
                    "number": case.tracking_number,
                    "station": station.name,
                    "address": station.address or "—",
                },
                "small",
            ),
        ]
        boxes = "　　".join(f"{BOX} {label}" for label in Rating.labels)
        slip = Table(
            [
                [p(_("Return slip"), "slip")],
                [p(_("Tracking number: %(number)s") % {"number": case.tracking_number})],
                [p(_("Your rating (tick one): %(boxes)s") % {"boxes": boxes})],
                [p(_("What you would like to tell us:"))],
                [Spacer(0, 14 * mm)],
                [p(_("Signature and date:"))],
            ],
            colWidths=[doc.width],
            style=TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.8, MUTED),
                    ("FONT", (0, 0), (-1, -1), font),  # not Helvetica (never embedded)
                    ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm),
                ]
            ),
        )
        story.append(
            KeepTogether(
                [
                    Spacer(0, 6 * mm),
                    p(_("- - - - - - - - cut here - - - - - - - -"), "sub"),
                    Spacer(0, 3 * mm),
                    slip,
                ]
            )
        )
        doc.build(story)
    return out.getvalue()

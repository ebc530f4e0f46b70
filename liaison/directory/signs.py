"""Printable public signs (公示牌) as A4 PDF.

One A4 portrait page per deputy, like the "码上找代表" signs the articles describe in stations,
community rooms and contact blocks: photo, name, level, term, constituency (选区), contact blocks
(联系区块), public phone, stations, and the deputy's own QR code with its URL printed beneath it
for when a scan fails. The text is always Chinese, whatever the language of whoever downloads it.

Fonts: a TrueType font (.ttf/.ttc) with Chinese glyphs, embedded as a subset: settings.PDF_FONT_PATH
(LIAISON_PDF_FONT), else the first usable of PDF_FONT_CANDIDATES (Debian packages). Only when none
is usable the standard Adobe CID font STSong-Light, which is not embedded: viewers without Adobe's
CJK pack (Ghostscript, many phones) then show no text at all, so `liaison check` warns. See
docs/signs.md.
"""

import functools
import io
import logging
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from . import qr, selectors
from .models import Deputy, Station

logger = logging.getLogger(__name__)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 14 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN

RED = HexColor("#b3202a")  # the red of people's congress signs
GOLD = HexColor("#e0b04a")
PALE_GOLD = HexColor("#fbe8b8")
INK = HexColor("#1d1d1d")
MUTED = HexColor("#555555")
LABEL = HexColor("#9b1c24")
PANEL = HexColor("#fcf5e8")
RULE = HexColor("#dccfb8")
PHOTO_BACKGROUND = HexColor("#e9edf0")
PHOTO_FIGURE = HexColor("#b4c0c8")

CID_FONT = "STSong-Light"
# With the CID fallback, ASCII-only text (phone numbers, the URL) in a plain sans face, the easiest
# to read and type. An embedded font prints them itself: Helvetica is never embedded either.
LATIN_FONT = "Helvetica-Bold"
# TrueType outlines only: reportlab cannot embed PostScript (CFF) outlines, which rules out the
# Noto Sans CJK / Source Han Sans files of fonts-noto-cjk. In order of preference.
PDF_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # Debian fonts-wqy-zenhei (the one CI installs)
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian fonts-wqy-microhei
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # Debian fonts-arphic-uming
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",  # Fedora / RHEL wqy-zenhei-fonts
)
# Whoever reads a document must be able to read its numbers: DroidSansFallback, for one, has
# Chinese glyphs but no digits.
REQUIRED_CHARS = "人0123456789"
PHOTO_PIXELS = (480, 640)  # 3:4 like an ID photo; ~280 dpi at the printed 44 mm width
QR_AREA = 80 * mm  # with the quiet zone: the symbol itself is 60–65 mm, scannable from 1 m
MAX_CHARS = 1500  # more than fits on a page at the smallest size: keeps wrapping cheap
# STSong-Light's Unicode mapping lacks the middle dots that names use (阿卜杜·艾则孜); its own
# middle dot is U+30FB.
NAME_DOTS = "\u00b7\u2022\u2027\u22c5\uff65\u30fb"
CID_SUBSTITUTES = str.maketrans(dict.fromkeys(NAME_DOTS[:-1], "\u30fb"))
NO_LINE_START = set("，。、；：？！）》」』”’·…,.;:?!)")


@functools.cache
def _register_font(path: str, candidates: tuple[str, ...]) -> str:
    """Register the Chinese font once per process (not per page) and return its name: `path` if
    set, else the first usable of `candidates`, else STSong-Light."""
    for candidate in [path] if path else [p for p in candidates if Path(p).exists()]:
        try:
            font = TTFont(f"Liaison-{Path(candidate).stem}", candidate, subfontIndex=0)
            if any(ord(char) not in font.face.charToGlyph for char in REQUIRED_CHARS):
                raise TTFError("the font lacks Chinese glyphs or digits")
        except (OSError, TTFError) as error:
            logger.warning("PDF font %r unusable (%s)", candidate, error)
        else:
            pdfmetrics.registerFont(font)
            return font.fontName
    logger.warning("No embeddable Chinese font: PDFs use %s, which is not embedded", CID_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def pdf_font() -> str:
    """The Chinese font's registered name, for every printed document (signs, annual reports)."""
    return _register_font(settings.PDF_FONT_PATH, PDF_FONT_CANDIDATES)


def _font() -> str:
    return pdf_font()


def deputy_sign_pdf(deputy: Deputy) -> bytes:
    """公示牌 — one deputy's sign, one A4 page."""
    return _render([deputy], station=None, title=deputy.name)


def station_signs_pdf(station: Station, deputies: Iterable[Deputy]) -> bytes:
    """All signs of a station in one PDF, one page per deputy, for printing in one go."""
    if isinstance(deputies, QuerySet):
        deputies = deputies.prefetch_related(
            Prefetch("stations", queryset=selectors.public_stations(), to_attr="public_stations")
        )
    return _render(list(deputies), station=station, title=station.name)


def _render(deputies: list[Deputy], *, station: Station | None, title: str) -> bytes:
    font = _font()
    out = io.BytesIO()
    # The initial font too: reportlab's default, Helvetica, would be listed and never embedded.
    canvas = Canvas(out, pagesize=A4, pageCompression=1, initialFontName=font)
    with translation.override("zh-hans"):
        canvas.setTitle(f"{_('Public sign')} · {title}")  # 公示牌
        canvas.setCreator("Liaison")
        for deputy in deputies:
            _draw_sign(canvas, deputy, station, font)
            canvas.showPage()
        if not deputies:
            _draw_frame(canvas, station.name if station else "", font)
            _draw_lines(
                canvas,
                _wrap(_("No active deputy sits in this station."), font, 16, CONTENT_WIDTH),
                MARGIN,
                PAGE_HEIGHT / 2,
                font,
                16,
                MUTED,
            )
            canvas.showPage()
    canvas.save()
    return out.getvalue()


def _stations(deputy: Deputy) -> list[Station]:
    stations = getattr(deputy, "public_stations", None)
    if stations is None:
        stations = list(selectors.public_stations().filter(deputies=deputy))
    return stations


def _draw_sign(c: Canvas, deputy: Deputy, station: Station | None, font: str) -> None:
    stations = _stations(deputy)
    place = station or (stations[0] if stations else None)
    _draw_frame(c, place.name if place else "", font)

    # Photo, and beside it: name, level, phone.
    photo_width, photo_height = 44 * mm, 44 * mm * 4 / 3
    photo_top = 244 * mm
    _draw_photo(c, deputy, MARGIN, photo_top - photo_height, photo_width, photo_height)

    x = MARGIN + photo_width + 9 * mm
    width = PAGE_WIDTH - MARGIN - x
    y = photo_top
    # Large on one line; a long name (e.g. a Uyghur name with its father's) gets two smaller.
    size, lines = _fit(deputy.name, font, width, 44, 28, 1)
    if lines[-1].endswith("…"):
        size, lines = _fit(deputy.name, font, width, 30, 16, 2)
    y = _draw_lines(c, lines, x, y, font, size, INK, bold=True, leading=1.12)
    # The level's label is the deputy's title, e.g. 县（区）人大代表.
    size, lines = _fit(str(deputy.get_level_display()), font, width, 17, 11, 2)
    y = _draw_lines(c, lines, x, y - 2 * mm, font, size, RED, bold=True)
    if deputy.public_phone:
        y -= 5 * mm
        c.setStrokeColor(RULE)
        c.setLineWidth(0.8)
        c.line(x, y, x + width, y)
        y = _draw_lines(c, [_("Public phone")], x, y - 3 * mm, font, 11, MUTED)  # 联系电话
        phone_font = _face(deputy.public_phone, font)
        size, lines = _fit(deputy.public_phone, phone_font, width, 26, 14, 1)
        _draw_lines(c, lines, x, y - 1 * mm, phone_font, size, INK, bold=phone_font == font)

    rows = [
        (_("Term"), deputy.term),  # 届次
        (_("Constituency"), deputy.constituency),  # 选区
        (_("Contact blocks"), "、".join(deputy.contact_block_list)),  # 联系区块
        (_("Stations"), "、".join(s.name for s in stations)),  # 所在联络站
        (_("Occupation"), deputy.occupation),  # 工作单位及职务
    ]
    _draw_table(c, [(k, v) for k, v in rows if v], font, top=177 * mm, bottom=123 * mm)
    _draw_qr_panel(c, qr.public_url(deputy), font, top=116 * mm, bottom=14 * mm)


def _draw_frame(c: Canvas, place: str, font: str) -> None:
    """Red frame and header band: 人大代表联络公示牌 and the station the sign belongs to."""
    inset = 7 * mm
    band_bottom = 256 * mm
    c.setFillColor(RED)
    c.rect(inset, band_bottom, PAGE_WIDTH - 2 * inset, PAGE_HEIGHT - inset - band_bottom, 0, 1)
    c.setFillColor(GOLD)
    c.rect(inset, band_bottom - 1.6 * mm, PAGE_WIDTH - 2 * inset, 1.6 * mm, 0, 1)
    c.setStrokeColor(RED)
    c.setLineWidth(2)
    c.rect(inset, inset, PAGE_WIDTH - 2 * inset, PAGE_HEIGHT - 2 * inset, 1, 0)

    title = _("People's congress deputy liaison sign")  # 人大代表联络公示牌
    center = PAGE_WIDTH / 2
    size, lines = _fit(title, font, CONTENT_WIDTH, 32, 18, 1)
    baseline = 270 * mm if place else 265 * mm
    _draw_text(c, center, baseline, lines[0], font, size, white, bold=True, align="center")
    if place:
        size, lines = _fit(place, font, CONTENT_WIDTH, 15, 9, 1)
        _draw_text(c, center, 261 * mm, lines[0], font, size, PALE_GOLD, align="center")


def _draw_photo(c: Canvas, deputy: Deputy, x: float, y: float, w: float, h: float) -> None:
    photo = _photo(deputy)
    if photo is not None:
        c.drawImage(photo, x, y, w, h)
    else:
        # A neutral silhouette, so that a missing photo does not look like a printing fault.
        c.saveState()
        path = c.beginPath()
        path.rect(x, y, w, h)
        c.clipPath(path, stroke=0, fill=0)
        c.setFillColor(PHOTO_BACKGROUND)
        c.rect(x, y, w, h, 0, 1)
        c.setFillColor(PHOTO_FIGURE)
        c.circle(x + w / 2, y + h * 0.62, w * 0.2, 0, 1)
        c.ellipse(x + w * 0.14, y - h * 0.2, x + w * 0.86, y + h * 0.42, 0, 1)
        c.restoreState()
    c.setStrokeColor(RULE)
    c.setLineWidth(1)
    c.rect(x, y, w, h, 1, 0)


def _photo(deputy: Deputy) -> ImageReader | None:
    if not deputy.photo:
        return None
    try:
        with deputy.photo.open("rb") as file:
            image = ImageOps.exif_transpose(Image.open(file)).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        # A lost or broken file must not stop a station from printing its signs.
        logger.warning("Photo %s unusable on a sign (%s)", deputy.photo.name, error)
        return None
    # Cropped (faces sit in the upper part) and scaled down: small PDFs, fast batches.
    image = ImageOps.fit(image, PHOTO_PIXELS, centering=(0.5, 0.35))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    out.seek(0)
    return ImageReader(out)


def _draw_table(c: Canvas, rows: list[tuple[str, str]], font: str, top: float, bottom: float):
    """Label/value rows that shrink to fit the box; if the smallest size is not enough, the
    longest rows are cut (with an ellipsis) first, so that every row keeps a line at least."""
    label_width = 30 * mm
    value_x = MARGIN + label_width + 3 * mm
    value_width = PAGE_WIDTH - MARGIN - value_x
    size = 14.0
    while True:
        leading, padding = size * 1.4, size * 0.45
        laid = [
            (
                _wrap(label, font, size, label_width),
                _wrap(value[:MAX_CHARS], font, size, value_width),
            )
            for label, value in rows
        ]
        counts = [max(len(label), len(value)) for label, value in laid]
        budget = int((top - bottom - len(laid) * 2 * padding) // leading)
        if sum(counts) <= budget or size <= 8:
            break
        size -= 0.5
    while sum(counts) > budget and max(counts) > 1:
        counts[counts.index(max(counts))] -= 1

    y = top
    _rule(c, y)
    for (label_lines, value_lines), count in zip(laid, counts, strict=True):
        if len(value_lines) > count:
            last = _ellipsize(value_lines[count - 1], font, size, value_width)
            value_lines = [*value_lines[: count - 1], last]
        label_lines = label_lines[:count]
        _draw_lines(c, label_lines, MARGIN, y - padding, font, size, LABEL, bold=True, leading=1.4)
        _draw_lines(c, value_lines, value_x, y - padding, font, size, INK, leading=1.4)
        y -= count * leading + 2 * padding
        _rule(c, y)


def _rule(c: Canvas, y: float) -> None:
    c.setStrokeColor(RULE)
    c.setLineWidth(0.7)
    c.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)


def _draw_qr_panel(c: Canvas, url: str, font: str, top: float, bottom: float) -> None:
    c.setFillColor(PANEL)
    c.roundRect(MARGIN, bottom, CONTENT_WIDTH, top - bottom, 3 * mm, 0, 1)

    qr_x, qr_y = MARGIN + 4 * mm, top - 4 * mm - QR_AREA
    _draw_qr(c, url, qr_x, qr_y, QR_AREA)
    center = qr_x + QR_AREA / 2
    hint = _("If the scan fails, type this address:")  # 扫码不成功时，请在浏览器输入网址：
    size, lines = _fit(hint, font, QR_AREA, 9.5, 7, 1)
    y = _draw_lines(c, lines, center, qr_y - 1.5 * mm, font, size, MUTED, align="center")
    # Browsers add https:// themselves; http:// must stay, or the typed address would fail.
    typed = url.removeprefix("https://")
    url_font = _face(typed, font)
    size, lines = _fit(typed, url_font, QR_AREA, 13, 9, 1)
    if lines[0].endswith("…"):  # a very long SITE_URL: two lines rather than unreadably small
        size, lines = _fit(typed, url_font, QR_AREA, 11, 7, 2)
    _draw_lines(c, lines, center, y - 0.5 * mm, url_font, size, INK, align="center")

    x = qr_x + QR_AREA + 8 * mm
    width = PAGE_WIDTH - MARGIN - 5 * mm - x
    y = top - 10 * mm
    size, lines = _fit(_("Scan to reach your deputy"), font, width, 30, 16, 2)  # 扫码找代表
    y = _draw_lines(c, lines, x, y, font, size, RED, bold=True, leading=1.15)
    size, lines = _fit(_("Leave a message about a problem"), font, width, 19, 11, 2)  # 留言反映问题
    y = _draw_lines(c, lines, x, y - 2 * mm, font, size, INK, bold=True)
    y -= 5 * mm
    c.setFillColor(GOLD)
    c.rect(x, y, 18 * mm, 1.2 * mm, 0, 1)
    steps = [
        _("Scan with the phone camera or WeChat."),  # 用手机相机或微信扫一扫
        _("Describe the problem; no account is needed."),  # 填写反映的问题，无需注册
        # 留言经审核后，代表在3个工作日内答复，办理进度可随时在线查询
        _("After review, your deputy replies within 3 working days; follow it online."),
    ]
    y -= 4 * mm
    size = 12.0
    while True:
        indent = _width("① ", font, size)
        wrapped = [_wrap(step, font, size, width - indent) for step in steps]
        height = sum(len(lines) * size * 1.5 + 2 * mm for lines in wrapped)
        if height <= y - bottom - 4 * mm or size <= 8:
            break
        size -= 0.5
    for marker, lines in zip("①②③", wrapped, strict=True):
        if y - len(lines) * size * 1.5 < bottom:
            break
        _draw_text(c, x, y - size * 0.88, marker, font, size, MUTED)
        y = _draw_lines(c, lines, x + indent, y, font, size, MUTED, leading=1.5) - 2 * mm


def _draw_qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as vector shapes, quiet zone included in `size`: sharp at any print size."""
    rows = list(qr.qr_code(url).matrix_iter(scale=1, border=4))
    module = size / len(rows)
    c.setFillColor(white)
    c.rect(x, y, size, size, 0, 1)
    path = c.beginPath()
    for r, row in enumerate(rows):
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            # One rectangle per run of dark modules, all in one path: no hairline seams.
            path.rect(
                x + start * module, y + size - (r + 1) * module, (col - start) * module, module
            )
    c.setFillColor(black)
    c.drawPath(path, stroke=0, fill=1)


# Text: wrapping and fitting, so that long names and lists never run off the page.


def _face(text: str, font: str) -> str:
    return LATIN_FONT if font == CID_FONT and text.isascii() else font


def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break between any two Chinese characters, at spaces inside Latin text, and never put
    closing punctuation at the start of a line (the usual Chinese line-breaking rule)."""
    lines = []
    for paragraph in text.splitlines() or [""]:
        line, line_width = "", 0.0
        for char in paragraph:
            char_width = _width(char, font, size)
            if line and line_width + char_width > width:
                carried = ""
                if char in NO_LINE_START and len(line) > 1:
                    line, carried = line[:-1], line[-1]
                elif char.isascii() and char.isalnum() and line[-1].isascii():
                    cut = line.rfind(" ")
                    if cut > 0:
                        line, carried = line[:cut], line[cut + 1 :]
                elif (cut := max(map(line.rfind, NAME_DOTS))) > len(line) // 2:
                    # Keep the parts of a name (阿卜杜热合曼·艾则孜) whole where possible.
                    line, carried = line[: cut + 1], line[cut + 1 :]
                lines.append(line.rstrip())
                line = (carried + char).lstrip()
                line_width = _width(line, font, size)
            else:
                line += char
                line_width += char_width
        lines.append(line)
    return lines


def _ellipsize(line: str, font: str, size: float, width: float) -> str:
    while line and _width(line + "…", font, size) > width:
        line = line[:-1]
    return line + "…"


def _fit(text: str, font: str, width: float, largest: float, smallest: float, max_lines: int):
    """The largest size at which the text fits in `max_lines`; cut with an ellipsis if even the
    smallest size is not enough."""
    text = " ".join(text[:MAX_CHARS].split())
    size = largest
    lines = _wrap(text, font, size, width)
    while len(lines) > max_lines and size > smallest:
        size = max(smallest, size - 1)
        lines = _wrap(text, font, size, width)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _ellipsize(lines[max_lines - 1], font, size, width)]
    return size, lines


def _draw_lines(c, lines, x, top, font, size, color, *, bold=False, align="left", leading=1.3):
    """Draw lines downward from `top` (the top of the first line); return their bottom."""
    baseline = top - size * 0.88
    for number, line in enumerate(lines):
        if number:
            baseline -= size * leading
        _draw_text(c, x, baseline, line, font, size, color, bold=bold, align=align)
    return baseline - size * 0.22


def _draw_text(c, x, y, text, font, size, color, *, bold=False, align="left") -> None:
    if align == "center":
        x -= _width(text, font, size) / 2
    if font == CID_FONT:
        text = text.translate(CID_SUBSTITUTES)
    c.saveState()  # the render mode and stroke of bold text must not leak into what follows
    text_object = c.beginText(x, y)
    text_object.setFont(font, size)
    text_object.setFillColor(color)
    if bold:
        # Neither STSong-Light nor most free Chinese fonts have a bold face: fill and stroke.
        text_object.setStrokeColor(color)
        text_object.setTextRenderMode(2)
        c.setLineWidth(size * 0.04)
    text_object.textOut(text)
    c.drawText(text_object)
    c.restoreState()

"""Reading a draft's text: pasted text or a .docx (python-docx), split into chapters (第X章),
sections (第X节) and articles (第X条), with Chinese numerals (第二十三条, 第一百零五条) or digits.

`parse(lines)` checks everything before anything is stored and raises `ImportProblems` with one
message per problem, naming the line (or paragraph) — the service stores all or nothing.
Lines before the first chapter or article (the title, "（征求意见稿）") are skipped and counted,
and so is a table of contents (目录, up to where its first entry comes again as a heading).
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_ARTICLES = 1000
MAX_ARTICLE_CHARS = 10_000
MAX_LINE_CHARS = 5_000

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
DIGITS |= {"八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
HEADING = re.compile(
    r"^第\s*([零〇一二两三四五六七八九十百千0-9０-９]+)\s*(章|节|条)(?:[\s\u3000]+|$)(.*)$"
)
TOC = re.compile(r"^目\s*录$")
# The headings of a work report: 一、… (a part), （一）… (a point within it).
PART = re.compile(r"^[零〇一二两三四五六七八九十百]+、")
POINT = re.compile(r"^[（(][零〇一二两三四五六七八九十百]+[）)]")
MAX_PARAGRAPHS = 1000
HEADING_CHARS = 60  # a heading line alone, not a paragraph that starts with one


class ImportProblems(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def chinese_number(text: str) -> int | None:
    """二十三 → 23, 十五 → 15, 一百零五 → 105, 一百一十 → 110, 23 → 23; None if not a number."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isascii() and text.isdigit():
        return int(text) or None
    if any(ch.isdigit() for ch in text):
        return None
    total, digit, last_unit, gap = 0, None, 10_000, False
    for ch in text:
        if ch in DIGITS:
            if digit is not None:
                return None  # two digits in a row: 二三, 五零
            if DIGITS[ch] == 0:
                gap = True  # 零 marks a missing place: 一百零五
            else:
                digit = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if unit >= last_unit or (digit is None and unit != 10):
                return None  # 十百, 百 alone
            total += (digit or 1) * unit  # 十五, 一百十
            digit, last_unit, gap = None, unit, False
        else:
            return None
    if digit is not None and last_unit in (100, 1000) and not gap:
        return None  # 一百五 is spoken for 150: ambiguous in a numbered text
    total += digit or 0
    return total or None


def numeral(number: int) -> str:
    """23 → 二十三 (for messages that name an article as the text does)."""
    names = "零一二三四五六七八九"
    if number < 10:
        return names[number]
    if number < 20:
        return "十" + (names[number % 10] if number % 10 else "")
    if number < 100:
        return names[number // 10] + "十" + (names[number % 10] if number % 10 else "")
    hundreds, rest = divmod(number, 100)
    if not rest:
        return names[hundreds] + "百"
    if rest < 10:
        return names[hundreds] + "百零" + names[rest]
    tail = numeral(rest)
    return names[hundreds] + "百" + (tail if rest >= 20 else "一" + tail)


@dataclass
class ParsedArticle:
    number: int
    line: int
    chapter: int | None
    section: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class ParsedChapter:
    number: int
    line: int
    title: str


@dataclass
class Parsed:
    chapters: list[ParsedChapter]
    articles: list[ParsedArticle]
    skipped: int  # lines before the first chapter or article


def parse(lines: list[str], *, unit: str = "") -> Parsed:
    """`lines` as they come (a line of text, a paragraph of a .docx); `unit` names them in
    messages ("Line" by default, "Paragraph" for a .docx)."""
    unit = unit or _("Line")
    problems: list[str] = []
    chapters: list[ParsedChapter] = []
    articles: list[ParsedArticle] = []
    section, skipped, started = "", 0, False
    toc: list[str] | None = None

    def at(number: int, message: str) -> None:
        problems.append(f"{unit} {number}: {message}")

    for number, raw in enumerate(lines, start=1):
        line = raw.replace("\u3000", " ").strip()
        if not line:
            continue
        if not started and TOC.match(line):
            toc, skipped = [], skipped + 1  # 目录: skip it up to its first entry's second coming
            continue
        if toc is not None:
            if toc and line == toc[0]:
                toc = None
            else:
                toc.append(line)
                skipped += 1
                continue
        if len(line) > MAX_LINE_CHARS:
            at(number, _("the line is longer than %(max)d characters.") % {"max": MAX_LINE_CHARS})
            continue
        match = HEADING.match(line)
        if match is None:
            if articles:
                articles[-1].lines.append(line)
            elif chapters or started:
                at(
                    number,
                    _("text between a chapter heading and its first article: “%(text)s”.")
                    % {"text": line[:30]},
                )
            else:
                skipped += 1
            continue
        written, kind, rest = match.groups()
        value = chinese_number(written)
        if value is None:
            at(
                number,
                _("“第%(written)s%(kind)s” is not a number.") % {"written": written, "kind": kind},
            )
            continue
        started = True
        if kind == "章":
            expected = len(chapters) + 1
            if value != expected:
                at(
                    number,
                    _("第%(found)s章 follows %(before)s; expected 第%(expected)s章.")
                    % {
                        "found": written,
                        "before": f"第{numeral(expected - 1)}章"
                        if expected > 1
                        else _("the beginning"),
                        "expected": numeral(expected),
                    },
                )
            if chapters and not any(a.chapter == chapters[-1].number for a in articles):
                at(
                    chapters[-1].line,
                    _("第%(number)s章 has no articles.") % {"number": numeral(chapters[-1].number)},
                )
            chapters.append(ParsedChapter(value, number, rest.strip()[:200]))
            section = ""
        elif kind == "节":
            section = f"第{written}节 {rest.strip()}".strip()[:200]
        else:
            expected = len(articles) + 1
            if value != expected:
                at(
                    number,
                    _("第%(found)s条 follows %(before)s; expected 第%(expected)s条.")
                    % {
                        "found": written,
                        "before": f"第{numeral(expected - 1)}条"
                        if expected > 1
                        else _("the beginning"),
                        "expected": numeral(expected),
                    },
                )
            article = ParsedArticle(
                value, number, chapters[-1].number if chapters else None, section
            )
            if rest.strip():
                article.lines.append(rest.strip())
            articles.append(article)
    if chapters and not any(a.chapter == chapters[-1].number for a in articles):
        at(
            chapters[-1].line,
            _("第%(number)s章 has no articles.") % {"number": numeral(chapters[-1].number)},
        )
    for article in articles:
        if not article.lines:
            at(article.line, _("第%(number)s条 has no text.") % {"number": numeral(article.number)})
        elif len(article.text) > MAX_ARTICLE_CHARS:
            at(
                article.line,
                _("第%(number)s条 is longer than %(max)d characters.")
                % {"number": numeral(article.number), "max": MAX_ARTICLE_CHARS},
            )
    if not articles and not problems:
        problems.append(_("No article (第一条 …) was found in the text."))
    if len(articles) > MAX_ARTICLES:
        problems.append(
            _("The text has %(count)d articles; at most %(max)d can be imported.")
            % {"count": len(articles), "max": MAX_ARTICLES}
        )
    if problems:
        raise ImportProblems(problems)
    return Parsed(chapters, articles, skipped)


def text_lines(text: str) -> list[str]:
    return text.splitlines()


def docx_lines(content: bytes) -> list[str]:
    """The paragraphs of a .docx, or ImportProblems when the file is not one."""
    import docx  # python-docx: only the import pages need it
    from docx.opc.exceptions import OpcError

    try:
        document = docx.Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError) as error:
        raise ImportProblems(
            [_("The file is not a Word document (.docx). Save it as .docx, or paste the text.")]
        ) from error
    return [paragraph.text for paragraph in document.paragraphs]


def _is_heading(line: str) -> bool:
    """A line that is only a heading ("一、过去一年的工作", "（二）着力扩大内需"), not a paragraph
    that begins with one ("（二）着力扩大内需。全年……")."""
    return bool(PART.match(line) or POINT.match(line)) and (
        len(line) <= HEADING_CHARS and not any(mark in line for mark in "。；！？")
    )


def parse_paragraphs(lines: list[str], *, unit: str = "", each_line: bool = False) -> Parsed:
    """A work report (工作报告) split into paragraphs (段), the unit deputies comment on.

    Pasted text: a paragraph ends at a blank line, and a line that begins with a heading mark
    (一、 or （一）) starts a new one. A .docx (`each_line`): every non-empty paragraph of the file
    is one. A line that is only a heading is not a paragraph: it becomes the heading (`section`)
    of the paragraphs below it — "一、过去一年的工作 / （一）经济运行". Everything is checked before
    anything is stored; `ImportProblems` names each bad line."""
    unit = unit or _("Line")
    problems: list[str] = []
    paragraphs: list[ParsedArticle] = []
    part, point = "", ""
    open_paragraph = False

    def at(number: int, message: str) -> None:
        problems.append(f"{unit} {number}: {message}")

    for number, raw in enumerate(lines, start=1):
        line = raw.replace("\u3000", " ").strip()
        if not line:
            open_paragraph = False
            continue
        if len(line) > MAX_LINE_CHARS:
            at(number, _("the line is longer than %(max)d characters.") % {"max": MAX_LINE_CHARS})
            open_paragraph = False
            continue
        if _is_heading(line):
            if PART.match(line):
                part, point = line[:100], ""
            else:
                point = line[:99]
            open_paragraph = False
            continue
        starts_new = each_line or not open_paragraph or PART.match(line) or POINT.match(line)
        if starts_new:
            section = " ".join(h for h in (part, point) if h)[:200]
            paragraphs.append(ParsedArticle(len(paragraphs) + 1, number, None, section))
        paragraphs[-1].lines.append(line)
        open_paragraph = True
    for paragraph in paragraphs:
        if len(paragraph.text) > MAX_ARTICLE_CHARS:
            at(
                paragraph.line,
                _("第%(number)s段 is longer than %(max)d characters.")
                % {"number": numeral(paragraph.number), "max": MAX_ARTICLE_CHARS},
            )
    if not paragraphs and not problems:
        problems.append(_("No paragraph was found in the text."))
    if len(paragraphs) > MAX_PARAGRAPHS:
        problems.append(
            _("The text has %(count)d paragraphs; at most %(max)d can be imported.")
            % {"count": len(paragraphs), "max": MAX_PARAGRAPHS}
        )
    if problems:
        raise ImportProblems(problems)
    return Parsed([], paragraphs, 0)

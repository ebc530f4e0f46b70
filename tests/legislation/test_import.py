"""Importing a draft's text: 第X章 / 第X条 with Chinese numerals, from pasted text or a .docx;
bad text refused line by line, nothing half-imported."""

import io
from datetime import timedelta

import docx
import pytest
from django.utils import timezone

from liaison.core.errors import TransitionRefused
from liaison.legislation import services
from liaison.legislation.importing import ImportProblems, chinese_number, numeral, parse
from liaison.legislation.models import Article, Chapter
from liaison.workdays.deadlines import local_day

from .conftest import draft_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十五", 15),
        ("二十三", 23),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("两百零二", 202),
        ("23", 23),
        ("１２", 12),
    ],
)
def test_chinese_numerals(written, value):
    assert chinese_number(written) == value
    assert chinese_number(numeral(value)) == value


@pytest.mark.parametrize("written", ["二三", "十百", "百", "一百五", "零", "1二", "甲"])
def test_what_is_not_a_number(written):
    assert chinese_number(written) is None


def test_chapters_sections_and_articles_are_recognised():
    text = """杭州市某某条例（草案）
目录
第一章　总则
第二章　管理
第一章　总则
第一条　为了规范养犬行为，制定本条例。
第二条 本条例适用于本区。
  本条所称犬只，是指……
第二章 管理
第一节 登记
第三条　养犬实行登记制度。
第二十三条 错了"""
    with pytest.raises(ImportProblems) as refused:
        parse(text.splitlines())
    assert refused.value.problems == ["Line 12: 第二十三条 follows 第三条; expected 第四条."]
    parsed = parse(text.splitlines()[:-1])
    assert parsed.skipped == 4
    assert [(c.number, c.title) for c in parsed.chapters] == [(1, "总则"), (2, "管理")]
    assert [(a.number, a.chapter, a.section) for a in parsed.articles] == [
        (1, 1, ""),
        (2, 1, ""),
        (3, 2, "第一节 登记"),
    ]
    assert parsed.articles[1].text == "本条例适用于本区。\n本条所称犬只，是指……"


def test_every_problem_is_named_with_its_line():
    text = "第一章 总则\n第一条\n第三条 跳号\n第二章 空章\n第十十条 乱写"
    with pytest.raises(ImportProblems) as refused:
        parse(text.splitlines())
    assert refused.value.problems == [
        "Line 3: 第三条 follows 第一条; expected 第二条.",
        "Line 5: “第十十条” is not a number.",
        "Line 4: 第二章 has no articles.",
        "Line 2: 第一条 has no text.",
    ]


def test_a_text_without_articles_is_refused():
    with pytest.raises(ImportProblems, match="No article"):
        parse(["只是一段话。"])


def test_twenty_three_articles_from_pasted_text(make_draft, accounts):
    draft = make_draft(articles=23, open=False)
    assert draft.articles.count() == 23
    assert list(draft.chapters.values_list("number", "title")) == [(1, "总则"), (2, "管理")]
    last = draft.articles.get(number=23)
    assert last.chapter.number == 2 and last.text.startswith("第23条的内容")


def test_a_bad_text_changes_nothing(make_draft, accounts):
    draft = make_draft(articles=5, open=False)
    before = list(Article.objects.values_list("pk", "text"))
    with pytest.raises(ImportProblems):
        services.import_text(
            draft, actor=accounts.county_committee, lines=["第一条 好", "第三条 坏"]
        )
    assert list(Article.objects.values_list("pk", "text")) == before
    assert Chapter.objects.count() == 2


def test_a_word_file_is_read_paragraph_by_paragraph(make_draft, accounts):
    from liaison.legislation.importing import docx_lines

    document = docx.Document()
    for line in draft_text(12).splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    lines = docx_lines(buffer.getvalue())
    draft = make_draft(articles=3, open=False)
    parsed = services.import_text(
        draft, actor=accounts.county_committee, lines=lines, unit="Paragraph"
    )
    assert len(parsed.articles) == 12 and draft.articles.count() == 12
    with pytest.raises(ImportProblems, match="not a Word document"):
        docx_lines(b"PK\x03\x04 not really")


def test_the_text_of_an_open_draft_is_not_replaced(make_draft, accounts):
    draft = make_draft(articles=3)
    with pytest.raises(TransitionRefused):
        services.import_text(draft, actor=accounts.county_committee, lines=["第一条 新"])
    assert draft.articles.count() == 3


def test_a_draft_opens_only_with_a_text_and_a_period_not_over(district, accounts):
    today = local_day(timezone.now())
    draft = services.save_draft(
        actor=accounts.county_committee,
        title="草案",
        explanation="",
        region=district.county,
        issuing_body="西湖区人大常委会",
        opens_on=today - timedelta(days=10),
        closes_on=today - timedelta(days=1),
        stations=[],
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Import"):
        services.open_draft(draft, actor=accounts.county_committee)
    services.import_text(draft, actor=accounts.county_committee, lines=["第一条 内容"])
    with pytest.raises(ValidationError, match="over already"):
        services.open_draft(draft, actor=accounts.county_committee)

"""网上预审 — a work report put to pre-review runs on the consultation engine: split into
paragraphs, comments per paragraph, an audience (the region's deputies only, or the public too),
the same moderation, the opinion report by paragraph (第N段) and the feedback."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from liaison.accounts.models import Role
from liaison.core.errors import NotAllowed
from liaison.directory.models import RegionLevel
from liaison.legislation import reports, selectors, services
from liaison.legislation.importing import ImportProblems, parse_paragraphs
from liaison.legislation.models import Adoption, Audience, Comment, DraftKind, ReportType
from liaison.legislation.workflow import CommentStatus
from liaison.notifications.models import Notification
from tests.factories import DeputyFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORT_TEXT = """2027年西湖区人民政府工作报告

一、2026年工作回顾
过去一年，全区地区生产总值增长6%，
一般公共预算收入增长5%。

（一）经济运行稳中有进。新增市场主体1.2万户。

二、2027年主要任务
（一）着力扩大有效投资
实施重大项目120个，完成投资300亿元。
（二）办好民生实事。新增托育机位500个。
"""


@pytest.fixture
def make_report(district, accounts):
    def make(*, audience=Audience.DEPUTIES, open=True, text=REPORT_TEXT):
        today = timezone.localdate()
        report = services.save_draft(
            actor=accounts.county_committee,
            kind=DraftKind.REPORT,
            report_type=ReportType.GOVERNMENT,
            session="西湖区第十八届人大第五次会议",
            audience=audience,
            title="2027年西湖区人民政府工作报告（征求意见稿）",
            explanation="",
            region=district.county,
            issuing_body="西湖区人大常委会",
            opens_on=today,
            closes_on=today + timedelta(days=10),
            stations=[district.station_a],
        )
        services.import_text(report, actor=accounts.county_committee, lines=text.splitlines())
        if open:
            report = services.open_draft(report, actor=accounts.county_committee)
        return report

    return make


@pytest.fixture
def other_deputy(district):
    """A deputy of another district, with an account."""
    other = RegionFactory(
        code="330105000000", name="拱墅区", level=RegionLevel.COUNTY, parent=district.city
    )
    deputy = DeputyFactory(name="周其他", region=other)
    return UserFactory(username="deputy_other", role=Role.DEPUTY, deputy=deputy)


def test_pasted_text_splits_on_blank_lines_and_headings():
    parsed = parse_paragraphs(REPORT_TEXT.splitlines())
    texts = [p.text for p in parsed.articles]
    assert [p.number for p in parsed.articles] == [1, 2, 3, 4, 5]
    # The title before any heading is a paragraph of its own; lines without a blank join.
    assert texts[1] == "过去一年，全区地区生产总值增长6%，\n一般公共预算收入增长5%。"
    assert parsed.articles[1].section == "一、2026年工作回顾"
    # A line that is only a heading heads the paragraphs below; one with a sentence is text.
    assert texts[3] == "实施重大项目120个，完成投资300亿元。"
    assert parsed.articles[3].section == "二、2027年主要任务 （一）着力扩大有效投资"
    assert texts[4] == "（二）办好民生实事。新增托育机位500个。"


def test_a_docx_takes_every_paragraph_and_bad_text_is_refused_whole(english):
    lines = ["一、回顾", "第一段。", "第二段。"]
    assert len(parse_paragraphs(lines, each_line=True).articles) == 2
    assert len(parse_paragraphs(lines).articles) == 1
    with pytest.raises(ImportProblems, match="No paragraph"):
        parse_paragraphs(["", "一、只有标题", "   "])
    with pytest.raises(ImportProblems, match="Line 2: the line is longer"):
        parse_paragraphs(["一段。", "长" * 5001])


def test_a_report_needs_its_session_type_and_audience(district, accounts, english):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.save_draft(
            actor=accounts.county_committee,
            kind=DraftKind.REPORT,
            report_type="",
            session=" ",
            audience="everyone",
            title="报告",
            explanation="",
            region=district.county,
            issuing_body="西湖区人大常委会",
            opens_on=today,
            closes_on=today,
            stations=[],
        )
    assert set(refused.value.message_dict) == {"report_type", "session", "audience"}


def test_deputies_only_report_is_hidden_from_the_public_and_other_regions(
    client, make_report, accounts, other_deputy, district
):
    report = make_report(audience=Audience.DEPUTIES)
    page = reverse("legislation:draft", args=[report.pk])
    comment_url = reverse("legislation:comment-article", args=[report.pk, 1])
    assert client.get(page).status_code == 404
    assert client.get(comment_url).status_code == 404
    assert report.title not in client.get(reverse("legislation:list")).content.decode()
    station_page = client.get(district.station_a.get_absolute_url()).content.decode()
    assert report.title not in station_page
    client.force_login(other_deputy)
    assert client.get(page).status_code == 404
    assert client.post(comment_url, {"text": "意见"}).status_code == 404
    assert report.title not in client.get(reverse("legislation:reports")).content.decode()
    client.force_login(accounts.deputy_a)
    assert client.get(page).status_code == 200
    assert report.title in client.get(reverse("legislation:reports")).content.decode()
    # The phone flow is not a way in either.
    with translation.override("en"), pytest.raises(ValidationError, match="Only the deputies"):
        services.submit_comment(
            report, article=None, text="意见", name="", phone="13912345678", consent=True
        )
    with pytest.raises(NotAllowed):
        services.submit_deputy_comment(
            report, actor=other_deputy, article=None, text="意见", consent=True
        )
    assert not Comment.objects.exists()


def test_a_deputy_comments_per_paragraph_signed_in(client, make_report, accounts):
    report = make_report()
    client.force_login(accounts.deputy_a)
    client.cookies["django_language"] = "en"
    url = reverse("legislation:comment-article", args=[report.pk, 3])
    form = client.get(url).content.decode()
    assert "Your opinion on paragraph 3" in form and 'name="phone"' not in form
    assert client.post(url, {"text": " "}).status_code == 400
    assert (
        client.post(url, {"text": "建议量化稳中有进的指标。", "consent": "on"}).status_code == 302
    )
    comment = Comment.objects.get()
    assert comment.article.number == 3 and comment.status == CommentStatus.PENDING
    assert comment.entered_by == accounts.deputy_a and comment.name == "张明华"
    assert not comment.phone
    services.publish_comment(comment, actor=accounts.station_a_staff)
    page = client.get(reverse("legislation:draft", args=[report.pk])).content.decode()
    assert "Paragraph 3" in page and "建议量化稳中有进的指标。" in page and "张明华" in page
    assert "Comment on paragraph 3" in page and "Article 3" not in page


def test_a_public_report_is_listed_and_takes_citizens_comments(client, make_report):
    report = make_report(audience=Audience.PUBLIC)
    client.cookies["django_language"] = "en"
    listing = client.get(reverse("legislation:list")).content.decode()
    assert "Work reports for pre-review" in listing and report.title in listing
    url = reverse("legislation:comment-article", args=[report.pk, 2])
    response = client.post(url, {"text": "建议公开预算明细。", "phone": "13912345678"})
    assert response.status_code == 302
    code = Notification.objects.get(template="comment_code").params["code"]
    assert client.post(reverse("legislation:confirm"), {"code": code}).status_code == 302
    assert Comment.objects.get().article.number == 2


def test_the_opinion_report_is_by_paragraph_and_the_deputy_is_told(make_report, accounts, english):
    report = make_report()
    comment = services.submit_deputy_comment(
        report,
        actor=accounts.deputy_a,
        article=report.articles.get(number=2),
        text="建议补充增长原因。",
        consent=False,
    )
    report = services.close_draft(report, actor=accounts.county_committee)
    labels = [row.label for row in selectors.report(report)]
    assert labels[:3] == ["The whole report", "第一段", "第二段"]
    sheet = load_workbook(io.BytesIO(reports.xlsx_report(report)))
    assert sheet.sheetnames[0] == "By paragraph"
    assert sheet.worksheets[0]["A1"].value == "Paragraph"
    assert sheet.worksheets[1]["B2"].value == "第二段"
    services.adopt_comment(
        Comment.objects.get(pk=comment.pk),
        actor=accounts.county_committee,
        adoption=Adoption.ADOPTED,
        reason="",
    )
    assert services.tell_contributors(report, actor=accounts.county_committee) == 1
    notice = Notification.objects.get(dedupe_key__startswith=f"legislation-comment:{comment.pk}:")
    assert notice.link == reverse("legislation:staff-comments", args=[report.pk])


def test_the_deputy_finds_open_reports_on_the_workspace(client, make_report, accounts):
    make_report()
    client.force_login(accounts.deputy_a)
    page = client.get("/accounts/").content.decode()
    assert 'id="work-legislation-reports"' in page

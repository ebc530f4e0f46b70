"""Browser test of the pre-review of a work report (网上预审, issue 14 part 2), on phone-sized
screens in Chinese with the axe check: the committee publishes the government work report to the
county's deputies only, pasting its text split into paragraphs → the public gets "not found" → a
deputy of the county finds it on the workspace and comments on paragraph 2, signed in → the
station publishes it → the opinion report is by paragraph."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from liaison.legislation.models import Audience, Comment, Draft, DraftKind
from liaison.legislation.workflow import CommentStatus, DraftStatus

from ..legislation.test_work_reports import REPORT_TEXT
from .test_accessibility import check
from .test_legislation import person, submit  # noqa: F401 (the fixture)

pytestmark = pytest.mark.e2e


def test_report_to_deputies_paragraph_comments(person, district, accounts):  # noqa: F811
    today = timezone.localdate()
    committee = person(accounts.county_committee)
    committee.goto("/staff/legislation/new/")
    committee.check("input[name=kind][value=report]")
    committee.fill("#id_title", "2027年西湖区人民政府工作报告（征求意见稿）")
    committee.select_option("#id_report_type", "government")
    committee.fill("#id_session", "西湖区第十八届人大第五次会议")
    committee.check("input[name=audience][value=deputies]")
    committee.fill("#id_issuing_body", "西湖区人大常委会")
    committee.select_option("#id_region", str(district.county.pk))
    committee.fill("#id_opens_on", today.isoformat())
    committee.fill("#id_closes_on", (today + timedelta(days=10)).isoformat())
    committee.check(f"input[name=stations][value='{district.station_a.pk}']")
    submit(committee)
    report = Draft.objects.get()
    assert report.kind == DraftKind.REPORT and report.audience == Audience.DEPUTIES
    committee.click("#import-text")
    committee.fill("#id_text", REPORT_TEXT)
    submit(committee)
    assert committee.locator("#articles > li").count() == 5
    check(committee, "prereview-staff-report")
    submit(committee, "#open-draft")
    report.refresh_from_db()
    assert report.status == DraftStatus.OPEN

    citizen = person()
    response = citizen.goto(f"/legislation/{report.pk}/")
    assert response.status == 404

    deputy = person(accounts.deputy_a)
    deputy.click("#work-legislation-reports a")
    check(deputy, "prereview-reports")
    deputy.click(f"a[href='/legislation/{report.pk}/']")
    assert deputy.locator("article[id^=article-]").count() == 5
    check(deputy, "prereview-report")
    deputy.click(f"a[href='/legislation/{report.pk}/articles/2/comment/']")
    assert deputy.locator("#id_phone").count() == 0
    deputy.fill("#id_text", "建议说明收入增长的主要来源。")
    deputy.check("#id_consent")
    check(deputy, "prereview-comment")
    submit(deputy)
    comment = Comment.objects.get()
    assert comment.article.number == 2 and comment.status == CommentStatus.PENDING

    station = person(accounts.station_a_staff)
    station.goto(f"/staff/legislation/{report.pk}/comments/")
    submit(station, f"#comment-{comment.pk} form[action$='/publish/'] button")
    deputy.goto(f"/legislation/{report.pk}/")
    assert "建议说明收入增长的主要来源。" in deputy.locator("#article-2").inner_text()

    committee.goto(f"/staff/legislation/{report.pk}/")
    submit(committee, "#close-draft")
    with committee.expect_download() as download:
        committee.click("#report-xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = [row[0].value for row in book.worksheets[0].iter_rows(min_row=2)]
    assert rows[1:4] == ["第一段", "第二段", "第三段"]

"""Browser test of the legislative contact point (issue 14, part 1), on phone-sized screens in
Chinese, with the axe check of every page it touches: the committee publishes a draft of 20
articles → a citizen comments online (SMS code) and a station enters a hearing's opinion →
moderation and merging → the period closes → the opinion report (.docx, .xlsx; both
re-opened by LibreOffice, Writer and Calc) → adoption recorded → the contributors told."""

import io
import subprocess
from datetime import timedelta

import docx
import pytest
from django.utils import timezone

from liaison.legislation import services
from liaison.legislation.models import Comment, Draft
from liaison.legislation.workflow import CommentStatus, DraftStatus
from liaison.notifications.models import Channel, Notification

from ..legislation.conftest import draft_text
from ..tools import require_tool, require_writer
from .test_accessibility import check

pytestmark = pytest.mark.e2e

PASSWORD = "pass-for-tests"  # tests/factories.py


@pytest.fixture
def person(browser, live_site):
    """A fresh phone-sized browser (own cookies) per actor; logged in when given a user."""
    contexts = []

    def open_as(user=None):
        context = browser.new_context(
            viewport={"width": 375, "height": 667},
            locale="zh-CN",
            base_url=live_site.url,
            accept_downloads=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if user is not None:
            page.goto("/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", PASSWORD)
            page.click(".login-form button[type=submit]")
            page.wait_for_url("**/accounts/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def office_convert(path, target: str, office: str) -> str:
    """The file as LibreOffice (headless) reads it, converted to `target` (txt, csv), UTF-8."""
    result = subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{path.parent}/profile",
            "--convert-to",
            target,
            "--outdir",
            str(path.parent),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return path.with_suffix(f".{target.split(':')[0]}").read_text(encoding="utf-8")


def submit(page, selector="main form button[type=submit]"):
    with page.expect_navigation():
        page.click(selector)


def test_draft_to_adoption_and_feedback(person, district, accounts, settings, tmp_path, screenshot):
    settings.DEMO_MODE = True
    today = timezone.localdate()

    # The committee publishes the draft and imports its 20 articles.
    committee = person(accounts.county_committee)
    committee.goto("/staff/legislation/new/")
    check(committee, "legislation-new")
    committee.fill("#id_title", "西湖区文明养犬条例（草案）")
    committee.fill("#id_issuing_body", "西湖区人大常委会")
    committee.select_option("#id_region", str(district.county.pk))
    committee.fill("#id_explanation", "为规范养犬行为，制定本条例。")
    committee.fill("#id_opens_on", today.isoformat())
    committee.fill("#id_closes_on", (today + timedelta(days=30)).isoformat())
    committee.check(f"input[name=stations][value='{district.station_a.pk}']")
    submit(committee)
    draft = Draft.objects.get()
    committee.click("#import-text")
    committee.fill("#id_text", draft_text(20))
    submit(committee)
    assert committee.locator("#articles > li").count() == 20
    check(committee, "legislation-staff-draft")
    submit(committee, "#open-draft")
    draft.refresh_from_db()
    assert draft.status == DraftStatus.OPEN

    # A citizen comments on article 5, without an account, the phone confirmed by SMS code.
    citizen = person()
    citizen.goto("/legislation/")
    check(citizen, "legislation-list")
    citizen.click(f"a[href='/legislation/{draft.pk}/']")
    assert citizen.locator("article[id^=article-]").count() == 20
    check(citizen, "legislation-draft")
    citizen.click(f"a[href='/legislation/{draft.pk}/articles/5/comment/']")
    citizen.fill("#id_text", "建议明确犬只登记的办理时限为五个工作日。")
    citizen.fill("#id_name", "陈阿姨")
    citizen.fill("#id_phone", "13912345678")
    citizen.check("#id_consent")
    check(citizen, "legislation-comment")
    submit(citizen)
    code = citizen.locator(".demo-code .code").inner_text().strip()
    check(citizen, "legislation-confirm")
    citizen.fill("#id_code", code)
    submit(citizen)
    citizen.wait_for_url("**/legislation/sent/")
    online = Comment.objects.get(source="online")
    assert online.status == CommentStatus.PENDING
    # A second citizen said the same (through the service: the form is tested above).
    same, same_code = services.submit_comment(
        draft,
        article=online.article,
        text="登记时限应当明确。",
        name="",
        phone="13700000001",
        consent=True,
    )
    services.verify_comment(same, same_code)

    # The station enters a hearing's opinion and moderates.
    station = person(accounts.station_a_staff)
    station.goto(f"/staff/legislation/{draft.pk}/offline/")
    check(station, "legislation-offline")
    station.select_option("#id_article", label="第五条")
    station.select_option("#id_offline_kind", "hearing")
    station.select_option("#id_station", str(district.station_a.pk))
    station.fill("#id_people", "12")
    station.fill("#id_text", "座谈会上居民建议登记可以在社区办理。")
    submit(station)
    hearing = Comment.objects.get(source="offline")
    assert hearing.entered_by == accounts.station_a_staff and hearing.people == 12
    station.goto(f"/staff/legislation/{draft.pk}/comments/")
    check(station, "legislation-comments")
    submit(station, f"#comment-{online.pk} form[action$='/publish/'] button")
    submit(station, f"#comment-{hearing.pk} form[action$='/publish/'] button")
    station.fill(f"#into-{same.pk}", str(online.pk))
    submit(station, f"#comment-{same.pk} form[action$='/merge/'] button")
    online.refresh_from_db()
    assert online.status == CommentStatus.PUBLISHED and online.supporters == 2

    citizen.goto(f"/legislation/{draft.pk}/")
    article = citizen.locator("#article-5")
    assert "建议明确犬只登记的办理时限" in article.inner_text() and "陈阿姨" in article.inner_text()
    assert "13912345678" not in citizen.content()

    # The period closes; the report comes as .docx and .xlsx.
    committee.goto(f"/staff/legislation/{draft.pk}/")
    submit(committee, "#close-draft")
    with committee.expect_download() as word:
        committee.click("#report-docx")
    paragraphs = docx.Document(io.BytesIO(word.value.path().read_bytes())).paragraphs
    text = "\n".join(p.text for p in paragraphs)
    assert "建议明确犬只登记的办理时限" in text and "座谈会上居民建议" in text
    # The report opens in LibreOffice Writer (headless): converted to plain text, it reads back.
    report = tmp_path / "report.docx"
    report.write_bytes(word.value.path().read_bytes())
    assert "座谈会上居民建议" in office_convert(report, "txt:Text", require_writer())
    with committee.expect_download() as book:
        committee.click("#report-xlsx")
    path = tmp_path / "report.xlsx"
    path.write_bytes(book.value.path().read_bytes())
    csv_text = office_convert(
        path, "csv:Text - txt - csv (StarCalc):44,34,76", require_tool("soffice")
    )
    rows = csv_text.splitlines()
    assert len(rows) == 1 + 1 + 20
    assert rows[6].startswith("第五条,3,14,2,1,0,0,")  # 3 opinions, 14 people, online 2, hearing 1

    # Adoption recorded per comment; the contributors told.
    committee.goto(f"/staff/legislation/{draft.pk}/comments/")
    check(committee, "legislation-adoption")
    committee.select_option(f"#adoption-{online.pk}", "adopted")
    submit(committee, f"#comment-{online.pk} form[action$='/adopt/'] button")
    committee.select_option(f"#adoption-{hearing.pk}", "partly")
    committee.fill(f"#adopt-reason-{hearing.pk}", "已在第五条中增加社区代办的规定。")
    submit(committee, f"#comment-{hearing.pk} form[action$='/adopt/'] button")
    committee.goto(f"/staff/legislation/{draft.pk}/")
    submit(committee, "#tell-contributors")
    sms = Notification.objects.filter(channel=Channel.SMS, template="comment_outcome")
    assert sorted(sms.values_list("recipient", flat=True)) == ["13700000001", "13912345678"]
    assert Notification.objects.filter(
        channel=Channel.IN_APP, recipient=str(accounts.station_a_staff.pk)
    ).exists()

    citizen.goto(f"/legislation/{draft.pk}/")
    figures = citizen.locator("#adoption-figures").inner_text()
    assert "3" in figures and figures.count("3") == 2  # 3 received, 3 adopted (in full or part)
    screenshot(citizen, "legislation-closed")
    check(citizen, "legislation-closed")

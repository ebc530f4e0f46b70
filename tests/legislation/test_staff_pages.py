"""The staff's pages over HTTP: who sees and does what (the permission rows), creating a draft,
importing its text (pasted and .docx, refused line by line), opening and closing, offline entry,
moderation, adoption, the report files and telling the contributors."""

import io
import subprocess
from datetime import timedelta

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from liaison.legislation import services
from liaison.legislation.models import Article, Comment, Draft
from liaison.legislation.workflow import CommentStatus, DraftStatus
from liaison.notifications.models import Channel, Notification

from ..tools import require_tool, require_writer
from .conftest import draft_text

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_who_sees_a_draft(client, make_draft, accounts, district):
    draft = make_draft()
    draft.stations.set([district.station_a])
    url = reverse("legislation:staff-detail", args=[draft.pk])
    for user, status in [
        (accounts.county_committee, 200),
        (accounts.station_a_staff, 200),
        (accounts.station_b_staff, 404),  # not a contact point of this draft
        (accounts.street_a_committee, 404),  # the draft is the county's
        (accounts.deputy_a, 403),
        (accounts.handler_a, 403),
    ]:
        assert signed_in(client, user).get(url).status_code == status, user
    client.logout()
    assert client.get(url).status_code == 302  # to the login


def test_the_committee_creates_imports_and_opens_a_draft(client, accounts, district):
    signed_in(client, accounts.county_committee)
    today = timezone.localdate()
    response = client.post(
        reverse("legislation:staff-new"),
        {
            "kind": "draft",
            "title": "西湖区文明养犬条例（草案）",
            "issuing_body": "西湖区人大常委会",
            "region": district.county.pk,
            "explanation": "说明",
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=30)).isoformat(),
            "stations": [district.station_a.pk, district.station_b.pk],
        },
    )
    draft = Draft.objects.get()
    assert response.status_code == 302 and draft.status == DraftStatus.DRAFT
    import_url = reverse("legislation:staff-import", args=[draft.pk])
    bad = client.post(import_url, {"text": "第一条 好\n第二条 好\n第四条 跳号"})
    assert bad.status_code == 400
    assert "Line 3: 第四条 follows 第二条; expected 第三条." in bad.content.decode()
    assert not Article.objects.exists()
    assert client.post(import_url, {"text": ""}).status_code == 400
    workbook = io.BytesIO()
    Workbook().save(workbook)
    workbook.seek(0)
    workbook.name = "draft.docx"  # a spreadsheet named .docx
    refused = client.post(import_url, {"file": workbook})
    assert refused.status_code == 400 and "not a Word document" in refused.content.decode()
    document = docx.Document()
    for line in draft_text(20).splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = "draft.docx"
    assert client.post(import_url, {"file": buffer}).status_code == 302
    assert draft.articles.count() == 20
    opened = client.post(reverse("legislation:staff-action", args=[draft.pk, "open"]))
    assert opened.status_code == 302
    draft.refresh_from_db()
    assert draft.status == DraftStatus.OPEN
    again = client.post(reverse("legislation:staff-action", args=[draft.pk, "open"]))
    assert again.status_code == 409


def test_bad_draft_forms_are_400(client, accounts, district):
    signed_in(client, accounts.county_committee)
    today = timezone.localdate()
    response = client.post(
        reverse("legislation:staff-new"),
        {
            "kind": "draft",
            "title": "草案",
            "issuing_body": "西湖区人大常委会",
            "region": district.county.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "The period cannot close before it opens." in response.content.decode()
    # A station may not publish a draft.
    signed_in(client, accounts.station_a_staff)
    assert client.get(reverse("legislation:staff-new")).status_code == 403
    assert not Draft.objects.exists()


def test_offline_entry_moderation_and_adoption_over_http(
    client, make_draft, online_comment, accounts, district
):
    draft = make_draft()
    citizen = online_comment(draft)
    signed_in(client, accounts.station_a_staff)
    offline_url = reverse("legislation:staff-offline", args=[draft.pk])
    entry = {
        "article": draft.articles.get(number=1).pk,
        "offline_kind": "hearing",
        "station": district.station_a.pk,
        "people": "15",
        "text": "座谈会上居民提出同样的意见。",
    }
    assert client.post(offline_url, {**entry, "people": "0"}).status_code == 400
    assert client.post(offline_url, {**entry, "station": district.station_b.pk}).status_code == 400
    assert client.post(offline_url, entry).status_code == 302
    hearing = Comment.objects.get(source="offline")
    assert hearing.entered_by == accounts.station_a_staff and hearing.people == 15

    def act(comment, action, data=None):
        url = reverse("legislation:staff-comment-action", args=[draft.pk, comment.pk, action])
        return client.post(url, data or {})

    assert act(citizen, "hide").status_code == 400  # no reason
    assert act(citizen, "publish").status_code == 302
    assert act(hearing, "merge", {"into": "999999"}).status_code == 400
    assert act(hearing, "merge", {"into": str(citizen.pk)}).status_code == 302
    citizen.refresh_from_db()
    assert citizen.supporters == 16 and citizen.status == CommentStatus.PUBLISHED
    assert act(hearing, "publish").status_code == 409  # merged
    assert act(citizen, "adopt", {"adoption": "adopted"}).status_code == 403  # the committee's
    listing = client.get(reverse("legislation:staff-comments", args=[draft.pk]))
    assert listing.status_code == 200 and "13912345678" not in listing.content.decode()

    signed_in(client, accounts.county_committee)
    assert (
        client.post(reverse("legislation:staff-action", args=[draft.pk, "close"])).status_code
        == 302
    )
    assert act(citizen, "adopt", {"adoption": "maybe"}).status_code == 400
    assert act(citizen, "adopt", {"adoption": "partly", "reason": ""}).status_code == 400
    assert act(citizen, "adopt", {"adoption": "partly", "reason": "部分吸收"}).status_code == 302
    hearing.refresh_from_db()
    assert hearing.adoption == "partly"

    Notification.objects.all().delete()
    assert (
        client.post(reverse("legislation:staff-action", args=[draft.pk, "tell"])).status_code == 302
    )
    assert Notification.objects.filter(channel=Channel.SMS, template="comment_outcome").count() == 1
    assert Notification.objects.filter(
        channel=Channel.IN_APP, recipient=str(accounts.station_a_staff.pk)
    ).exists()


def test_the_report_files_open(client, make_draft, online_comment, accounts, district):
    draft = make_draft()
    services.publish_comment(
        online_comment(draft, text="第一条的意见"), actor=accounts.county_committee
    )
    services.enter_offline_comment(
        draft,
        actor=accounts.station_a_staff,
        article=draft.articles.get(number=2),
        text="走访中听到的意见",
        offline_kind="visit",
        people=3,
        station=district.station_a,
    )
    draft = services.close_draft(draft, actor=accounts.county_committee)
    signed_in(client, accounts.station_a_staff)
    word = client.get(reverse("legislation:staff-report", args=[draft.pk, "docx"]))
    assert word.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "Opinions received: 2" in text and "第一条的意见" in text and "走访中听到的意见" in text
    assert "13912345678" not in text and "陈阿姨" not in text
    book = client.get(reverse("legislation:staff-report", args=[draft.pk, "xlsx"]))
    sheets = load_workbook(io.BytesIO(book.content))
    summary = [list(r) for r in sheets.worksheets[0].iter_rows(values_only=True)]
    assert summary[0][:4] == ["Article", "Opinions", "People", "Online"]
    by_article = {r[0]: r for r in summary[1:]}
    assert by_article["第一条"][1:4] == [1, 1, 1]
    assert by_article["第二条"][5] == 1 and "北山街道人大代表联络站 1" in by_article["第二条"][7]
    assert len(summary) == 1 + 1 + 20  # the whole draft and each article
    assert (
        client.get(reverse("legislation:staff-report", args=[draft.pk, "pdf"])).status_code == 404
    )


def convert(path, target: str) -> str:
    """The file as LibreOffice reads it, converted to `target` (txt, csv)."""
    office = require_tool("soffice")
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
    return path.with_suffix(f".{target.split(':')[0]}").read_text(
        encoding="utf-8", errors="replace"
    )


def test_libreoffice_opens_the_workbook(client, make_draft, online_comment, accounts, tmp_path):
    draft = make_draft()
    online_comment(draft, text="建议明确登记时限。")
    draft = services.close_draft(draft, actor=accounts.county_committee)
    signed_in(client, accounts.county_committee)
    path = tmp_path / "report.xlsx"
    path.write_bytes(
        client.get(reverse("legislation:staff-report", args=[draft.pk, "xlsx"])).content
    )
    text = convert(path, "csv:Text - txt - csv (StarCalc):44,34,76")  # UTF-8
    assert text.splitlines()[0].startswith("Article,Opinions,People")
    assert "第一条,1,1,1" in text


def test_libreoffice_opens_the_word_report(client, make_draft, online_comment, accounts, tmp_path):
    require_writer()
    draft = make_draft()
    online_comment(draft, text="建议明确登记时限。")
    draft = services.close_draft(draft, actor=accounts.county_committee)
    signed_in(client, accounts.county_committee)
    path = tmp_path / "report.docx"
    path.write_bytes(
        client.get(reverse("legislation:staff-report", args=[draft.pk, "docx"])).content
    )
    assert "建议明确登记时限" in convert(path, "txt:Text")


def test_the_comment_list_comes_a_page_at_a_time(client, make_draft, accounts):
    draft = make_draft()
    Comment.objects.bulk_create(
        Comment(draft=draft, text=f"意见{n}", source="online", status=CommentStatus.PENDING)
        for n in range(60)
    )
    signed_in(client, accounts.station_a_staff)
    url = reverse("legislation:staff-comments", args=[draft.pk])
    first = client.get(url, {"status": "pending"}).content.decode()
    assert first.count('<li class="card"') == 50 and "status=pending&amp;page=2" in first
    assert client.get(url, {"page": "2"}).content.decode().count('<li class="card"') == 10
    assert client.get(url, {"status": "bogus", "page": "x"}).status_code == 200

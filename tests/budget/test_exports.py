"""The budget's exports (liaison/budget/exports.py): the lines with execution and deviation, and
the questions with the replies, as CSV (BOM) and xlsx with the table's headers; only a budget the
asker may see; every export in the audit trail."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from liaison.budget import services
from liaison.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
LINES = "/staff/exports/budget-lines/"
QUESTIONS = "/staff/exports/budget-questions/"


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Chinese
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_lines_as_csv_with_execution_and_deviation(client, published, accounts):
    client.force_login(accounts.deputy_a)
    rows = csv_rows(client.post(f"{LINES}?budget={published.pk}", {"format": "csv"}))
    by_code = {row["Function classification code"]: row for row in rows}
    assert set(by_code) == {"2120101", "2120803", "2120501"}
    behind = by_code["2120803"]
    assert (behind["Department"], behind["Executed (10k yuan)"]) == ("区住房和城乡建设局", "300.00")
    assert behind["Execution rate (%)"] == "10.0"
    assert behind["Deviation"].startswith("Behind schedule (expected 50.0")
    assert by_code["2120501"]["Deviation"] == "Over the budget"
    made = AuditEvent.objects.get(verb="export.made")
    assert made.data["list"] == "budget-lines" and made.data["rows"] == 3
    assert made.data["filters"] == {"budget": str(published.pk)}


def test_the_lines_as_xlsx_keep_numbers(client, published, accounts):
    client.force_login(accounts.county_committee)
    response = client.post(f"{LINES}?budget={published.pk}", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *body = list(sheet.values)
    assert header[:3] == (
        "Department",
        "Function classification code",
        "Function classification name",
    )
    adjusted = header.index("Adjusted budget (10k yuan)")
    assert sum(row[adjusted] for row in body) == 3620  # numbers, so a spreadsheet sums them


def test_the_headers_are_in_the_askers_language(client, published, accounts):
    client.cookies["django_language"] = "zh-hans"
    client.force_login(accounts.county_committee)
    rows = csv_rows(client.post(f"{LINES}?budget={published.pk}", {"format": "csv"}))
    assert len(rows) == 3  # the header row is the translated one once the .po has it


def test_a_budget_one_may_not_see_is_refused(client, imported, accounts, district):
    from tests.factories import DeputyFactory, RegionFactory, UserFactory

    # A draft budget: not for the deputies yet.
    client.force_login(accounts.deputy_a)
    response = client.post(f"{LINES}?budget={imported.pk}", {"format": "csv"})
    assert response.status_code == 400
    assert "No budget with this number that you may see." in response.content.decode()
    for bad in ("", "abc", "999999"):
        client.force_login(accounts.county_committee)
        assert client.post(f"{LINES}?budget={bad}", {"format": "csv"}).status_code == 400
    elsewhere = RegionFactory(code="330108000000", name="滨江区", parent=district.city)
    other = UserFactory(
        username="deputy_other", role="deputy", deputy=DeputyFactory(name="赵六", region=elsewhere)
    )
    services.set_flags(imported, actor=accounts.county_committee, published=True, public=False)
    client.force_login(other)
    assert client.post(f"{LINES}?budget={imported.pk}", {"format": "csv"}).status_code == 400
    assert not AuditEvent.objects.filter(verb="export.made").exists()
    client.logout()
    assert client.post(f"{LINES}?budget={imported.pk}", {"format": "csv"}).status_code == 302


def test_the_questions_with_replies(client, published, accounts, district):
    question = services.ask(
        published,
        actor=accounts.deputy_a,
        department_id=district.department_a.pk,
        line_id=None,
        kind="question",
        text="城市建设支出执行为何偏慢？",
    )
    services.reply(question, actor=accounts.county_committee, text="项目招标推迟，三季度加快。")
    client.force_login(accounts.county_committee)
    (row,) = csv_rows(client.post(f"{QUESTIONS}?budget={published.pk}", {"format": "csv"}))
    assert row["Question or opinion"] == "城市建设支出执行为何偏慢？"
    assert row["Reply"] == "项目招标推迟，三季度加快。"
    assert row["Deputy"] == district.dep_a.name and row["Kind"] == "Question"


def test_the_detail_page_offers_the_exports_to_readers_only(client, published, accounts):
    client.force_login(accounts.deputy_a)
    page = client.get(reverse("budget:detail", args=[published.pk])).content.decode()
    assert f"{LINES}?budget={published.pk}" in page and QUESTIONS in page
    services.set_flags(published, actor=accounts.county_committee, published=True, public=True)
    client.logout()
    page = client.get(reverse("budget:detail", args=[published.pk])).content.decode()
    assert LINES not in page

"""The three lists' exports (liaison/suggestions/exports.py over core/exports.py): the official
columns, the screen's filters, real dates, scope, the audit row, CSV with a BOM, large lists in
the worker; the xlsx re-opened with openpyxl and LibreOffice."""

import csv
import io
import subprocess
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from liaison.core.models import AuditEvent, ExportJob

from ..tools import require_tool

pytestmark = pytest.mark.django_db

SUGGESTIONS = "/staff/exports/suggestions/"
ASSIGNMENTS = "/staff/exports/suggestion-assignments/"
OUTCOMES = "/staff/exports/suggestion-outcomes/"


def content(response) -> bytes:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(content(response))).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def xlsx(client, url, query=""):
    return rows(client.post(f"{url}?{query}", {"format": "xlsx"}))


@pytest.fixture
def three(at_step, draft, people, make_case):
    closed = at_step("closed", cases=[make_case()])
    assigned = at_step("assigned", title="关于增设路灯的建议")
    submitted = at_step("submitted", title="关于菜市场秩序的建议")
    return closed, assigned, submitted


def test_suggestion_list_export(client, people, three):
    closed, assigned, _submitted = three
    client.force_login(people.county_committee)
    table = xlsx(client, SUGGESTIONS)
    assert table[0][:3] == ["编号", "标题", "领衔代表"] and len(table[0]) == 11
    assert len(table) == 4
    by_title = {r[1]: r for r in table[1:]}
    assert by_title[closed.title][0] == "2026-0001"
    assert by_title[closed.title][3] == 0  # co-signers, a number
    assert by_title[closed.title][8] == "是"  # from station work, in words
    assert isinstance(by_title[closed.title][10], datetime | date)
    # The filter of the screen is the filter of the file.
    assert [r[1] for r in xlsx(client, SUGGESTIONS, "q=路灯")[1:]] == [assigned.title]
    assert [r[1] for r in xlsx(client, SUGGESTIONS, "from_station=yes")[1:]] == [closed.title]


def test_english_headers_follow_the_language(client, people, three):
    client.cookies["django_language"] = "en"
    client.force_login(people.county_committee)
    table = xlsx(client, SUGGESTIONS)
    assert table[0][:3] == ["Number", "Title", "Lead deputy"]
    assert {r[9] for r in table[1:]} <= {"Yes", "No"}


def test_assignment_list_export_with_real_dates(client, people, three):
    client.force_login(people.lead_handler)  # a unit exports its own assignments
    table = xlsx(client, ASSIGNMENTS)
    assert len(table) == 3
    for row in table[1:]:
        assert isinstance(row[4], datetime) and isinstance(row[5], datetime)
        assert row[2] == "区住房和城乡建设局"


def test_outcome_list_export(client, people, three):
    closed = three[0]
    client.force_login(people.county_committee)
    table = xlsx(client, OUTCOMES)
    assert len(table) == 2
    assert table[1][0] == closed.number and table[1][4] == "B" and table[1][7] == "新增车位200个"
    assert table[1][3] == "区住房和城乡建设局"


def test_csv_with_a_bom(client, people, three):
    client.cookies["django_language"] = "en"
    client.force_login(people.county_committee)
    data = content(client.post(f"{ASSIGNMENTS}?sort=unit", {"format": "csv"}))
    assert data.startswith(b"\xef\xbb\xbf")
    header, *body = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == [
        "Number",
        "Suggestion",
        "Unit",
        "Role",
        "Assigned on",
        "Due",
        "State",
        "Overdue",
    ]
    assert len(body) == 6  # two suggestions × three units
    assert all(len(row[4]) == 10 and row[4].startswith("20") for row in body)  # ISO dates


def test_scope_audit_and_bad_filters(client, people, three, district):
    client.cookies["django_language"] = "en"
    client.force_login(people.other_handler)  # a unit sees its own assignments only
    units = {row[2] for row in xlsx(client, ASSIGNMENTS)[1:]}
    assert units == {district.department_b.name}
    client.force_login(people.deputy_b)  # leads none of them
    assert len(xlsx(client, SUGGESTIONS)) == 1
    client.force_login(people.county_committee)
    xlsx(client, SUGGESTIONS, f"status=assigned&category={district.category.pk}")
    event = AuditEvent.objects.filter(verb="export.made").latest("id")
    assert event.actor == people.county_committee
    assert event.data == {
        "list": "suggestions",
        "format": "xlsx",
        "filters": {"status": "assigned", "category": str(district.category.pk)},
        "rows": 1,
    }
    made = AuditEvent.objects.filter(verb="export.made").count()
    for url, query in [
        (SUGGESTIONS, "status=bogus"),
        (ASSIGNMENTS, "department=999999"),
        (OUTCOMES, "grade=Z"),
        (SUGGESTIONS, "year=1999"),
    ]:
        refused = client.post(f"{url}?{query}", {"format": "xlsx"})
        assert refused.status_code == 400, (url, query)
        assert "Select a valid choice" in refused.content.decode()
    assert AuditEvent.objects.filter(verb="export.made").count() == made
    client.logout()
    assert client.post(SUGGESTIONS, {"format": "csv"}).status_code == 302  # to sign in


def test_large_lists_are_written_by_the_worker(client, people, three, settings):
    settings.EXPORT_DIRECT_MAX_ROWS = 2
    client.force_login(people.county_committee)
    response = client.post(OUTCOMES, {"format": "xlsx"})  # one row: at once
    assert response.status_code == 200 and not ExportJob.objects.exists()
    response = client.post(f"{ASSIGNMENTS}?sort=unit", {"format": "xlsx"})  # six rows
    job = ExportJob.objects.get()
    assert response.status_code == 302 and (job.kind, job.total) == ("suggestion-assignments", 6)
    call_command("worker", "--once")
    job.refresh_from_db()
    assert (job.state, job.done) == ("done", 6)
    table = rows(client.get(f"/staff/exports/{job.pk}/download/"))
    assert len(table[0]) == 8  # the columns of the 交办清单
    assert len(table) == 7


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("suggestions:list", "suggestions"),
        ("suggestions:assignments", "suggestion-assignments"),
        ("suggestions:outcomes", "suggestion-outcomes"),
    ],
)
def test_each_list_offers_its_export_with_its_filters(client, people, three, name, kind):
    client.force_login(people.county_committee)
    page = client.get(reverse(name), {"year": 2026, "page": 1}).content.decode()
    assert f'action="/staff/exports/{kind}/?year=2026"' in page
    assert 'value="csv"' in page and 'value="xlsx"' in page


def test_libreoffice_reads_the_file(client, people, three, tmp_path):
    office = require_tool("libreoffice")
    client.force_login(people.county_committee)
    response = client.post(ASSIGNMENTS, {"format": "xlsx"})
    (tmp_path / "list.xlsx").write_bytes(content(response))
    result = subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "list.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "list.csv").read_text(encoding="utf-8", errors="replace")
    assert "2026-0001" in text and "2026-0002" in text
    assert len(text.strip().splitlines()) == 7  # the header and two suggestions × three units

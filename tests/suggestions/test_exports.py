"""The three lists export the filtered rows as .xlsx; re-opened with openpyxl (and LibreOffice)."""

import io
import subprocess
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ..tools import require_tool

pytestmark = pytest.mark.django_db


def rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@pytest.fixture
def three(at_step, draft, people, make_case):
    closed = at_step("closed", cases=[make_case()])
    assigned = at_step("assigned", title="关于增设路灯的建议")
    submitted = at_step("submitted", title="关于菜市场秩序的建议")
    return closed, assigned, submitted


def test_suggestion_list_export(client, people, three):
    closed, assigned, _submitted = three
    client.force_login(people.county_committee)
    table = rows(client.get(reverse("suggestions:list"), {"export": "xlsx"}))
    assert table[0][:3] == ["编号", "标题", "领衔代表"] or len(table[0]) == 11
    assert len(table) == 4
    by_title = {r[1]: r for r in table[1:]}
    assert by_title[closed.title][0] == "2026-0001"
    assert isinstance(by_title[closed.title][10], datetime | date)
    # The filter of the screen is the filter of the file.
    table = rows(client.get(reverse("suggestions:list"), {"export": "xlsx", "q": "路灯"}))
    assert [r[1] for r in table[1:]] == [assigned.title]
    table = rows(client.get(reverse("suggestions:list"), {"export": "xlsx", "from_station": "yes"}))
    assert [r[1] for r in table[1:]] == [closed.title]


def test_english_headers_follow_the_language(client, people, three):
    client.cookies["django_language"] = "en"
    client.force_login(people.county_committee)
    table = rows(client.get(reverse("suggestions:list"), {"export": "xlsx"}))
    assert table[0][:3] == ["Number", "Title", "Lead deputy"]


def test_assignment_list_export_with_real_dates(client, people, three):
    client.force_login(people.lead_handler)  # a unit exports its own assignments
    table = rows(client.get(reverse("suggestions:assignments"), {"export": "xlsx"}))
    assert len(table) == 3
    for row in table[1:]:
        assert isinstance(row[4], datetime) and isinstance(row[5], datetime)
        assert row[2] == "区住房和城乡建设局"


def test_outcome_list_export(client, people, three):
    closed = three[0]
    client.force_login(people.county_committee)
    table = rows(client.get(reverse("suggestions:outcomes"), {"export": "xlsx"}))
    assert len(table) == 2
    assert table[1][0] == closed.number and table[1][4] == "B" and table[1][7] == "新增车位200个"
    assert table[1][3] == "区住房和城乡建设局"


def test_libreoffice_reads_the_file(client, people, three, tmp_path):
    office = require_tool("libreoffice")
    client.force_login(people.county_committee)
    response = client.get(reverse("suggestions:assignments"), {"export": "xlsx"})
    (tmp_path / "list.xlsx").write_bytes(response.content)
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


def test_an_export_larger_than_the_cap_is_refused_not_cut(client, people, three, monkeypatch):
    from liaison.suggestions import exports

    monkeypatch.setattr(exports, "MAX_ROWS", 2)
    client.cookies["django_language"] = "en"
    client.force_login(people.county_committee)
    refused = client.get(reverse("suggestions:list"), {"export": "xlsx"})
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("text/html")
    assert "more than 2 rows" in refused.content.decode()
    assert "Narrow the filter" in refused.content.decode()
    # The page still lists the rows, so the filter can be narrowed right there.
    assert refused.context["page_obj"].paginator.count == 3
    # Narrowed to what fits, the file comes.
    table = rows(client.get(reverse("suggestions:list"), {"export": "xlsx", "q": "路灯"}))
    assert len(table) == 2
    # Exactly the cap is still one file.
    monkeypatch.setattr(exports, "MAX_ROWS", 3)
    assert len(rows(client.get(reverse("suggestions:list"), {"export": "xlsx"}))) == 4


def test_the_cap_holds_for_the_assignment_and_outcome_lists(client, people, three, monkeypatch):
    from liaison.suggestions import exports

    monkeypatch.setattr(exports, "MAX_ROWS", 0)
    client.force_login(people.county_committee)
    for name in ("suggestions:assignments", "suggestions:outcomes"):
        refused = client.get(reverse(name), {"export": "xlsx"})
        assert refused.status_code == 400
        assert refused["Content-Type"].startswith("text/html")

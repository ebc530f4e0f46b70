"""网格导入 — grid cells from .xlsx / .csv: row-precise problems, all or nothing, the deputies of
each cell, the covering station found from the region; the admin page and the command."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from liaison.core.models import AuditEvent
from liaison.directory.importing import template_workbook
from liaison.directory.models import GridCell
from tests.directory.importfiles import csv_bytes, problems, run, xlsx

HEADER = ["区划代码", "网格编码", "网格名称", "边界描述", "网格员姓名", "网格员电话", "联系代表"]


def test_xlsx_creates_cells_with_deputies_and_the_covering_station(district):
    d = district
    rows = [
        ["西湖区网格表"],  # a title row above the header
        HEADER,
        [
            d.community_a1.code,
            "G-BC-1",
            "保俶第1网格",
            "保俶路以东",
            "周网格",
            "0571-88880001",
            f"{d.dep_a.code}、{d.dep_shared.code}",
        ],
        ["西溪街道", "G-XX-1", "西溪第1网格", "", "", "", ""],
    ]

    report = run("gridcell", xlsx(rows), "网格.xlsx", dry_run=False)

    assert report.ok, report.problems
    assert (report.created, report.updated) == (2, 0)
    one = GridCell.objects.get(code="G-BC-1")
    # No station in the community: the street's station above it covers the cell.
    assert one.region == d.community_a1 and one.station == d.room_a1
    assert set(one.deputies.all()) == {d.dep_a, d.dep_shared}
    assert one.worker_phone == "0571-88880001"
    two = GridCell.objects.get(code="G-XX-1")
    assert two.region == d.street_b and two.station == d.station_b  # the region named by name
    assert AuditEvent.objects.filter(verb="gridcell.created").count() == 2
    assert AuditEvent.objects.filter(verb="gridcell.deputies_changed").count() == 1
    assert AuditEvent.objects.get(verb="directory.imported").data["kind"] == "gridcell"


def test_reimport_updates_and_replaces_the_deputies(district):
    d = district
    first = [HEADER, [d.street_a.code, "G1", "一网格", "", "", "", d.dep_a.code]]
    assert run("gridcell", csv_bytes(first), "g.csv", dry_run=False).ok
    second = [HEADER, [d.street_a.code, "G1", "一网格（新）", "", "", "", d.dep_shared.code]]

    report = run("gridcell", csv_bytes(second), "g.csv", dry_run=False)

    assert report.ok and (report.created, report.updated) == (0, 1)
    cell = GridCell.objects.get(code="G1")
    assert cell.name == "一网格（新）" and list(cell.deputies.all()) == [d.dep_shared]
    event = AuditEvent.objects.filter(verb="gridcell.deputies_changed").order_by("id").last()
    assert event.data["added"] == [d.dep_shared.pk] and event.data["removed"] == [d.dep_a.pk]


def test_bad_rows_are_reported_per_cell_and_nothing_is_written(district):
    d = district
    rows = [
        [*HEADER, "所属联络站"],
        ["999", "G1", "一网格", "", "", "", "", ""],
        [d.street_a.code, "G2", "", "", "", "12", "NOPE", ""],
        [d.street_a.code, "G3", "三网格", "", "", "", "", d.station_b.code],
        [d.street_a.code, "G3", "三网格", "", "", "", "", "X-404"],
        [d.street_a.code, "G 4", "四网格", "", "", "", "", ""],
    ]

    report = run("gridcell", xlsx(rows), "网格.xlsx", dry_run=False)

    assert problems(report) == [
        (2, "区划代码"),
        (3, "网格名称"),
        (3, "网格员电话"),
        (3, "联系代表"),
        (4, "网格编码"),
        (4, "所属联络站"),
        (5, "网格编码"),
        (5, "所属联络站"),
        (6, "网格编码"),
    ]
    messages = " ".join(p.message for p in report.problems)
    assert "Unknown region code “999”" in messages
    assert "Unknown deputy codes: NOPE" in messages
    assert "cannot cover a cell in 北山街道" in messages
    assert "Unknown station code “X-404”" in messages
    assert not GridCell.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="gridcell").exists()


def test_a_region_without_one_covering_station_asks_for_the_station(district):
    from tests.factories import StationFactory

    StationFactory(code="A-2", region=district.street_a)  # now two stations in street A
    rows = [HEADER, [district.street_a.code, "G1", "一网格", "", "", "", ""]]

    report = run("gridcell", csv_bytes(rows), "g.csv", dry_run=False)

    assert problems(report) == [(2, "所属联络站")]
    assert "Several stations could cover this cell" in report.problems[0].message


def test_a_name_shared_by_two_regions_needs_the_code(district):
    from tests.factories import RegionFactory

    RegionFactory(code="330106003000", name="北山街道", parent=district.county)
    rows = [HEADER, ["北山街道", "G1", "一网格", "", "", "", ""]]

    report = run("gridcell", csv_bytes(rows), "g.csv", dry_run=False)

    assert problems(report) == [(2, "区划代码")]
    assert "Several regions are called “北山街道”" in report.problems[0].message


def test_a_file_that_is_not_a_spreadsheet_is_refused_by_content(district):
    report = run("gridcell", b"\x89PNG\r\n\x1a\n fake", "网格.xlsx", dry_run=False)

    assert not report.ok
    assert (
        report.problems[0].message == "The file is not an .xlsx workbook, whatever its name says."
    )
    assert not GridCell.objects.exists()


def test_template_has_the_grid_columns():
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook("gridcell"))).active
    headers = [c.value for c in sheet[1]]
    assert {
        "区划代码",
        "网格名称",
        "网格编码",
        "边界描述",
        "网格员姓名",
        "网格员电话",
        "联系代表",
    } <= set(headers)


def test_the_command_imports_and_refuses_bad_files(district, tmp_path, capsys):
    good = tmp_path / "网格.csv"
    good.write_bytes(csv_bytes([HEADER, [district.street_b.code, "G9", "九网格", "", "", "", ""]]))
    bad = tmp_path / "坏.csv"
    bad.write_bytes(csv_bytes([HEADER, ["999", "G8", "八网格", "", "", "", ""]]))

    call_command("import_directory", "gridcell", str(good))
    assert GridCell.objects.get(code="G9").station == district.station_b
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_directory", "gridcell", str(bad))
    assert "row 2, 区划代码: Unknown region code “999”" in capsys.readouterr().err
    assert not GridCell.objects.filter(code="G8").exists()


def test_admin_page_checks_then_imports_and_only_for_administrators(client, accounts, district):
    url = reverse("directory-import")
    data = csv_bytes([HEADER, [district.street_b.code, "G7", "七网格", "", "", "", ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(accounts.county_committee)
    assert client.get(url + "?template=gridcell").status_code == 403

    client.force_login(accounts.administrator)
    template = client.get(url + "?template=gridcell")
    assert template.status_code == 200 and template["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    checked = client.post(url, {"kind": "gridcell", "file": SimpleUploadedFile("网格.csv", data)})
    assert checked.status_code == 200 and not GridCell.objects.exists()
    token = checked.context["token"]
    done = client.post(url, {"confirm": "1", "token": token})
    assert done.status_code == 302
    assert GridCell.objects.get(code="G7").station == district.station_b

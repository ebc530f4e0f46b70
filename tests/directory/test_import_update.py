"""Re-importing a corrected roster updates rows by code, and every change is audited."""

from liaison.core.models import AuditEvent
from liaison.directory.models import Deputy, Station

from .importfiles import DEPUTY_HEADER, STATION_HEADER, run, xlsx


def test_an_existing_code_updates_that_row(district):
    station = district.station_a
    public_code = station.public_code
    rows = [
        STATION_HEADER,
        [station.code, "北山街道联络站（新址）", "联络站", "330106001000", "新址路8号", "", "", ""],
        ["NEW-1", "新站", "联络室", "330106001001", "", "", "", ""],
    ]

    report = run("station", xlsx(rows), "stations.xlsx", dry_run=False)

    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    station.refresh_from_db()
    assert (station.name, station.address, station.phone) == (
        "北山街道联络站（新址）",
        "新址路8号",
        "",
    )
    assert station.public_code == public_code  # printed QR codes keep working
    assert Station.objects.filter(code=station.code).count() == 1
    event = AuditEvent.objects.get(verb="station.updated", object_id=str(station.pk))
    assert event.data["fields"] == ["address", "name", "phone"]
    assert AuditEvent.objects.filter(verb="station.created").count() == 1
    summary = AuditEvent.objects.get(verb="directory.imported")
    assert summary.data == {
        "kind": "station",
        "filename": "stations.xlsx",
        "created": 1,
        "updated": 1,
        "unchanged": 0,
    }


def test_the_same_file_twice_changes_nothing_the_second_time(district):
    rows = [
        DEPUTY_HEADER,
        [
            "D-9",
            "吴九",
            "县(区)",
            "第十七届",
            "330106001000",
            "13812345678",
            district.station_a.code,
        ],
    ]
    run("deputy", xlsx(rows), "deputies.xlsx", dry_run=False)
    events = AuditEvent.objects.count()

    again = run("deputy", xlsx(rows), "deputies.xlsx", dry_run=False)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert AuditEvent.objects.count() == events + 1  # only the import itself


def test_columns_not_in_the_file_are_left_alone_and_stations_are_replaced(district):
    deputy = district.dep_shared  # sits in station_a and station_b, constituency 第一选区
    rows = [
        ["代表编号", "姓名", "层级", "届次", "所属区划代码", "所在联络站"],
        [deputy.code, deputy.name, "县", "第十七届", deputy.region.code, district.station_b.code],
    ]

    report = run("deputy", xlsx(rows), "deputies.xlsx", dry_run=False)

    assert report.updated == 1
    deputy = Deputy.objects.get(pk=deputy.pk)
    assert deputy.constituency == "第一选区"
    assert list(deputy.stations.all()) == [district.station_b]
    event = AuditEvent.objects.get(verb="deputy.stations_changed")
    assert event.data == {"added": [], "removed": [district.station_a.pk]}

"""The station's iCalendar feed (RFC 5545): announced upcoming activities only, well formed."""

import re

from django.urls import reverse

from liaison.activities import services
from liaison.activities.ics import fold


def _unfold(text):
    return text.replace("\r\n ", "")


def test_feed_structure_escaping_and_folding(client, district, accounts, make_activity):
    long_title = "约您共话：" + "老旧小区加装电梯、停车难；" * 8
    shown = make_activity(title=long_title, place="北山街道联络站, 二楼; 会议室")
    make_activity(title="草稿活动", announce=False)
    cancelled = make_activity(title="已取消的活动")
    services.cancel_activity(cancelled, actor=accounts.station_a_staff)
    make_activity(title="西溪的活动", station=district.station_b)

    response = client.get(
        reverse("activities_public:station-ics", args=[district.station_a.public_code])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content.decode()
    assert raw.startswith("BEGIN:VCALENDAR\r\n") and raw.endswith("END:VCALENDAR\r\n")
    assert "\n" not in raw.replace("\r\n", "")  # every line ends with CRLF
    for line in raw.split("\r\n"):
        assert len(line.encode()) <= 75
    assert "\r\n " in raw  # the long summary was folded

    lines = _unfold(raw).split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1 == lines.count("END:VEVENT")
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert f"UID:activity-{shown.public_code}@testserver" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)
    assert any(re.fullmatch(r"DTSTART:\d{8}T\d{6}Z", line) for line in lines)
    assert any(re.fullmatch(r"DTEND:\d{8}T\d{6}Z", line) for line in lines)
    assert "LOCATION:北山街道联络站\\, 二楼\\; 会议室" in lines
    summary = "SUMMARY:" + long_title.replace(",", "\\,").replace(";", "\\;")
    assert summary in lines
    assert "草稿活动" not in raw and "已取消的活动" not in raw and "西溪的活动" not in raw


def test_fold_never_splits_a_character():
    line = "SUMMARY:" + "议" * 60
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert len(parts) > 1 and "".join(parts) == line
    assert all(len(part.encode()) <= 75 for part in parts)


def test_unknown_station_is_404(client, db):
    assert client.get("/s/nosuchcode/activities.ics").status_code == 404

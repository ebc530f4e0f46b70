"""Public calendars per station and region (the region covers its subtree), the region's .ics
feed, and the printable monthly programme."""

from datetime import timedelta
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from liaison.activities import services
from tests.factories import StationFactory


def _unfold(text):
    return text.replace("\r\n ", "")


def _events(raw):
    """(SUMMARY of each VEVENT) from a parsed feed."""
    summaries, inside = [], False
    for line in _unfold(raw).split("\r\n"):
        if line == "BEGIN:VEVENT":
            inside = True
        elif line == "END:VEVENT":
            inside = False
        elif inside and line.startswith("SUMMARY:"):
            summaries.append(line.removeprefix("SUMMARY:"))
    return summaries


def _month(activity):
    return timezone.localtime(activity.starts_at).strftime("%Y-%m")


def _room_activity(district, accounts, make_activity, title="社区议事会"):
    # room_a1 sits in 保俶社区, below 北山街道 (street_a).
    return make_activity(title=title, station=district.room_a1)


def test_region_ics_covers_the_subtree_only(client, district, accounts, make_activity):
    make_activity(title="街道活动")
    _room_activity(district, accounts, make_activity)
    make_activity(title="西溪的活动", station=district.station_b)
    draft = make_activity(title="草稿活动", announce=False)
    assert draft.status == "draft"

    response = client.get(reverse("activities_public:region-ics", args=[district.street_a.code]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    raw = response.content.decode()
    assert raw.startswith("BEGIN:VCALENDAR\r\n") and raw.endswith("END:VCALENDAR\r\n")
    assert sorted(_events(raw)) == sorted(["街道活动", "社区议事会"])
    assert f"X-WR-CALNAME:{district.street_a.name}" in _unfold(raw)

    county = client.get(reverse("activities_public:region-ics", args=[district.county.code]))
    assert sorted(_events(county.content.decode())) == sorted(
        ["街道活动", "社区议事会", "西溪的活动"]
    )
    assert client.get("/regions/999999999999/activities.ics").status_code == 404


def test_region_calendar_month_grouped_by_day(client, district, accounts, make_activity):
    first = make_activity(title="街道活动")
    _room_activity(district, accounts, make_activity)
    make_activity(title="西溪的活动", station=district.station_b)
    cancelled = make_activity(title="取消的活动")
    services.cancel_activity(cancelled, actor=accounts.station_a_staff)
    url = reverse("activities_public:region-calendar", args=[district.street_a.code])

    response = client.get(url, {"month": _month(first)})
    assert response.status_code == 200
    titles = [a.title for _, items in response.context["days"] for a in items]
    assert sorted(titles) == sorted(["街道活动", "社区议事会", "取消的活动"])
    page = response.content.decode()
    assert 'id="previous-month"' in page and 'id="next-month"' in page
    assert "西溪的活动" not in page

    start = timezone.localtime(first.starts_at)
    following = (start.replace(day=1) + timedelta(days=32)).strftime("%Y-%m")
    assert response.context["following"] == following
    later = client.get(url, {"month": following})
    assert later.status_code == 200 and later.context["count"] == 0


def test_station_calendar_and_bad_month(client, district, make_activity):
    activity = make_activity(title="街道活动")
    make_activity(title="西溪的活动", station=district.station_b)
    url = reverse("activities_public:station-calendar", args=[district.station_a.public_code])
    response = client.get(url, {"month": _month(activity)})
    assert response.status_code == 200
    titles = [a.title for _, items in response.context["days"] for a in items]
    assert titles == ["街道活动"]
    assert client.get(url, {"month": "2026-13"}).status_code == 400
    assert client.get(url, {"month": "yesterday"}).status_code == 400
    assert client.get(url).status_code == 200  # this month by default


def test_inactive_station_not_in_region_calendar(client, district, accounts, make_activity):
    closed = StationFactory(name="停用的联络室", region=district.community_a1)
    activity = make_activity(title="停用站点的活动", station=closed)
    closed.is_active = False
    closed.save()
    url = reverse("activities_public:region-calendar", args=[district.street_a.code])
    response = client.get(url, {"month": _month(activity)})
    assert response.context["count"] == 0


def test_programme_pages(client, district, make_activity):
    activity = make_activity(title="政策宣讲进社区")
    make_activity(title="西溪的活动", station=district.station_b)
    month = _month(activity)
    station = client.get(
        reverse("activities_public:station-programme", args=[district.station_a.public_code]),
        {"month": month},
    )
    assert station.status_code == 200
    page = station.content.decode()
    # The A4 print style is a static file (the Content-Security-Policy allows no <style>).
    css = Path(finders.find("liaison/print-programme.css")).read_text()
    assert "/static/liaison/print-programme.css" in page and "@page" in css and "A4" in css
    assert 'id="programme"' in page
    assert "政策宣讲进社区" in page and "西溪的活动" not in page
    region = client.get(
        reverse("activities_public:region-programme", args=[district.county.code]),
        {"month": month},
    )
    assert region.status_code == 200
    assert "政策宣讲进社区" in region.content.decode() and "西溪的活动" in region.content.decode()
    bad = client.get(
        reverse("activities_public:region-programme", args=[district.county.code]),
        {"month": "2026-00"},
    )
    assert bad.status_code == 400


def test_pages_link_the_calendars(client, district):
    station_page = client.get(
        reverse("directory:station", args=[district.station_a.public_code])
    ).content.decode()
    assert (
        reverse("activities_public:station-calendar", args=[district.station_a.public_code])
        in station_page
    )
    listing = client.get(reverse("activities_public:public-list")).content.decode()
    assert reverse("activities_public:region-calendar", args=[district.county.code]) in listing

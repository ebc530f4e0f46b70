"""区级活动 — an activity the committee of a region holds without a station: a region instead,
planned by that committee only, with outside guests, on the public schedule, open to sign-ups."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from liaison.activities import selectors, services
from liaison.activities.models import Activity, ActivityKind, ActivityStatus, PendingSignUp
from liaison.core.errors import NotAllowed
from liaison.core.models import AuditEvent
from liaison.receptions.models import GuestKind

pytestmark = pytest.mark.django_db
EN = {"HTTP_COOKIE": "django_language=en"}


def _form(district, **over):
    start = timezone.localtime() + timedelta(days=5)
    data = {
        "station": "",
        "region": district.county.pk,
        "kind": ActivityKind.objects.get(code="policy-briefing").pk,
        "title": "区级代表集中视察：老旧小区改造",
        "description": "议程：一、视察；二、座谈",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "西湖区人大常委会三楼会议室",
        "capacity": "40",
        "deputies": [district.dep_a.pk, district.dep_b.pk],
    }
    data.update(over)
    return data


def _save(district, actor, **over) -> Activity:
    """A district activity of the county in four days, saved (a draft) by `actor`."""
    start = timezone.now() + timedelta(days=4)
    fields = {
        "station": None,
        "region": district.county,
        "kind": ActivityKind.objects.get(code="policy-briefing"),
        "title": "区级代表集中视察：老旧小区改造",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "place": "西湖区人大常委会三楼会议室",
        "deputies": [district.dep_a, district.dep_b],
    }
    fields.update(over)
    return services.save_activity(actor=actor, **fields)


@pytest.fixture
def district_activity(district, accounts):
    activity = _save(district, accounts.county_committee)
    return services.announce_activity(activity, actor=accounts.county_committee)


def test_the_county_committee_creates_one_without_a_station(client, district, accounts):
    client.force_login(accounts.county_committee)
    response = client.post(reverse("activities:staff-new"), _form(district))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.station is None and activity.region == district.county
    event = AuditEvent.objects.get(verb="activity.created", object_id=str(activity.pk))
    assert event.data["station"] is None and event.data["region"] == district.county.code
    detail = client.get(reverse("activities:staff-detail", args=[activity.pk]))
    assert detail.status_code == 200 and "西湖区" in detail.content.decode()
    listed = client.get(reverse("activities:staff-list")).content.decode()
    assert f'id="activity-{activity.pk}"' in listed


def test_station_staff_and_other_committees_are_refused(client, district, accounts):
    client.force_login(accounts.station_a_staff)
    response = client.post(reverse("activities:staff-new"), _form(district))
    assert response.status_code == 400  # the county is not a choice of theirs
    client.force_login(accounts.street_a_committee)
    assert client.post(reverse("activities:staff-new"), _form(district)).status_code == 400
    assert not Activity.objects.exists()
    for actor in (accounts.station_a_staff, accounts.street_a_committee, accounts.deputy_a):
        with pytest.raises(NotAllowed):
            _save(district, actor, deputies=[])
    assert not Activity.objects.exists()


def test_a_station_or_a_region_exactly_one(client, district, accounts):
    client.force_login(accounts.county_committee)
    client.cookies["django_language"] = "en"  # the session cookie stays
    neither = client.post(reverse("activities:staff-new"), _form(district, region=""))
    assert neither.status_code == 400
    assert "Choose the station, or the region" in neither.content.decode()
    both = client.post(
        reverse("activities:staff-new"), _form(district, station=district.station_a.pk)
    )
    assert both.status_code == 400 and "not both" in both.content.decode()
    assert not Activity.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(
            kind=ActivityKind.objects.get(code="policy-briefing"),
            title="x",
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
            place="x",
        )


def test_only_deputies_of_the_region_are_invited(district, accounts):
    from liaison.directory.models import Region, RegionLevel
    from tests.factories import DeputyFactory

    other = Region.objects.create(
        code="330105000000", name="拱墅区", level=RegionLevel.COUNTY, parent=district.city
    )
    stranger = DeputyFactory(name="周其他", region=other)
    with pytest.raises(ValidationError, match="周其他"), translation.override("en"):
        _save(district, accounts.county_committee, deputies=[district.dep_a, stranger])


def test_on_the_public_schedule_with_guests(client, district, accounts, district_activity):
    services.add_activity_guest(
        district_activity,
        actor=accounts.county_committee,
        kind=GuestKind.OFFICIAL,
        name="赵局长",
        organisation="区住房和城乡建设局",
        role="局长",
    )
    listing = client.get(reverse("activities_public:public-list"), **EN).content.decode()
    assert district_activity.title in listing and "西湖区" in listing
    month = timezone.localtime(district_activity.starts_at).strftime("%Y-%m")
    county = client.get(
        reverse("activities_public:region-calendar", args=[district.county.code]),
        {"month": month},
    ).content.decode()
    assert district_activity.title in county
    street = client.get(
        reverse("activities_public:region-calendar", args=[district.street_a.code]),
        {"month": month},
    ).content.decode()
    assert district_activity.title not in street  # the county's, not the street's
    station_cal = client.get(
        reverse("activities_public:station-calendar", args=[district.station_a.public_code]),
        {"month": month},
    ).content.decode()
    assert district_activity.title not in station_cal
    feed = client.get(reverse("activities_public:region-ics", args=[district.county.code]))
    assert district_activity.title in feed.content.decode()
    page = client.get(f"/a/{district_activity.public_code}/", **EN).content.decode()
    assert "赵局长" in page and "district activity, no station" in page
    api = client.get("/api/v1/activities/", {"region": district.county.code}).json()
    rows = api["results"] if isinstance(api, dict) else api
    row = next(r for r in rows if r["public_code"] == district_activity.public_code)
    assert row["station"] is None and row["station_name"] == "西湖区"


def test_citizens_sign_up(client, district_activity):
    response = client.post(
        f"/a/{district_activity.public_code}/",
        {"name": "陈阿姨", "phone": "13912345678", "privacy_accepted": "on"},
    )
    assert response.status_code == 302
    assert PendingSignUp.objects.filter(activity=district_activity).count() == 1


def test_a_draft_one_is_not_public(client, district, accounts):
    draft = _save(district, accounts.county_committee, title="尚未发布的区级活动", deputies=[])
    assert draft.status == ActivityStatus.DRAFT
    assert draft not in selectors.upcoming_public()
    assert client.get(f"/a/{draft.public_code}/").status_code == 404


def test_an_opinion_goes_to_a_station_of_the_region(district, accounts, district_activity):
    from liaison.directory.models import Category

    category = Category.objects.first() or district.category
    opinion = services.Opinion(
        citizen_name="陈阿姨",
        citizen_phone="13912345678",
        category=category,
        title="加装电梯",
        description="老旧小区加装电梯的补贴",
        deputy=district.dep_b,
    )
    Activity.objects.filter(pk=district_activity.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )
    district_activity.refresh_from_db()
    with pytest.raises(ValidationError, match="station"):
        services.register_opinion(
            district_activity,
            actor=accounts.county_committee,
            opinion=opinion,
            privacy_accepted=True,
        )
    link = services.register_opinion(
        district_activity,
        actor=accounts.county_committee,
        opinion=services.Opinion(**{**opinion.__dict__, "station": district.station_b}),
        privacy_accepted=True,
    )
    assert link.case.station == district.station_b and link.case.deputy == district.dep_b


def test_held_and_recorded_with_the_region_s_deputies(
    client, district, accounts, district_activity
):
    Activity.objects.filter(pk=district_activity.pk).update(
        starts_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(accounts.county_committee)
    for name in ("staff-detail", "staff-hold", "staff-checkin-sheet"):
        page = client.get(reverse(f"activities:{name}", args=[district_activity.pk]))
        assert page.status_code == 200, name
    detail = client.get(reverse("activities:staff-detail", args=[district_activity.pk]))
    assert 'name="station"' in detail.content.decode()  # the opinion form asks for one
    held = services.hold_activity(
        Activity.objects.get(pk=district_activity.pk),
        actor=accounts.county_committee,
        attended_deputies=[district.dep_b, district.dep_shared],  # dep_shared was not invited
        minutes="视察了三个小区。",
        outcomes="",
    )
    assert held.status == ActivityStatus.HELD
    assert set(held.attended_deputies.all()) == {district.dep_b, district.dep_shared}
    record = client.get(district.dep_b.get_absolute_url())
    assert record.status_code == 200
    # The station staff of the region do not manage it.
    client.force_login(accounts.station_a_staff)
    assert client.get(reverse("activities:staff-detail", args=[held.pk])).status_code == 404

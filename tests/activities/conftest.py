from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.activities import services
from liaison.activities.models import ActivityKind


@pytest.fixture
def make_activity(district, accounts):
    """An activity of station_a (by its staff), announced unless told otherwise."""

    def make(*, announce=True, capacity=None, title="民情恳谈会", station=None, days=3, **extra):
        start = timezone.now() + timedelta(days=days)
        # get_or_create: transactional tests flush the kinds the data migration seeded.
        kind, _ = ActivityKind.objects.get_or_create(
            code="public-forum", defaults={"name": "民情恳谈会", "name_en": "Public opinion forum"}
        )
        activity = services.save_activity(
            actor=accounts.station_a_staff if station is None else accounts.administrator,
            station=station or district.station_a,
            kind=kind,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place=extra.pop("place", "联络站二楼会议室"),
            capacity=capacity,
            deputies=extra.pop("deputies", [district.dep_a] if station is None else []),
            **extra,
        )
        if announce:
            activity = services.announce_activity(activity, actor=accounts.administrator)
        return activity

    return make

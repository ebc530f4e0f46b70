"""The public deputy page shows the public part of the record: this year's counts, 三个一 progress
and the cases citizens agreed to show — title and status only, never a name or a phone."""

import pytest
from django.urls import reverse

from liaison.cases import services
from liaison.cases.models import Channel
from liaison.records.three import today

from .conftest import local

pytestmark = pytest.mark.django_db


def staff_case(accounts, district, **fields):
    data = {
        "channel": Channel.PHONE,
        "station": district.station_a,
        "deputy": district.dep_a,
        "category": district.category,
        "title": "路灯不亮",
        "description": "保俶路12号门口的路灯坏了一个月，住在3楼的陈女士说。",
        "citizen_phone": "13955556666",
        "citizen_name": "陈女士",
        "privacy_accepted": True,
        "actor": accounts.station_a_staff,
    }
    data.update(fields)
    return services.submit_case(**data)


def test_public_part_of_the_record(client, accounts, district, doings):
    shown = staff_case(accounts, district, title="公开的路灯问题", public_consent=True)
    services.accept_case(shown, actor=accounts.station_a_staff)
    hidden = staff_case(accounts, district, title="不公开的问题", public_consent=False)
    services.accept_case(hidden, actor=accounts.station_a_staff)
    unreviewed = staff_case(accounts, district, title="未审核的问题", public_consent=True)
    doings.visit(district.dep_a, today())
    doings.activity(local(today().year, 1, 2, 9), attended=[district.dep_a])
    client.cookies["django_language"] = "en"
    response = client.get(reverse("directory:deputy", args=[district.dep_a.public_code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="public-record"' in page
    assert 'data-figure="people_received">1<' in page
    assert 'data-figure="activities">1<' in page
    assert "公开的路灯问题" in page
    assert "不公开的问题" not in page and unreviewed.title not in page
    for private in ("陈女士", "13955556666", "139****6666", "赵大爷", "保俶路12号"):
        assert private not in page


def test_the_record_is_cached_for_a_while_per_language(client, accounts, district, settings):
    """The QR code opens this page (issue 17): the year's counts are built once per
    LIAISON_DEPUTY_RECORD_CACHE_SECONDS and language, not for every visitor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("directory:deputy", args=[district.dep_a.public_code])
    client.cookies["django_language"] = "en"
    with CaptureQueriesContext(connection) as first:
        assert "Performance in" in client.get(url).content.decode()
    shown = staff_case(accounts, district, title="缓存之后的问题", public_consent=True)
    services.accept_case(shown, actor=accounts.station_a_staff)
    with CaptureQueriesContext(connection) as second:
        page = client.get(url).content.decode()
    assert "Performance in" in page and "缓存之后的问题" not in page  # the cached fragment
    assert len(second) <= len(first) - 5
    client.cookies["django_language"] = "zh-hans"
    assert "缓存之后的问题" in client.get(url).content.decode()  # its own fragment, built now
    settings.LIAISON_DEPUTY_RECORD_CACHE_SECONDS = 0
    client.cookies["django_language"] = "en"
    assert "缓存之后的问题" in client.get(url).content.decode()

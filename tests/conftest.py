"""Shared fixtures: a small district and one account per role (docs/design.md, rule 8)."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import translation

from liaison.accounts.models import Role
from liaison.directory.models import RegionLevel, StationKind

from .factories import (
    CategoryFactory,
    DepartmentFactory,
    DeputyFactory,
    RegionFactory,
    StationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    cache.clear()
    # A request in English leaves English active in the thread; the next test starts in Chinese.
    translation.activate(settings.LANGUAGE_CODE)
    # Hashing a password properly takes ~0.1 s; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"  # the worker's tests run core.audit_heads too
    settings.SITE_URL = "http://testserver"
    # Most tests sign administrators in with force_login, which gives no second factor;
    # tests/accounts/test_two_factor.py turns the requirement on.
    settings.LIAISON_TWO_FACTOR_ADMINISTRATORS = False
    # Tests write the directory and the reception days straight to the database, which the
    # public pages' cache does not see; tests/directory/test_public_page_cache.py turns it on.
    settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS = 0
    # One process (the live server is a thread of it): its cache is seen by everything it runs.
    settings.LIAISON_SHARED_CACHE = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def district(db):
    """One district with two streets; each street has a station and deputies.

    Street A: station_a (with room_a1 in community_a1), deputies dep_a (sits in station_a) and
    dep_shared (sits in station_a and station_b). Street B: station_b, deputy dep_b.
    """
    province = RegionFactory(code="330000000000", name="浙江省", level=RegionLevel.PROVINCE)
    city = RegionFactory(
        code="330100000000", name="杭州市", level=RegionLevel.CITY, parent=province
    )
    county = RegionFactory(
        code="330106000000", name="西湖区", level=RegionLevel.COUNTY, parent=city
    )
    street_a = RegionFactory(code="330106001000", name="北山街道", parent=county)
    street_b = RegionFactory(code="330106002000", name="西溪街道", parent=county)
    community_a1 = RegionFactory(
        code="330106001001", name="保俶社区", level=RegionLevel.COMMUNITY, parent=street_a
    )
    station_a = StationFactory(name="北山街道人大代表联络站", region=street_a)
    room_a1 = StationFactory(name="保俶社区代表联络室", kind=StationKind.ROOM, region=community_a1)
    station_b = StationFactory(name="西溪街道人大代表联络站", region=street_b)
    dep_a = DeputyFactory(name="张明华", region=street_a, stations=[station_a])
    dep_shared = DeputyFactory(name="李秀英", region=county, stations=[station_a, station_b])
    dep_b = DeputyFactory(name="王建国", region=street_b, stations=[station_b])
    department_county = DepartmentFactory(name="区住房和城乡建设局", region=county)
    department_a = DepartmentFactory(name="北山街道城市管理科", region=street_a)
    department_b = DepartmentFactory(name="西溪街道城市管理科", region=street_b)
    category = CategoryFactory(code="roads", name="道路交通", name_en="Roads and traffic")
    return SimpleNamespace(**locals())


@pytest.fixture
def accounts(district):
    """One account per role, scoped inside `district`."""
    d = district
    return SimpleNamespace(
        administrator=UserFactory(username="admin", role=Role.ADMINISTRATOR, is_superuser=True),
        county_committee=UserFactory(username="county", role=Role.COMMITTEE_STAFF, region=d.county),
        street_a_committee=UserFactory(
            username="street_a", role=Role.COMMITTEE_STAFF, region=d.street_a
        ),
        station_a_staff=UserFactory(
            username="station_a", role=Role.STATION_STAFF, station=d.station_a
        ),
        station_b_staff=UserFactory(
            username="station_b", role=Role.STATION_STAFF, station=d.station_b
        ),
        deputy_a=UserFactory(username="deputy_a", role=Role.DEPUTY, deputy=d.dep_a),
        handler_a=UserFactory(
            username="handler_a", role=Role.DEPARTMENT_HANDLER, department=d.department_a
        ),
    )

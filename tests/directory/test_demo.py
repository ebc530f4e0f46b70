"""`liaison load_demo`: a complete, realistic district, loaded once, refused on production."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest
from PIL import Image

from liaison.accounts import demo as account_demo
from liaison.accounts.models import Role, User
from liaison.core.models import AuditEvent
from liaison.directory.models import (
    Category,
    Department,
    Deputy,
    DeputyLevel,
    Region,
    Station,
    StationKind,
)
from liaison.receptions.models import Duty


@pytest.fixture
def loaded(db, settings):
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Region, Station, Deputy, Department, Category, User, AuditEvent)
    }


def test_the_demo_district_is_complete(loaded):
    stations = Station.objects.all()
    assert stations.count() >= 8
    assert set(stations.values_list("kind", flat=True)) == set(StationKind.values)
    deputies = Deputy.objects.all()
    assert deputies.count() == 40
    assert set(deputies.values_list("level", flat=True)) == set(DeputyLevel.values)
    assert Department.objects.count() == 15
    assert Category.objects.count() >= 10
    assert {"roads", "parking", "street-lights", "property", "gas", "water"} <= set(
        Category.objects.values_list("code", flat=True)
    )
    for deputy in deputies:
        assert 1 <= deputy.stations.count() <= 2, deputy
        assert 1 <= len(deputy.contact_block_list) <= 3, deputy


def test_regions_are_a_tree_of_real_format_division_codes(loaded):
    for region in Region.objects.all():
        assert len(region.code) == 12 and region.code.isdigit()
        if region.parent:
            assert region.path == f"{region.parent.path}{region.code}/"


def test_every_deputy_has_a_real_jpeg_portrait(loaded):
    for deputy in Deputy.objects.all():
        with deputy.photo.open("rb") as photo, Image.open(photo) as image:
            assert image.format == "JPEG"
            assert image.width < image.height  # portrait


def test_one_account_per_role_that_can_log_in(loaded, client):
    users = User.objects.filter(username__in=[row[0] for row in account_demo.ACCOUNTS])
    assert set(users.values_list("role", flat=True)) == set(Role.values)
    for user in users:
        assert user.is_staff
        assert user.is_superuser == (user.role == Role.ADMINISTRATOR)
        assert user.scope_label or user.role == Role.ADMINISTRATOR
        assert client.login(
            request=HttpRequest(), username=user.username, password=account_demo.PASSWORD
        ), user
        client.logout()
    assert User.objects.get(username="committee").region.code == "420190000000"


def test_the_output_lists_the_demo_logins(loaded):
    for username, *_ in account_demo.ACCOUNTS:
        assert f"  {username} " in loaded
    assert account_demo.PASSWORD in loaded
    assert "http://testserver/accounts/login/" in loaded


def test_every_demo_page_opens(loaded, client):
    for station in Station.objects.all():
        assert client.get(f"/s/{station.public_code}/").status_code == 200, station
    for deputy in Deputy.objects.all():
        assert client.get(f"/d/{deputy.public_code}/").status_code == 200, deputy


def test_a_second_run_creates_nothing(loaded):
    before = _counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert _counts() == before
    assert "nothing new" in out.getvalue()
    assert AuditEvent.objects.filter(verb="demo.loaded").count() == 1


def test_a_partly_loaded_database_is_completed(loaded):
    deputy = Deputy.objects.get(code="JB-Q03")
    # The demo puts every deputy on duty (receptions); a duty keeps its deputy (PROTECT).
    Duty.objects.filter(deputy__code="JB-X14").delete()
    Deputy.objects.filter(code="JB-X14").delete()
    Deputy.objects.filter(pk=deputy.pk).update(photo="")
    call_command("load_demo", stdout=io.StringIO())
    assert Deputy.objects.count() == 40
    assert Deputy.objects.get(code="JB-Q03").photo


def test_production_is_refused_without_force(db, settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="Refusing to load demo data"):
        call_command("load_demo", stdout=io.StringIO())
    assert _counts() == dict.fromkeys(_counts(), 0)

    call_command("load_demo", "--force", stdout=io.StringIO())
    assert Deputy.objects.count() == 40


def test_street_and_town_stations_show_their_head_and_liaison_officer(loaded, client):
    station = Station.objects.get(code="JB-ST-XY")
    assert set(station.positions.values_list("kind", flat=True)) == {"head", "liaison"}
    page = client.get(station.get_absolute_url()).content.decode()
    assert "王丽华" in page and "陈晓" in page

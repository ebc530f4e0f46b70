"""The demo suggestions: every status, driven through the services, loaded once."""

import pytest
from django.core.management import call_command

from liaison.suggestions import demo
from liaison.suggestions.models import Suggestion
from liaison.suggestions.workflow import Status

pytestmark = pytest.mark.django_db


def test_demo_covers_every_status_and_loads_once(settings):
    settings.DEMO_MODE = True
    call_command("load_demo", verbosity=0)
    suggestions = Suggestion.objects.all()
    assert suggestions.count() == len(demo.SCENARIOS)
    assert set(suggestions.values_list("status", flat=True)) == set(Status.values)
    assert suggestions.filter(is_key=True).count() == 1
    assert suggestions.filter(round=2).count() == 2  # one re-answering, one closed after it
    assert suggestions.filter(from_station_work=True).count() >= 8
    assert suggestions.filter(year=2026).count() == suggestions.count()
    assert demo.load() == 0
    assert Suggestion.objects.count() == len(demo.SCENARIOS)


def test_every_demo_page_renders_for_every_demo_account(client, settings):
    from django.urls import reverse

    from liaison.accounts.models import User

    settings.DEMO_MODE = True
    call_command("load_demo", verbosity=0)
    for user in User.objects.filter(username__in=["committee", "station", "deputy", "department"]):
        client.force_login(user)
        for name in ("suggestions:list", "suggestions:assignments", "suggestions:outcomes"):
            assert client.get(reverse(name)).status_code == 200
        for s in Suggestion.objects.all():
            status = client.get(reverse("suggestions:detail", args=[s.pk])).status_code
            assert status in (200, 404), (user, s)
    client.logout()
    for s in Suggestion.objects.filter(answered_at__isnull=False):
        assert client.get(reverse("suggestions_public:detail", args=[s.number])).status_code == 200
    assert client.get(reverse("suggestions_public:list")).status_code == 200

"""The demo consultations load through the services, once; the open one is on the public list,
the closed one shows its adoption figures; the station page and the staff workspace point to
the drafts; the worker closes drafts whose period is over and forgets unconfirmed comments."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import Role
from liaison.accounts.workspace import work_for
from liaison.legislation import demo, services
from liaison.legislation.models import Comment, Draft
from liaison.legislation.workflow import CommentStatus, DraftStatus

from ..factories import RegionFactory, StationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_drafts_load_once(client):
    region = RegionFactory(code="420190000000", name="江滨区", level=3)
    xy = StationFactory(code="JB-ST-XY", region=RegionFactory(parent=region))
    StationFactory(code="JB-ST-WL", region=RegionFactory(parent=region))
    UserFactory(username="committee", role=Role.COMMITTEE_STAFF, region=region)
    UserFactory(username="station", role=Role.STATION_STAFF, station=xy)
    assert demo.load() == {"draft regulations": 3, "comments on drafts": 12, "work reports": 1}
    assert demo.load() == {"draft regulations": 0, "comments on drafts": 0, "work reports": 0}
    assert Draft.objects.get(title=demo.REPORT_TITLE).articles.count() == 5
    open_draft = Draft.objects.get(title=demo.OPEN_TITLE)
    assert open_draft.status == DraftStatus.OPEN and open_draft.articles.count() == 24
    assert Draft.objects.get(title=demo.CLOSED_TITLE).status == DraftStatus.REPORTED
    client.cookies["django_language"] = "en"
    listing = client.get(reverse("legislation:list")).content.decode()
    assert demo.OPEN_TITLE in listing and "3 opinions received, 2 adopted" in listing
    station_page = client.get(xy.get_absolute_url()).content.decode()
    assert reverse("legislation:draft", args=[open_draft.pk]) in station_page


def test_the_workspace_counts_comments_awaiting_moderation(make_draft, online_comment, accounts):
    draft = make_draft()
    online_comment(draft)
    items = {i.key: i for i in work_for(accounts.station_a_staff)}
    assert items["work-legislation"].count == 1 and items["work-legislation"].flag == "yellow"
    assert "work-legislation" not in {i.key for i in work_for(accounts.deputy_a)}


def test_the_worker_closes_ended_drafts_and_drops_unconfirmed_comments(make_draft, time_machine):
    draft = make_draft()
    services.submit_comment(
        draft, article=None, text="意见", name="", phone="13912345678", consent=True
    )
    assert services.close_ended() == 0
    time_machine.move_to(timezone.now() + timedelta(days=40))
    assert services.close_ended() == 1
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CLOSED
    assert services.delete_unverified() == 1
    assert not Comment.objects.filter(status=CommentStatus.UNVERIFIED).exists()

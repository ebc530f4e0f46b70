"""Citizens see only announced activities that are not over yet."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from liaison.activities import services
from liaison.activities.models import Activity, ActivityStatus


def test_only_announced_upcoming_are_listed(client, district, accounts, make_activity):
    make_activity(title="已发布的活动")
    make_activity(title="草稿活动", announce=False)
    cancelled = make_activity(title="已取消的活动")
    services.cancel_activity(cancelled, actor=accounts.station_a_staff)
    past = make_activity(title="已结束的活动")
    Activity.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2)
    )
    page = client.get(reverse("activities_public:public-list")).content.decode()
    assert "已发布的活动" in page
    assert "草稿活动" not in page and "已取消的活动" not in page and "已结束的活动" not in page


def test_filter_by_station(client, district, make_activity):
    make_activity(title="北山的活动")
    make_activity(title="西溪的活动", station=district.station_b)
    url = reverse("activities_public:public-list")
    page = client.get(url, {"station": district.station_b.public_code}).content.decode()
    assert "西溪的活动" in page and "北山的活动" not in page
    assert client.get(url, {"station": "nosuchcode"}).status_code == 404


def test_draft_detail_is_not_public(client, make_activity):
    draft = make_activity(announce=False)
    response = client.get(reverse("activities_public:public-detail", args=[draft.public_code]))
    assert response.status_code == 404
    assert draft.status == ActivityStatus.DRAFT

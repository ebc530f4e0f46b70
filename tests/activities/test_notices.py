"""Those signed up are told by SMS when an activity moves or is cancelled, once each."""

from datetime import timedelta

from liaison.activities import services
from liaison.notifications.models import Notification


def told(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(template=kind).values_list("recipient", flat=True))


def edit(activity, accounts, **changes):
    values = {
        "actor": accounts.station_a_staff,
        "station": activity.station,
        "kind": activity.kind,
        "title": activity.title,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "place": activity.place,
        "deputies": list(activity.deputies.all()),
        "activity": activity,
    }
    return services.save_activity(**{**values, **changes})


def test_a_new_time_or_place_reaches_everyone_signed_up(make_activity, accounts):
    activity = make_activity()
    services.sign_up(activity, name="陈", phone="13812345678")
    services.sign_up(activity, name="李", phone="13912345678")
    edit(activity, accounts, description="新增议程")  # neither time nor place: nobody told
    assert told("activity_changed") == []
    later = activity.starts_at + timedelta(hours=1)
    edit(activity, accounts, starts_at=later, ends_at=later + timedelta(hours=2))
    assert told("activity_changed") == ["13812345678", "13912345678"]
    sms = Notification.objects.filter(template="activity_changed").first()
    assert sms.params["place"] == "联络站二楼会议室" and activity.title in sms.body


def test_a_cancellation_reaches_everyone_signed_up(make_activity, accounts):
    activity = make_activity()
    services.sign_up(activity, name="陈", phone="13812345678")
    services.cancel_activity(activity, actor=accounts.station_a_staff, reason="天气")
    assert told("activity_cancelled") == ["13812345678"]


def test_a_draft_that_moves_tells_nobody(make_activity, accounts):
    activity = make_activity(announce=False)
    later = activity.starts_at + timedelta(days=1)
    edit(activity, accounts, starts_at=later, ends_at=later + timedelta(hours=1))
    assert not Notification.objects.filter(channel="sms").exists()

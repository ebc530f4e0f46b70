"""Those signed up for an activity are told by SMS when it moves or is cancelled (the hand-off
table of docs/notifications.md). Walk-ins registered at the venue are not: it has happened."""

from django.conf import settings
from django.utils import timezone, translation

from liaison.core.registry import notices
from liaison.notifications.services import enqueue_sms

from .models import Activity, ActivityStatus


@notices.register
def notify(aggregate, event) -> None:
    if not isinstance(aggregate, Activity) or aggregate.starts_at <= timezone.now():
        return
    if event.verb == "activity.cancelled":
        kind = "activity_cancelled"
    elif event.verb == "activity.changed" and event.data.get("moved"):
        if aggregate.status != ActivityStatus.ANNOUNCED:
            return  # nobody could sign up yet
        kind = "activity_changed"
    else:
        return
    when = timezone.localtime(aggregate.starts_at).strftime("%Y-%m-%d %H:%M")
    params = {"title": aggregate.title, "when": when, "place": aggregate.place}
    with translation.override(settings.LANGUAGE_CODE):
        for signup in aggregate.signups.filter(walk_in=False).order_by("pk"):
            enqueue_sms(
                signup.phone,
                kind,
                params,
                dedupe_key=f"activity-event:{event.pk}:signup:{signup.pk}",
            )

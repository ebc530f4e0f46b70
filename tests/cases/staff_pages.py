"""Helpers for the staff page tests (tests/cases/test_staff_*.py)."""

from django.contrib.messages import get_messages
from django.urls import reverse

from liaison.cases.models import Case, Channel

# A phone call needs no SMS verification: it shows in the queues like a verified message.
PHONE_CALL = {"channel": Channel.PHONE}


def signed_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def detail_url(case: Case) -> str:
    return reverse("staff:case-detail", args=[case.tracking_number])


def action_url(case: Case, action: str) -> str:
    return reverse("staff:case-action", args=[case.tracking_number, action])


def act(client, case: Case, action: str, **data):
    """POST an action form as the page would, with the status the person saw."""
    data.setdefault("seen_status", case.status)
    return client.post(action_url(case, action), data)


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)

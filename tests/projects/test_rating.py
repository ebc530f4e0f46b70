"""A citizen rates a completed project: the phone proved by an SMS code, one rating per phone."""

import pytest
from django.urls import reverse

from liaison.notifications.models import Notification
from liaison.projects import services
from liaison.projects.models import Rating
from tests.appointments.support import code_sent_to

from .conftest import open_for

PHONE = "13812345678"


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def completed(project, accounts, deputies):
    project = open_for(project, accounts)
    services.cast_vote(project, actor=deputies["a"], choice="for")
    project = services.close_vote(project, actor=accounts.county_committee)
    return services.accept_project(project, actor=accounts.county_committee, text="投用。")


def _ask(client, project, phone=PHONE):
    return client.post(reverse("projects-public:rate-code", args=[project.pk]), {"phone": phone})


def _rate(client, project, code, score="5", phone=PHONE):
    url = reverse("projects-public:rate", args=[project.pk])
    return client.post(url, {"phone": phone, "code": code, "score": score})


def test_rate_with_the_code_once_per_phone(client, completed):
    page = client.get(completed.get_absolute_url())
    assert "Rate this project" in page.text
    assert _ask(client, completed).status_code == 200
    sms = Notification.objects.get()
    assert sms.recipient == PHONE and completed.title in sms.body
    assert _rate(client, completed, "000000").status_code == 400
    assert _rate(client, completed, code_sent_to(PHONE), score="9").status_code == 400
    assert not Rating.objects.exists()
    response = _rate(client, completed, code_sent_to(PHONE), score="4")
    assert response.status_code == 302
    assert Rating.objects.get().score == 4
    assert PHONE not in Rating.objects.get().phone_hash
    page = client.get(completed.get_absolute_url())
    assert "4.0 out of 5, from 1 rating" in page.text


def test_a_second_rating_from_the_same_phone_is_refused(client, completed):
    services.rate_project(completed, phone=PHONE, score=5)
    assert _ask(client, completed).status_code == 200
    response = _rate(client, completed, code_sent_to(PHONE), score="1")
    assert response.status_code == 400 and "already" in response.text
    assert list(Rating.objects.values_list("score", flat=True)) == [5]


def test_bad_phone_and_unfinished_projects_are_refused(client, project):
    assert _ask(client, project).status_code == 400
    assert "Rate this project" not in client.get(project.get_absolute_url()).text
    assert not Notification.objects.exists()


def test_a_bad_phone_number_names_the_field(client, completed):
    response = _ask(client, completed, phone="12345")
    assert response.status_code == 400 and "phone" in response.context["form"].errors
    assert not Notification.objects.exists()

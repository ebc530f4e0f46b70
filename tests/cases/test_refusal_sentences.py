"""Every refused action says a sentence a citizen or a worker understands, never an internal
state or action name (issue 16): one mapping per aggregate (workflow.REFUSALS), with a generic
sentence naming the status in words, and who changed the case when it moved meanwhile."""

import html

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from liaison.cases import links, services
from liaison.cases.workflow import MACHINE, Action, Status

from .public_support import english
from .staff_pages import PHONE_CALL, act, reload, signed_in

pytestmark = pytest.mark.django_db

ALREADY_RATED = "You have already rated this reply. Thank you for your feedback."


def test_a_second_rating_by_the_link_is_thanked_not_refused_in_machine_words(
    client, flow, unchanged
):
    case = flow.to("answered")
    url = links.RATING_PATH.format(token=links.rating_token(case))
    english(client)
    assert client.post(url, {"rating": "satisfied"}).status_code == 302
    case = reload(case)
    with unchanged(case):
        again = client.post(url, {"rating": "unsatisfied"})
    assert again.status_code == 409
    page = html.unescape(again.content.decode())
    assert ALREADY_RATED in page
    assert "record the citizen" not in page and "“Closed”" not in page


def test_a_second_rating_by_the_api_says_the_same(flow):
    case = services.rate_case(flow.to("answered"), rating="satisfied")
    response = APIClient().post(
        f"/api/v1/cases/{case.tracking_number}/rate",
        {"rating": "satisfied", "token": links.rating_token(case)},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert ALREADY_RATED in str(response.json())


def test_an_action_without_its_own_sentence_names_the_status_in_words(
    client, flow, accounts, unchanged
):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.street_a_committee)
    with unchanged(case):
        response = act(client, case, "urge")
    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "This step is not possible while the case is “Awaiting review”." in page
    assert "“urge”" not in page


@pytest.mark.parametrize(
    ("status", "action", "sentence"),
    [
        (Status.CLOSED, Action.RATE, ALREADY_RATED),
        (Status.WITHDRAWN, Action.WITHDRAW, "can no longer be withdrawn"),
        (Status.ACCEPTED, Action.ACCEPT, "reviewed already"),
        (Status.NEEDS_INFO, Action.ACCEPT, "waiting for the citizen's information"),
        (Status.SUBMITTED, Action.SIGN, "no assignment to sign"),
        (Status.CLOSED, Action.ASSIGN, "nothing more can be done"),
    ],
)
def test_the_mapping_has_a_sentence_per_action_and_state(status, action, sentence):
    with translation.override("en"):
        assert sentence in MACHINE.refusal(status, action)


def test_a_stale_rating_page_is_thanked_too(flow, accounts):
    """The citizen's page still showed "answered" while staff entered the rating they gave by
    phone: the sentence written for exactly that beats "someone changed it"."""
    from liaison.core.errors import ConcurrentChange

    case = flow.to("answered")
    services.rate_case(case, rating="satisfied", via="phone", actor=accounts.station_a_staff)
    with translation.override("en"), pytest.raises(ConcurrentChange) as refused:
        services.rate_case(case, rating="satisfied")  # `case` still says "answered"
    assert str(refused.value.message) == ALREADY_RATED


def test_a_stale_staff_form_without_its_own_sentence_says_who_changed_the_case(
    client, flow, accounts, unchanged
):
    case = flow.to("needs_info", **PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    services.supplement_case(case, text="在12号门口。")  # the citizen, meanwhile
    with unchanged(case):
        response = act(client, case, "supplement", text="电话补充", seen_status="needs_info")
    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert f"{case.events.latest('id').actor_label} changed this case in the meantime" in page

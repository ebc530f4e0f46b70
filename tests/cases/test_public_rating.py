"""The one-click rating link /r/<token> from the answer's SMS: a GET shows the answer, the buttons
post; invalid tokens are a friendly 404; a case is rated once."""

import pytest
from django.test import Client

from liaison.cases import links
from liaison.cases.workflow import Status

from .public_support import english

pytestmark = pytest.mark.django_db


def _url(case) -> str:
    return links.RATING_PATH.format(token=links.rating_token(case))


def test_the_link_shows_the_answer_and_three_buttons(client, flow):
    english(client)
    case = flow.to("answered")
    response = client.get(_url(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert "路灯已修好。" in html and "张明华" in html
    for value in ["satisfied", "basic", "unsatisfied"]:
        assert f'name="rating" value="{value}"' in html
    case.refresh_from_db()
    assert case.status == Status.ANSWERED  # opening the link rates nothing


def test_one_click_rates_and_closes(client, flow):
    english(client)
    case = flow.to("answered")
    response = client.post(_url(case), {"rating": "satisfied", "comment": "谢谢"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.rating) == (Status.CLOSED, "satisfied")
    event = case.events.latest("id")
    assert event.data["via"] == "link" and event.note == "谢谢"
    html = client.get(_url(case)).content.decode()
    assert "You have rated this answer: Satisfied" in html
    # The rating link opened the tracking page in this browser.
    assert "Closed" in client.get(f"/t/{case.tracking_number}").content.decode()


def test_a_second_rating_is_refused(client, flow):
    english(client)
    case = flow.to("answered")
    client.post(_url(case), {"rating": "basic"})
    response = client.post(_url(case), {"rating": "unsatisfied"})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.rating == "basic" and case.events.filter(verb="case.rated").count() == 1


def test_the_first_unsatisfied_sends_the_case_back(client, flow):
    english(client)
    case = flow.to("answered")
    confirmed = {"rating": "unsatisfied", "comment": "灯还是不亮", "confirmed": "1"}
    client.post(_url(case), {**confirmed, "seen_status": "answered"})
    case.refresh_from_db()
    assert case.status == Status.TO_ASSIGN and case.rehandled
    html = client.get(_url(case)).content.decode()
    assert "handled once more" in html


def test_a_case_without_an_answer_says_so(client, flow):
    english(client)
    case = flow.to("accepted")
    html = client.get(_url(case)).content.decode()
    assert "There is no answer to rate yet." in html
    response = client.post(_url(case), {"rating": "satisfied"})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_an_unknown_rating_is_explained(client, flow):
    english(client)
    case = flow.to("answered")
    response = client.post(_url(case), {"rating": "great"})
    assert response.status_code == 400
    assert "Please choose one of the three answers." in response.content.decode()


@pytest.mark.parametrize("token", ["nonsense", "1234567890:forged", "1234567890"])
def test_an_invalid_token_is_a_friendly_404(flow, token):
    flow.submit()
    response = english(Client()).get(f"/r/{token}")
    assert response.status_code == 404
    assert "This rating link is not valid" in response.content.decode()


def test_a_tampered_token_for_another_case_is_refused(flow):
    case = flow.to("answered")
    other = flow.to("answered")
    token = links.rating_token(case).replace(case.tracking_number, other.tracking_number)
    assert Client().post(f"/r/{token}", {"rating": "satisfied"}).status_code == 404
    other.refresh_from_db()
    assert other.status == Status.ANSWERED


def test_unsatisfied_is_confirmed_on_one_screen_first(client, flow):
    """Issue 16: 不满意 cannot be undone, so one screen says what happens and who is told; the
    rating is recorded only when that screen is sent."""
    english(client)
    case = flow.to("answered")
    asked = client.post(_url(case), {"rating": "unsatisfied", "comment": "灯还是不亮"})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "The matter will be handled once more" in html
    assert "The people's congress committee, the deputy and the departments" in html
    assert 'name="confirmed" value="1"' in html and 'value="灯还是不亮"' in html
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    assert not case.events.filter(verb__in=["case.rated", "case.rehandle_requested"])
    sent = client.post(
        _url(case),
        {
            "rating": "unsatisfied",
            "comment": "灯还是不亮",
            "seen_status": "answered",
            "confirmed": "1",
        },
    )
    assert sent.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.TO_ASSIGN
    assert case.events.get(verb="case.rehandle_requested").note == "灯还是不亮"


def test_the_second_round_says_the_rating_closes_it(client, flow):
    from liaison.cases import services

    english(client)
    case = services.rate_case(flow.to("answered"), rating="unsatisfied")
    case.status, case.rehandled = Status.ANSWERED, True  # answered again (the path is long)
    case.save(update_fields=["status", "rehandled"])
    html = client.post(_url(case), {"rating": "unsatisfied"}).content.decode()
    assert "your rating closes the message as not satisfied" in html


def test_a_confirmation_sent_after_staff_entered_the_rating_is_refused(client, flow, accounts):
    """The confirmation screen does not bypass the state machine: the status seen is checked."""
    from liaison.cases import services

    english(client)
    case = flow.to("answered")
    client.post(_url(case), {"rating": "unsatisfied"})  # the screen is shown …
    services.rate_case(case, rating="basic", via="phone", actor=accounts.station_a_staff)
    response = client.post(  # … and sent after staff entered the rating given by phone
        _url(case), {"rating": "unsatisfied", "seen_status": "answered", "confirmed": "1"}
    )
    assert response.status_code == 409
    assert "You have already rated this reply." in response.content.decode()
    case.refresh_from_db()
    assert case.rating == "basic" and not case.events.filter(verb="case.rehandle_requested")


def test_satisfied_needs_no_confirmation(client, flow):
    case = flow.to("answered")
    assert client.post(_url(case), {"rating": "satisfied"}).status_code == 302

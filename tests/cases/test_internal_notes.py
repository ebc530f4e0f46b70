"""Staff notes are internal; only a message written to the citizen (and the words meant for the
citizen by design: reply, answer, guidance, what is missing) reaches the tracking page and
Open311. Events written before the split keep their rows and become internal."""

import pytest

from liaison.cases import services
from liaison.cases.models import CaseEvent

from .staff_pages import act, detail_url, reload, signed_in
from .test_public_tracking import _open

pytestmark = pytest.mark.django_db

OPEN311 = "/open311/v2/requests/{}.json"


def _tracking_page(client, case) -> str:
    _open(client, case)
    return client.get(f"/t/{case.tracking_number}").content.decode()


def _status_notes(client, case) -> str:
    [row] = client.get(OPEN311.format(case.tracking_number)).json()
    return row["status_notes"]


def test_the_accept_form_says_who_reads_each_field(client, flow, accounts):
    case = flow.submit(channel="phone")
    html = signed_in(client, accounts.station_a_staff).get(detail_url(case)).content.decode()
    assert "Internal note (staff only)" in html
    assert "Message to the citizen (shown on the tracking page)" in html


def test_a_staff_note_stays_internal_and_the_message_reaches_the_citizen(client, flow, accounts):
    case = flow.submit(public_consent=True, channel="phone")
    staff = signed_in(client, accounts.station_a_staff)
    response = act(
        staff, case, "accept", note="内部：此人多次来电", to_citizen="已受理，请耐心等候。"
    )
    assert response.status_code == 302
    event = CaseEvent.objects.get(case=case, verb="case.accepted")
    assert event.note == "内部：此人多次来电" and event.data["to_citizen"] == "已受理，请耐心等候。"
    staff_page = staff.get(detail_url(case)).content.decode()
    assert "内部：此人多次来电" in staff_page and "已受理，请耐心等候。" in staff_page
    staff.logout()

    page = _tracking_page(client, case)
    assert "已受理，请耐心等候。" in page and "内部：此人多次来电" not in page
    assert _status_notes(client, case) == "已受理，请耐心等候。"


def test_notes_written_before_the_split_become_internal(client, flow, accounts):
    # What every existing row looks like: a note and no message to the citizen.
    case = flow.submit(public_consent=True)
    services.reject_case(case, actor=accounts.station_a_staff, reason="spam", note="旧的内部备注")
    assert "旧的内部备注" not in _tracking_page(client, case)
    notes = _status_notes(client, case)
    assert "旧的内部备注" not in notes and notes  # the status label instead


def test_merge_note_is_internal_its_message_public(client, flow, accounts):
    main = flow.submit(public_consent=True)
    dup = flow.submit(public_consent=True)
    services.merge_case(
        dup, main, actor=accounts.station_a_staff, note="重复骚扰", to_citizen="与前一条合并办理。"
    )
    page = _tracking_page(client, dup)
    assert "与前一条合并办理。" in page and "重复骚扰" not in page


def test_words_meant_for_the_citizen_stay_public(client, flow, accounts):
    case = flow.to("answered", public_consent=True)
    reply = CaseEvent.objects.get(case=case, verb="case.replied")
    answer = CaseEvent.objects.get(case=case, verb="case.answered")
    page = _tracking_page(client, case)
    assert reply.note in page and answer.note in page
    assert _status_notes(client, case) == answer.note


def test_a_too_long_message_is_refused_and_nothing_changes(client, flow, accounts):
    case = flow.submit(channel="phone")
    staff = signed_in(client, accounts.station_a_staff)
    response = act(staff, case, "accept", to_citizen="字" * 1001)
    assert response.status_code == 400 and "at most 1000 characters" in response.content.decode()
    assert reload(case).status == "submitted"
    assert not CaseEvent.objects.filter(case=case, verb="case.accepted").exists()

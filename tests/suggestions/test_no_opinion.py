"""When the lead unit answers, joint and co-handling units that sent no opinion are closed
("closed without an opinion"): not "Handling" forever in the assignment list and its export, and
never reminded — also not in the re-answer round."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from liaison.notifications.models import Notification
from liaison.suggestions import reminders, services
from liaison.suggestions.models import SuggestionAssignment, SuggestionEvent

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
State = SuggestionAssignment.State


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=SHANGHAI), tick=False)


def states(s):
    return dict(
        SuggestionAssignment.objects.filter(suggestion=s).values_list("department__name", "state")
    )


def test_the_answer_closes_the_silent_units_and_keeps_the_opinions(at_step, district, people):
    s = at_step("assigned")  # lead: county, joint: street A, co: street B
    services.send_opinion(s, actor=people.joint_handler, text="建议结合老旧小区改造一并考虑。")
    services.answer_suggestion(s, actor=people.lead_handler, grade="B", answer="正在推进。")
    assert states(s) == {
        district.department_county.name: State.ANSWERED,
        district.department_a.name: State.OPINION_SENT,
        district.department_b.name: State.NO_OPINION,
    }
    event = SuggestionEvent.objects.get(suggestion=s, verb="suggestion.answered")
    co = SuggestionAssignment.objects.get(suggestion=s, role="co")
    assert event.data["closed_without_opinion"] == [co.pk]
    told = Notification.objects.filter(recipient=str(people.other_handler.pk))
    assert told.filter(dedupe_key=f"suggestion-event:{event.pk}:{people.other_handler.pk}").exists()


def test_a_pending_change_request_of_a_joint_unit_is_closed_too(at_step, people):
    s = at_step("assigned")
    services.request_change(s, actor=people.joint_handler, reason="不属于本单位职责")
    services.answer_suggestion(s, actor=people.lead_handler, grade="A", answer="已解决。")
    joint = SuggestionAssignment.objects.get(suggestion=s, role="joint")
    assert joint.state == State.NO_OPINION
    assert not joint.is_active


def test_the_list_and_the_export_show_it(client, at_step, people):
    at_step("answered")
    client.force_login(people.county_committee)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("suggestions:assignments"))
    assert page.status_code == 200
    assert 'class="tag status-no_opinion"' in page.content.decode()
    assert 'class="tag status-handling"' not in page.content.decode()
    only = client.get(reverse("suggestions:assignments"), {"state": "no_opinion"})
    assert len(only.context["page_obj"].object_list) == 2

    response = client.post("/staff/exports/suggestion-assignments/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("State")
    shown = sorted(row[column] for row in rows[1:])
    label = str(State.NO_OPINION.label)
    assert shown == sorted(["Answered", label, label])
    assert "Handling" not in shown


def test_no_reminders_for_closed_units_in_the_re_answer_round(at_step, people):
    with at(2026, 7, 1, 10, 0):
        s = at_step("assigned")  # due 2026-10-08
    with at(2026, 9, 1, 10, 0):
        services.answer_suggestion(s, actor=people.lead_handler, grade="C", answer="列入计划。")
        services.evaluate_suggestion(s, actor=people.deputy_a, evaluation="unsatisfied")
    Notification.objects.all().delete()
    with at(2026, 10, 20, 10, 0):  # past the first due date; the re-answer is due 10-09
        reminders.send_reminders()
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert str(people.lead_handler.pk) in recipients
    assert str(people.joint_handler.pk) not in recipients
    assert str(people.other_handler.pk) not in recipients

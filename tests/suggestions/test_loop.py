"""The whole loop over the pages, each role from its own account: draft with a co-signer, the
co-signer's confirmation, submission, return with a reason, revision, registration, assignment,
the joint unit's opinion, the lead unit's answer, the deputy's 不满意, the re-answer, closing."""

import pytest
from django.urls import reverse

from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification
from liaison.suggestions.models import CoSigner, Suggestion, SuggestionAssignment
from liaison.suggestions.workflow import Status

pytestmark = pytest.mark.django_db


def act(client, user, s, action, **data):
    client.force_login(user)
    data.setdefault("seen_status", Suggestion.objects.get(pk=s.pk).status)
    return client.post(reverse("suggestions:action", args=[s.pk, action]), data)


def test_the_loop_end_to_end(client, district, people, make_case):
    d = district
    case = make_case()
    client.force_login(people.deputy_a)
    form = {
        "lead_deputy": d.dep_a.pk,
        "title": "关于增设小区停车位的建议",
        "reasons": "停车位严重不足。",
        "proposals": "挖潜增设停车位。",
        "category": d.category.pk,
        "session_kind": "interim",
        "year": 2026,
        "congress": "",
        "cosigners": [d.dep_shared.pk],
        "cases": [case.pk],
    }
    response = client.post(reverse("suggestions:new"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    s = Suggestion.objects.get()
    assert (s.status, s.from_station_work, s.lead_deputy) == (Status.DRAFT, True, d.dep_a)
    # The co-signer has not confirmed yet: submission is refused with the name.
    response = act(client, people.deputy_a, s, "submit")
    assert response.status_code == 400
    assert Suggestion.objects.get().status == Status.DRAFT
    # The co-signer was told, sees it and confirms from their own account.
    assert Notification.objects.filter(recipient=str(people.cosigner.pk)).exists()
    client.force_login(people.cosigner)
    assert client.get(reverse("suggestions:detail", args=[s.pk])).status_code == 200
    assert act(client, people.cosigner, s, "confirm").status_code == 302
    assert CoSigner.objects.get().confirmed_at is not None
    assert act(client, people.deputy_a, s, "submit").status_code == 302
    # The street committee returns it; the deputy revises and resubmits.
    response = act(client, people.street_a_committee, s, "return", reason="属个人事项")
    assert response.status_code == 302
    s.refresh_from_db()
    assert (s.status, s.return_reason) == (Status.RETURNED, "属个人事项")
    client.force_login(people.deputy_a)
    response = client.post(
        reverse("suggestions:edit", args=[s.pk]),
        {**form, "title": "关于老旧小区增设停车位的建议", "seen_status": "returned"},
    )
    assert response.status_code == 302
    assert act(client, people.deputy_a, s, "submit").status_code == 302
    # Registered with the year's number, assigned to three units.
    assert act(client, people.street_a_committee, s, "accept", note="").status_code == 302
    s.refresh_from_db()
    assert (s.status, s.number) == (Status.ACCEPTED, "2026-0001")
    response = act(
        client,
        people.county_committee,
        s,
        "assign",
        lead=d.department_county.pk,
        joint=[d.department_a.pk],
        co=[d.department_b.pk],
    )
    assert response.status_code == 302
    assert SuggestionAssignment.objects.filter(suggestion=s).count() == 3
    # The joint unit's opinion reaches the lead unit's page.
    assert (
        act(client, people.joint_handler, s, "opinion", text="建议结合老旧小区改造").status_code
        == 302
    )
    client.force_login(people.lead_handler)
    assert (
        "建议结合老旧小区改造"
        in client.get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    )
    # D without reasons is refused; with reasons it is the answer.
    response = act(client, people.lead_handler, s, "answer", grade="D", answer="暂无用地。")
    assert response.status_code == 400
    response = act(
        client,
        people.lead_handler,
        s,
        "answer",
        grade="D",
        answer="暂无用地。",
        grade_reasons="规划用地不足",
        achieved="",
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert (s.status, s.grade) == (Status.ANSWERED, "D")
    # 不满意: one re-answer round with a new deadline, then closed.
    assert act(client, people.deputy_a, s, "evaluate", evaluation="unsatisfied").status_code == 302
    s.refresh_from_db()
    assert (s.status, s.round) == (Status.ASSIGNED, 2)
    response = act(
        client,
        people.lead_handler,
        s,
        "answer",
        grade="C",
        answer="列入明年计划。",
        achieved="已选址",
        grade_reasons="",
    )
    assert response.status_code == 302
    assert act(client, people.deputy_a, s, "evaluate", evaluation="unsatisfied").status_code == 302
    s.refresh_from_db()
    assert (s.status, s.evaluation, s.grade) == (Status.CLOSED, "unsatisfied", "C")
    verbs = list(s.events.values_list("verb", flat=True))
    assert verbs == [
        "suggestion.drafted",
        "suggestion.cosign_confirmed",
        "suggestion.submitted",
        "suggestion.returned",
        "suggestion.edited",
        "suggestion.submitted",
        "suggestion.accepted",
        "suggestion.assigned",
        "suggestion.opinion_sent",
        "suggestion.answered",
        "suggestion.reanswer_requested",
        "suggestion.answered",
        "suggestion.evaluated",
    ]
    assert AuditEvent.objects.filter(verb__startswith="suggestion.").count() == len(verbs)


def test_station_staff_draft_for_their_deputy_and_enter_the_evaluation(
    client, district, people, at_step
):
    client.force_login(people.station_a_staff)
    form = {
        "lead_deputy": district.dep_a.pk,
        "title": "关于路灯的建议",
        "reasons": "路灯不亮。",
        "proposals": "尽快维修。",
        "category": district.category.pk,
        "session_kind": "session",
        "year": 2026,
    }
    assert client.post(reverse("suggestions:new"), form).status_code == 302
    s = Suggestion.objects.get()
    assert (s.created_by, s.station) == (people.station_a_staff, district.station_a)
    # Not for a deputy of another station.
    response = client.post(reverse("suggestions:new"), {**form, "lead_deputy": district.dep_b.pk})
    assert response.status_code == 400
    answered = at_step("answered")
    response = act(client, people.station_a_staff, answered, "evaluate", evaluation="basic")
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=answered.pk).status == Status.CLOSED


def test_committee_cannot_draft(client, people):
    client.force_login(people.county_committee)
    assert client.get(reverse("suggestions:new")).status_code == 403
    client.force_login(people.lead_handler)
    assert client.get(reverse("suggestions:new")).status_code == 403


def test_change_of_assignment_approved_reassigns_the_lead(client, district, people, at_step):
    s = at_step("assigned")
    response = act(client, people.lead_handler, s, "request_change", reason="不属于本单位职责")
    assert response.status_code == 302
    lead = SuggestionAssignment.objects.get(suggestion=s, role="lead")
    assert lead.state == "change_requested"
    # The lead unit cannot answer while its change request waits.
    response = act(client, people.lead_handler, s, "answer", grade="A", answer="x")
    assert response.status_code == 409
    # Approving a lead change needs the new lead unit.
    response = act(
        client, people.county_committee, s, "decide_change", assignment=lead.pk, approve="yes"
    )
    assert response.status_code == 400
    response = act(
        client,
        people.county_committee,
        s,
        "decide_change",
        assignment=lead.pk,
        approve="yes",
        department=district.department_b.pk,
    )
    # department_b is a co-handler already.
    assert response.status_code == 400
    new_unit = district.department_county.__class__.objects.create(
        code="NEW", name="区城管局", region=district.county, level=2
    )
    response = act(
        client,
        people.county_committee,
        s,
        "decide_change",
        assignment=lead.pk,
        approve="yes",
        department=new_unit.pk,
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.state == "withdrawn"
    assert (
        SuggestionAssignment.objects.get(suggestion=s, role="lead", state="handling").department
        == new_unit
    )


def test_change_refused_keeps_the_unit(client, people, at_step):
    s = at_step("assigned")
    act(client, people.joint_handler, s, "request_change", reason="不相关")
    joint = SuggestionAssignment.objects.get(suggestion=s, role="joint")
    response = act(
        client, people.county_committee, s, "decide_change", assignment=joint.pk, approve="no"
    )
    assert response.status_code == 302
    joint.refresh_from_db()
    assert joint.state == "handling"


def test_key_suggestion_is_shown_prominently(client, people, at_step):
    s = at_step("assigned")
    response = act(client, people.county_committee, s, "key", is_key="on", note="")
    assert response.status_code == 400
    response = act(client, people.county_committee, s, "key", is_key="on", note="常委会副主任 王强")
    assert response.status_code == 302
    client.force_login(people.lead_handler)
    page = client.get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert 'id="key-banner"' in page and "王强" in page
    assert act(client, people.lead_handler, s, "key", is_key="on", note="x").status_code == 403

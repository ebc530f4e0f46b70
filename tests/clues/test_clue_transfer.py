"""线索移送 — a case forwarded to the procuratorate with consent, its feedback on the case
timeline, the citizen's neutral line, the scope of the permission rows, bad input."""

import pytest
from django.core.exceptions import ValidationError

from liaison.cases.models import CaseEvent
from liaison.cases.tracking import public_timeline
from liaison.clues import services
from liaison.clues.models import ClueTransfer, ConsentHow, Outcome
from liaison.core.errors import NotAllowed
from liaison.core.models import AuditEvent

pytestmark = pytest.mark.django_db
ORG = "西湖区人民检察院公益诉讼检察部"


def _transfer(case, actor, **kw):
    fields = {
        "organisation": ORG,
        "summary": "电竞酒店接纳未成年人，消防通道堵塞。",
        "consent_how": ConsentHow.PHONE,
        "consent_note": "电话确认，2026-12-01",
    }
    fields.update(kw)
    return services.transfer_clue(actor=actor, case=case, **fields)


def test_forward_and_feedback_leave_the_case_status_and_are_on_the_timeline(flow, accounts):
    case = flow.submit()
    status = case.status

    clue = _transfer(case, accounts.station_a_staff)
    services.record_clue_feedback(
        clue, actor=accounts.station_a_staff, outcome=Outcome.ACCEPTED, feedback="已立案调查。"
    )

    case.refresh_from_db()
    assert case.status == status
    verbs = list(CaseEvent.objects.filter(case=case).values_list("verb", flat=True))
    assert verbs[-2:] == ["case.clue_transferred", "case.clue_feedback"]
    clue.refresh_from_db()
    assert clue.outcome == Outcome.ACCEPTED and clue.feedback == "已立案调查。"
    assert clue.region_path == case.region_path and clue.station_id == case.station_id
    audit = AuditEvent.objects.filter(object_id=str(clue.pk)).values_list("verb", flat=True)
    assert set(audit) >= {"cluetransfer.created", "cluetransfer.feedback_recorded"}


def test_the_citizen_sees_a_neutral_line_without_consent_to_publish(flow, accounts):
    case = flow.submit()
    clue = _transfer(case, accounts.station_a_staff, publish=False)
    services.record_clue_feedback(
        clue, actor=accounts.station_a_staff, outcome=Outcome.DECLINED, feedback="不属于公益诉讼。"
    )

    lines = public_timeline(case)
    text = " ".join(f"{line['what']} {line['note']}" for line in lines)
    assert "Also passed on for legal supervision" in text or "法律监督" in text
    assert ORG not in text and "不属于公益诉讼" not in text
    assert len([line for line in lines if "legal supervision" in str(line["what"])]) <= 1
    # The feedback without consent to publish is internal.
    feedback = CaseEvent.objects.get(case=case, verb="case.clue_feedback")
    assert not feedback.is_public


def test_with_consent_to_publish_the_tracking_page_names_the_procuratorate(client, flow, accounts):
    case = flow.submit()
    clue = _transfer(case, accounts.station_a_staff, publish=True)
    services.record_clue_feedback(
        clue, actor=accounts.station_a_staff, outcome=Outcome.ACCEPTED, feedback="已立案。"
    )

    notes = " ".join(line["note"] for line in public_timeline(case))
    assert ORG in notes


def test_consent_is_required_and_bad_input_writes_nothing(flow, accounts):
    case = flow.submit()
    with pytest.raises(ValidationError) as error:
        _transfer(case, accounts.station_a_staff, consent_how="")
    assert "consent_how" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _transfer(case, accounts.station_a_staff, organisation="  ")
    assert "organisation" in error.value.message_dict
    case.confidential = True
    case.save(update_fields=["confidential"])
    with pytest.raises(ValidationError) as error:
        _transfer(case, accounts.station_a_staff, publish=True)
    assert "publish" in error.value.message_dict
    assert not ClueTransfer.objects.exists()
    assert not CaseEvent.objects.filter(verb__startswith="case.clue").exists()


def test_a_second_transfer_waits_for_the_feedback_and_feedback_is_recorded_once(flow, accounts):
    case = flow.submit()
    clue = _transfer(case, accounts.station_a_staff)
    with pytest.raises(ValidationError):
        _transfer(case, accounts.station_a_staff)
    with pytest.raises(ValidationError) as error:
        services.record_clue_feedback(
            clue, actor=accounts.station_a_staff, outcome="x", feedback=""
        )
    assert set(error.value.message_dict) == {"outcome", "feedback"}
    services.record_clue_feedback(
        clue, actor=accounts.station_a_staff, outcome=Outcome.DECLINED, feedback="不立案。"
    )
    with pytest.raises(ValidationError):
        services.record_clue_feedback(
            clue, actor=accounts.station_a_staff, outcome=Outcome.ACCEPTED, feedback="改为立案。"
        )
    assert ClueTransfer.objects.get().outcome == Outcome.DECLINED


def test_scope_other_stations_deputies_and_departments_may_not(flow, accounts):
    case = flow.submit()  # at station A
    for outsider in (accounts.station_b_staff, accounts.deputy_a, accounts.handler_a):
        with pytest.raises((ValidationError, NotAllowed)):
            _transfer(case, outsider)
    clue = _transfer(case, accounts.county_committee)
    with pytest.raises(NotAllowed):
        services.record_clue_feedback(
            clue, actor=accounts.station_b_staff, outcome=Outcome.ACCEPTED, feedback="x"
        )
    assert ClueTransfer.objects.count() == 1


def test_http_forward_detail_feedback_and_refusals(client, flow, accounts):
    client.cookies["django_language"] = "en"
    case = flow.submit()
    url = f"/staff/clues/new/case/{case.tracking_number}/"
    client.force_login(accounts.station_b_staff)
    assert client.get(url).status_code == 404  # not in this station's scope
    client.force_login(accounts.handler_a)
    assert client.get("/staff/clues/").status_code == 403

    client.force_login(accounts.station_a_staff)
    page = client.get(f"/staff/cases/{case.tracking_number}/")
    assert url in page.content.decode()
    missing = client.post(url, {"organisation": ORG, "summary": "线索"})
    assert missing.status_code == 400 and not ClueTransfer.objects.exists()
    done = client.post(
        url,
        {
            "organisation": ORG,
            "summary": "线索",
            "consent_how": "in_person",
            "consent_at": "2026-12-01 10:00",
            "confirm": "on",
        },
    )
    clue = ClueTransfer.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/staff/clues/{clue.pk}/"
    detail = client.get(done["Location"]).content.decode()
    assert ORG in detail and "陈女士" not in detail  # no contact without consent
    bad = client.post(f"/staff/clues/{clue.pk}/feedback/", {"outcome": "accepted"})
    assert bad.status_code == 400
    ok = client.post(
        f"/staff/clues/{clue.pk}/feedback/", {"outcome": "accepted", "feedback": "已立案"}
    )
    assert ok.status_code == 302
    assert ClueTransfer.objects.get().outcome == Outcome.ACCEPTED
    client.force_login(accounts.station_b_staff)
    assert client.get(f"/staff/clues/{clue.pk}/").status_code == 404


def test_contact_goes_with_the_clue_only_with_consent(client, flow, accounts):
    case = flow.submit()
    clue = _transfer(case, accounts.station_a_staff, share_contact=True)
    client.force_login(accounts.station_a_staff)
    assert "陈女士" in client.get(f"/staff/clues/{clue.pk}/").content.decode()


def test_the_tracking_page_shows_the_neutral_line_over_http(client, flow, accounts):
    client.cookies["django_language"] = "en"
    case = flow.submit()
    clue = _transfer(case, accounts.station_a_staff, publish=False)
    services.record_clue_feedback(
        clue, actor=accounts.station_a_staff, outcome=Outcome.ACCEPTED, feedback="已立案。"
    )

    opened = client.post(
        f"/t/{case.tracking_number}", {"action": "last4", "last4": case.citizen_phone[-4:]}
    )
    assert opened.status_code == 302
    page = client.get(f"/t/{case.tracking_number}").content.decode()
    assert "Also passed on for legal supervision, with your consent" in page
    assert ORG not in page and "已立案" not in page and "Answer on the matter" not in page

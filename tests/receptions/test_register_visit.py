"""Registering a visit makes one reception case per matter, linked to the visit."""

import time_machine
from django.contrib.messages import get_messages

from liaison.cases.models import Case, CaseEvent, Channel
from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification
from liaison.receptions.models import Visit

from .support import NEW, matter, signed_in, visit_form


def test_one_case_per_matter_linked_to_the_visit(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    rows = [
        matter(district, "路灯不亮"),
        matter(district, "井盖缺失"),
        matter(district, "噪音扰民"),
    ]
    response = client.post(NEW, visit_form(district, rows))
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/receptions/{visit.pk}/"
    assert set(visit.deputies.all()) == {district.dep_a, district.dep_shared}
    assert (visit.station, visit.visitor_name, str(visit.received_on)) == (
        district.station_a,
        "陈女士",
        "2025-09-22",
    )
    matters = list(visit.matters.select_related("case").order_by("position"))
    assert [m.case.title for m in matters] == ["路灯不亮", "井盖缺失", "噪音扰民"]
    assert [m.proposed_handling for m in matters] == ["交办"] * 3
    for m in matters:
        assert m.case.channel == Channel.RECEPTION
        assert m.case.station == district.station_a
        assert m.case.citizen_phone == "13912345678" and m.case.citizen_name == "陈女士"
        event = CaseEvent.objects.get(case=m.case, verb="case.submitted")
        assert event.actor == accounts.station_a_staff
        assert event.data["privacy_consent"]["how"] == "in_person_at_reception"
    # The first receiving deputy (in the form's order, by name) gets the cases.
    first = min([district.dep_a, district.dep_shared], key=lambda d: d.name)
    assert {m.case.deputy for m in matters} == {first}
    assert Case.objects.count() == 3
    audit = AuditEvent.objects.get(verb="visit.registered")
    assert audit.object_id == str(visit.pk) and len(audit.data["cases"]) == 3
    message = str(next(iter(get_messages(response.wsgi_request))))
    number = matters[0].case.tracking_number
    assert f"{number[:3]} {number[3:6]} {number[6:]}" in message


def test_without_deputies_the_cases_go_to_the_station(client, district, accounts):
    signed_in(client, accounts.street_a_committee)
    response = client.post(NEW, visit_form(district, deputies=[]))
    assert response.status_code == 302
    assert Case.objects.get().deputy is None


def test_a_landline_visitor_gives_a_mobile_for_the_answer(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    data = visit_form(district, visitor_phone="0571-87654321", answer_mobile="13812345678")
    assert client.post(NEW, data).status_code == 302
    assert Visit.objects.get().visitor_phone == "0571-87654321"
    assert Case.objects.get().citizen_phone == "13812345678"


def test_a_landline_visitor_without_a_mobile_is_answered_by_letter(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    data = visit_form(district, visitor_phone="0571-87654321", visitor_address="保俶路12号201室")
    response = client.post(NEW, data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.citizen_phone, case.citizen_landline, case.citizen_address) == (
        "",
        "0571-87654321",
        "保俶路12号201室",
    )
    # No SMS reaches them: the submission sends none.
    assert not Notification.objects.filter(channel="sms").exists()


def test_the_cases_appear_in_the_station_queue(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    client.post(NEW, visit_form(district, [matter(district, "A"), matter(district, "B")]))
    page = client.get("/staff/cases/?tab=all").content.decode()
    for case in Case.objects.all():
        assert case.tracking_number in page


@time_machine.travel("2025-09-22 10:00 +0800")
def test_the_form_starts_with_one_matter_and_today(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    response = client.get(NEW)
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 1
    assert str(response.context["form"]["received_on"].value()) == "2025-09-22"


def test_add_another_matter_without_javascript(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    data = visit_form(district, [matter(district, "路灯不亮")], add_matter="1")
    response = client.post(NEW, data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() == 2
    assert formset.forms[0]["title"].value() == "路灯不亮"  # what was typed is kept
    assert not Visit.objects.exists()
    # The blank added row is ignored when the visit is registered.
    data = visit_form(district, [matter(district, "路灯不亮"), {}])
    assert client.post(NEW, data).status_code == 302
    assert Case.objects.count() == 1

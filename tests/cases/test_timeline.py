"""The timeline: staff see everything, the citizen sees public events with labels only."""

from liaison.cases import services
from liaison.cases.selectors import PublicEvent, timeline


def test_public_timeline_hides_internal_events_and_names(flow, accounts):
    accounts.station_a_staff.full_name = "内部员工甲"
    accounts.station_a_staff.save()
    case = flow.to("in_progress")
    services.urge_case(case, actor=accounts.street_a_committee, note="内部催办")
    case = services.return_assignment(case, actor=accounts.handler_a, reason="内部原因")

    staff = timeline(case, public=False)
    public = timeline(case, public=True)
    assert {e.verb for e in staff} >= {"case.urged", "case.returned"}
    assert all(isinstance(e, PublicEvent) for e in public)
    assert not {"case.urged", "case.returned"} & {e.verb for e in public}
    text = repr(public)
    for secret in ["内部员工甲", "station_a", "内部催办", "内部原因", "handler_a"]:
        assert secret not in text
    labels = [e.actor_label for e in public]
    assert accounts.station_a_staff.station.name in labels  # acceptance by the station
    assert flow.d.department_a.name in labels  # signed by the department
    assert [e.verb for e in public][:2] == ["case.submitted", "case.accepted"]


def test_the_report_text_stays_internal(flow, accounts):
    case = services.report_result(
        flow.to("in_progress"), actor=accounts.handler_a, text="内部处理细节"
    )
    assert "内部处理细节" not in repr(timeline(case, public=True))
    assert any(e.data.get("result") == "内部处理细节" for e in timeline(case, public=False))

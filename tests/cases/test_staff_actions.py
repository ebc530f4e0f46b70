"""The buttons a staff page offers match what the services allow."""

from liaison.cases.selectors import staff_actions


def test_offers_follow_role_and_status(flow, accounts):
    submitted = flow.submit()
    assert {"accept", "reject", "refer", "merge", "request_info"} <= staff_actions(
        submitted, accounts.station_a_staff
    )
    assert staff_actions(submitted, accounts.station_b_staff) == set()
    assert staff_actions(submitted, accounts.handler_a) == set()

    assigned = flow.to("assigned")
    assert staff_actions(assigned, accounts.handler_a) == {"sign", "return", "request_extension"}
    assert "assign" in staff_actions(assigned, accounts.street_a_committee)
    assert staff_actions(flow.to("in_progress"), accounts.handler_a) == {
        "return",
        "report",
        "request_extension",
    }
    assert staff_actions(flow.to("feedback"), accounts.deputy_a) == {"answer"}
    assert staff_actions(flow.to("closed"), accounts.administrator) == set()

"""A due date restarted after a pause says so: when the clock stopped, when it resumed, and how
many working days were left (issue 3: "which pauses … applied")."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from liaison.cases import selectors, services

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_explanation_names_the_pause(client, flow, accounts):
    with time_machine.travel(datetime(2025, 9, 22, 10, 0, tzinfo=SHANGHAI), tick=False):
        case = flow.submit()
        case = services.request_info(case, actor=accounts.station_a_staff, reason="门牌号？")
    with time_machine.travel(datetime(2025, 9, 25, 10, 0, tzinfo=SHANGHAI), tick=False):
        case = services.supplement_case(case, text="北山路1号")
    resumed = selectors.clock_resumed(case)
    assert resumed["days_left"] == 2
    assert resumed["paused_at"].astimezone(SHANGHAI).date().isoformat() == "2025-09-22"

    client.force_login(accounts.station_a_staff)
    client.cookies["django_language"] = "en"
    html = client.get(f"/staff/cases/{case.tracking_number}/").content.decode()
    assert "The clock stopped on" in html
    assert "with 2 working days left" in html


def test_no_note_without_a_pause(flow, accounts):
    case = services.accept_case(flow.submit(), actor=accounts.station_a_staff)
    assert selectors.clock_resumed(case) is None

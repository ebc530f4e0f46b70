"""The whole loop through the services: every status reachable, with its events."""

import itertools

import pytest

from liaison.cases.workflow import Status

WALKABLE = [
    Status.SUBMITTED,
    Status.NEEDS_INFO,
    Status.ACCEPTED,
    Status.TO_ASSIGN,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.FEEDBACK,
    Status.ANSWERED,
    Status.CLOSED,
    Status.REFERRED,
    Status.REJECTED,
    Status.MERGED,
    Status.WITHDRAWN,
]


def test_every_status_is_reachable():
    assert set(WALKABLE) == set(Status)


@pytest.mark.parametrize("status", WALKABLE)
def test_walk_to(flow, status):
    case = flow.to(status)
    events = list(case.events.order_by("id"))
    assert events[0].verb == "case.submitted"
    changes = [(e.from_status, e.to_status) for e in events if e.from_status != e.to_status]
    assert changes[-1][1] == status
    # The status changes form one unbroken chain.
    for (_, previous_to), (next_from, _) in itertools.pairwise(changes):
        assert previous_to == next_from

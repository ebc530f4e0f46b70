"""The guard allows exactly the table's transitions and refuses every other (status, action)."""

import itertools

import pytest

from liaison.cases.workflow import FINAL, MACHINE, OPEN, TRANSITIONS, Action, Status
from liaison.core.errors import TransitionRefused

PAIRS = list(itertools.product(Status, Action))


@pytest.mark.parametrize(("status", "action"), PAIRS)
def test_guard_matches_the_table(status, action):
    if (status, action) in TRANSITIONS:
        assert MACHINE.target(status, action) == TRANSITIONS[(status, action)]
    else:
        with pytest.raises(TransitionRefused) as refused:
            MACHINE.target(status, action)
        assert refused.value.code == "transition_refused"
        message = str(refused.value.message)
        # A sentence of its own (workflow.REFUSALS), or the generic one naming the status in
        # words; never the internal name of the action (issue 16).
        assert (action, status) in MACHINE.refusals or str(status.label) in message
        if str(action.label) != str(status.label):  # 不予受理 is both
            assert f"“{action.label}”" not in message


def test_final_statuses_allow_nothing():
    for status in FINAL:
        assert MACHINE.allowed_actions(status) == []


def test_every_open_status_can_be_withdrawn_and_left():
    for status in OPEN:
        assert Action.WITHDRAW in MACHINE.allowed_actions(status)
        assert any(TRANSITIONS[(status, a)] != status for a in MACHINE.allowed_actions(status))


def test_unknown_values_are_refused_not_crashing():
    with pytest.raises(TransitionRefused):
        MACHINE.target("nonsense", Action.ACCEPT)
    with pytest.raises(TransitionRefused):
        MACHINE.target(Status.SUBMITTED, "nonsense")

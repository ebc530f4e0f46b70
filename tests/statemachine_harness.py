"""One harness for every state table declared on `liaison.core.statemachine.StateMachine`
(docs/design.md, rule 2): structural properties of the table, and random walks that check the
machine answers exactly as the table says. The apps' own property tests then drive their real
services (tests/cases/test_state_machine_properties.py)."""

from collections import deque

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.errors import ConcurrentChange, TransitionRefused


def reachable(machine, start) -> set:
    seen, queue = {start}, deque([start])
    while queue:
        status = queue.popleft()
        for action in machine.allowed_actions(status):
            target = machine.target(status, action)
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def check_structure(machine, start) -> None:
    """Every status can be reached from `start`; final statuses have no way out; every other
    status has one (nothing gets stuck)."""
    assert reachable(machine, start) == set(machine.status)
    for status in machine.status:
        actions = machine.allowed_actions(status)
        if status in machine.final:
            assert actions == [], f"{status} is final but allows {actions}"
        else:
            assert actions, f"{status} is not final but allows nothing"


class Row:
    """A stand-in row with a status, for `check` (which only reads the status)."""

    def __init__(self, status):
        self.status = status


def walks(machine, start, steps=25):
    """A hypothesis test: a random sequence of (any) actions from `start`; each one is allowed
    exactly when the table has it, and then leads where the table says."""

    @given(st.lists(st.sampled_from(list(machine.action)), max_size=steps))
    def walk(actions):
        status = start
        for action in actions:
            expected = machine.transitions.get((status, action))
            row = Row(status)
            if expected is None:
                with pytest.raises(TransitionRefused) as refused:
                    machine.check(row, action, status)
                # The person saw the current status: not "someone else changed it".
                assert not isinstance(refused.value, ConcurrentChange)
                assert refused.value.code == "transition_refused"
                # Seen in another status: that is a concurrent change, said so.
                other = next(s for s in machine.status if s != status)
                with pytest.raises(ConcurrentChange):
                    machine.check(row, action, other)
            else:
                assert machine.check(row, action, status) == expected
                status = expected

    return walk

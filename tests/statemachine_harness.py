"""One harness for every state table declared on `liaison.core.statemachine.StateMachine`
(docs/design.md, rule 2): structural properties of the table, and random walks that check the
machine answers exactly as the table says; and `run_services`, which drives an aggregate's real
services through a random sequence of actions and checks each outcome against the table
(tests/activities/test_state_machine_properties.py)."""

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


def run_services(machine, subject, steps, names, *, reload=None, events=None) -> None:
    """Drive an aggregate through its real services and check them against the table.

    `steps` maps a name to `(action, call)`: `call(row)` takes the action through the service,
    as an account that may (so that a refusal can only come from the status); `names` is the
    sequence to run (hypothesis draws it). For every step: the service succeeds exactly when
    the table allows the action from the status before it, and the status is then the table's
    target; a refusal is a `TransitionRefused` and leaves the status as it was; a final status
    never moves. Any other exception (ValidationError: a step's input is wrong) fails the test.

    `reload(subject)` reads the row again (by default from its model's manager, by pk);
    `events(subject)` returns the (from, to) statuses of its recorded events, oldest first: when
    given, each change of status adds exactly one event that names it."""
    reload = reload or (lambda row: type(row)._default_manager.get(pk=row.pk))
    field = machine.status_field
    changes = None
    if events is not None:
        changes = sum(1 for before, after in events(subject) if before != after)
    for name in names:
        action, call = steps[name]
        before = reload(subject)
        status = getattr(before, field)
        allowed = machine.allows(status, action)
        try:
            call(before)
        except TransitionRefused as refused:
            assert not allowed, (name, status, refused)
            assert refused.code in ("transition_refused", "concurrent_change"), refused.code
        else:
            assert allowed, (name, status)
        now = getattr(reload(subject), field)
        assert now == (machine.transitions[(status, action)] if allowed else status), (name, status)
        if status in machine.final:
            assert now == status
        if changes is None:
            continue
        changes += now != status
        moved = [(a, b) for a, b in events(subject) if a != b]
        assert len(moved) == changes, (name, status, now)
        if now != status:
            assert moved[-1] == (status, now), (name, moved[-1])

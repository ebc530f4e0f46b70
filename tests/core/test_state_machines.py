"""Every state table of the project through one harness (tests/statemachine_harness.py)."""

import pytest

from liaison.activities import workflow as activities
from liaison.activities.models import ActivityStatus
from liaison.appointments import workflow as appointments
from liaison.appointments.models import AppointmentStatus
from liaison.cases import workflow as cases
from liaison.legislation import workflow as legislation
from liaison.projects import workflow as projects
from liaison.projects.models import Status as ProjectStatus
from liaison.records import workflow as records
from liaison.records.models import EntryStatus
from liaison.suggestions import workflow as suggestions
from tests.statemachine_harness import check_structure, walks

MACHINES = {
    "case": (cases.MACHINE, cases.Status.SUBMITTED),
    "suggestion": (suggestions.MACHINE, suggestions.Status.DRAFT),
    "appointment": (appointments.MACHINE, AppointmentStatus.PENDING),
    "activity": (activities.MACHINE, ActivityStatus.DRAFT),
    "record entry": (records.MACHINE, EntryStatus.PENDING),
    "draft regulation": (legislation.DRAFT_MACHINE, legislation.DraftStatus.DRAFT),
    "comment on a draft": (legislation.COMMENT_MACHINE, legislation.CommentStatus.UNVERIFIED),
    "livelihood project": (projects.MACHINE, ProjectStatus.PROPOSED),
}


@pytest.mark.parametrize("name", MACHINES)
def test_every_status_is_reachable_and_only_final_ones_are_dead_ends(name):
    check_structure(*MACHINES[name])


@pytest.mark.parametrize("name", MACHINES)
def test_random_walks_follow_the_table(name):
    walks(*MACHINES[name])()


def test_a_table_naming_an_unknown_status_is_refused_at_import():
    from liaison.core.statemachine import StateMachine

    with pytest.raises(ValueError):
        StateMachine(
            status=cases.Status,
            action=cases.Action,
            transitions={("submitted", "accept"): "nowhere"},
            refused_message="",
            changed_message="",
        )

"""A livelihood project through its services: proposed, voted on by the deputies once each,
adopted or not by the count, claimed, reported on, accepted with photos, rated."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.models import AuditEvent
from liaison.projects import services
from liaison.projects.models import Progress, Project, Status, Vote

from .conftest import jpeg, not_an_image, open_for


def verbs(project):
    return list(
        AuditEvent.objects.filter(object_type="projects.project", object_id=str(project.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_from_proposal_to_acceptance(project, accounts, deputies):
    project = open_for(project, accounts)
    services.cast_vote(project, actor=deputies["a"], choice="for")
    services.cast_vote(project, actor=deputies["shared"], choice="for")
    services.cast_vote(project, actor=deputies["b"], choice="against")
    project = services.close_vote(project, actor=accounts.county_committee)
    assert project.status == Status.ADOPTED
    assert (project.votes_for, project.votes_against, project.votes_abstain) == (2, 1, 0)

    services.claim_project(project, actor=deputies["a"])
    services.report_progress(
        project, actor=accounts.handler_a, period="2026 Q2", text="已开工8部。", photos=[jpeg()]
    )
    project = services.accept_project(
        project, actor=accounts.county_committee, text="20部电梯全部投用。", photos=[jpeg()]
    )
    assert project.status == Status.COMPLETED
    assert Progress.objects.filter(project=project, is_acceptance=True).count() == 1
    services.rate_project(project, phone="13912345678", score=5)
    with pytest.raises(ValidationError):
        services.rate_project(project, phone="13912345678", score=1)
    assert verbs(project) == [
        "project.proposed",
        "project.vote_opened",
        "project.voted",
        "project.voted",
        "project.voted",
        "project.adopted",
        "project.claimed",
        "project.progress_reported",
        "project.accepted",
        "project.rated",
    ]


@translation.override("en")
def test_one_vote_per_deputy_and_only_while_open(project, accounts, deputies):
    project = open_for(project, accounts, days=1)
    services.cast_vote(project, actor=deputies["a"], choice="abstain")
    with pytest.raises(ValidationError) as twice:
        services.cast_vote(project, actor=deputies["a"], choice="for")
    assert "already" in str(twice.value)
    with pytest.raises(ValidationError):
        services.cast_vote(project, actor=deputies["shared"], choice="maybe")
    with (
        time_machine.travel(timezone.now() + timedelta(days=2)),
        pytest.raises(ValidationError),
    ):
        services.cast_vote(project, actor=deputies["shared"], choice="for")
    assert list(Vote.objects.values_list("choice", flat=True)) == ["abstain"]


def test_who_may_vote(district, accounts, deputies):
    street = services.propose_project(
        actor=accounts.street_a_committee,
        year=2026,
        title="北山街道口袋公园",
        description="新建口袋公园两处。",
        department=district.department_a,
        budget="80",
        region=district.street_a,
    )
    street = open_for(street, accounts)
    # A deputy of the other street, and an administrator, do not vote on it.
    with pytest.raises(NotAllowed):
        services.cast_vote(street, actor=deputies["b"], choice="for")
    with pytest.raises(NotAllowed):
        services.cast_vote(street, actor=accounts.administrator, choice="for")
    services.cast_vote(street, actor=deputies["a"], choice="for")
    assert street.votes.count() == 1


def test_a_tie_or_no_votes_is_not_adopted(project, accounts, deputies):
    project = open_for(project, accounts)
    services.cast_vote(project, actor=deputies["a"], choice="for")
    services.cast_vote(project, actor=deputies["b"], choice="abstain")
    project = services.close_vote(project, actor=accounts.county_committee)
    assert project.status == Status.NOT_ADOPTED
    with pytest.raises(TransitionRefused):
        services.claim_project(project, actor=deputies["a"])


def test_steps_out_of_order_are_refused(project, accounts, deputies):
    with pytest.raises(TransitionRefused):
        services.cast_vote(project, actor=deputies["a"], choice="for")
    with pytest.raises(TransitionRefused):
        services.report_progress(project, actor=accounts.handler_a, period="Q1", text="x")
    with pytest.raises(ValidationError):
        services.open_vote(
            project, actor=accounts.county_committee, closes_at=timezone.now() - timedelta(hours=1)
        )
    project.refresh_from_db()
    assert project.status == Status.PROPOSED


def test_only_the_committee_of_the_region_proposes_and_manages(district, project, accounts):
    with pytest.raises(NotAllowed):
        services.propose_project(
            actor=accounts.street_a_committee,
            year=2026,
            title="x",
            description="x",
            department=district.department_a,
            budget="1",
            region=district.county,
        )
    with pytest.raises(NotAllowed):
        services.open_vote(
            project, actor=accounts.station_a_staff, closes_at=timezone.now() + timedelta(days=1)
        )
    with pytest.raises(ValidationError) as invalid:
        services.propose_project(
            actor=accounts.county_committee,
            year=1900,
            title="",
            description="x",
            department=district.department_a,
            budget="-5",
            region=district.county,
        )
    assert {"year", "title", "budget"} <= set(invalid.value.message_dict)
    assert Project.objects.count() == 1


def test_a_bad_photo_refuses_the_whole_report(project, accounts, deputies):
    project = open_for(project, accounts)
    services.cast_vote(project, actor=deputies["a"], choice="for")
    project = services.close_vote(project, actor=accounts.county_committee)
    with pytest.raises(ValidationError) as invalid:
        services.report_progress(
            project,
            actor=accounts.handler_a,
            period="2026 Q2",
            text="进展",
            photos=[jpeg(), not_an_image("evil.jpg")],
        )
    assert "evil.jpg" in invalid.value.message_dict["photos"][0]
    assert not Progress.objects.exists()
    with pytest.raises(NotAllowed):
        services.report_progress(project, actor=accounts.station_a_staff, period="Q", text="x")


def test_linking_the_case_that_fed_the_project(project, accounts, district):
    from liaison.cases import services as cases

    case = cases.submit_case(
        channel="phone",
        station=district.station_a,
        deputy=None,
        category=district.category,
        title="没有电梯",
        description="老人上下楼难。",
        citizen_phone="13912345678",
        privacy_accepted=True,
        actor=accounts.station_a_staff,
    )
    services.link_source(project, actor=accounts.county_committee, case=case)
    assert list(project.sources.values_list("case_id", flat=True)) == [case.pk]
    with pytest.raises(ValidationError):
        services.link_source(project, actor=accounts.county_committee, case=case)
    with pytest.raises(ValidationError):
        services.link_source(project, actor=accounts.county_committee)

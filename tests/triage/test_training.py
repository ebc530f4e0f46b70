"""`liaison triage generate / train / evaluate`, the nightly job, and the rule that the model in use
is replaced only by one that is no worse."""

import random
from dataclasses import replace
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from liaison.cases.models import Assignment, Case
from liaison.core import jobs
from liaison.core.models import AuditEvent
from liaison.triage import engine, services
from liaison.triage.models import TriageModel

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("triage", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def generated(district):
    run("generate", "--assignments", "240", "--seed", "3")


def test_generate_writes_closed_cases_with_their_lead_departments(generated):
    assert Case.objects.count() == 240
    leads = Assignment.objects.filter(role="lead")
    assert leads.filter(state="reported").count() == 240
    assert leads.filter(state="returned").exists()  # the history has returned ones too
    assert AuditEvent.objects.filter(verb="triage.history_generated").count() == 1
    assert Case.objects.values("description").distinct().count() > 200


def test_history_leaves_out_returned_assignments(generated):
    samples = services.history()
    assert len(samples) == Assignment.objects.filter(role="lead", state="reported").count()
    returned = set(
        Assignment.objects.filter(state="returned").values_list("case_id", "department_id")
    )
    kept = set(Assignment.objects.filter(state="reported").values_list("case_id", "department_id"))
    assert returned and not returned & kept


def test_train_puts_the_first_model_in_use_and_audits_it(generated):
    output = run("train")
    model = TriageModel.objects.get()
    assert model.in_use and model.samples == 240
    assert 0 <= model.evaluation["overall"]["top1"] <= model.evaluation["overall"]["top3"] <= 1
    assert "overall" in output and "in use" in output
    event = AuditEvent.objects.get(verb="triage.trained")
    assert event.data["in_use"] is True


def shuffled(samples, *, seed=0):
    """A deliberately worse model: the same messages, their departments shuffled."""
    labels = [s.department for s in samples]
    random.Random(99).shuffle(labels)
    return engine.Engine().fit(
        [replace(s, department=d) for s, d in zip(samples, labels, strict=True)], seed=seed
    )


def test_a_worse_model_is_kept_aside_and_both_figures_are_stored(generated):
    run("train")
    first = TriageModel.objects.get()
    outcome = services.train_model(fit=shuffled)
    assert not outcome.replaced and not outcome.model.in_use
    assert TriageModel.objects.get(in_use=True) == first
    compared = outcome.model.evaluation["in_use_on_same_split"]
    assert compared["model"] == first.pk
    assert compared["overall"]["n"] == outcome.model.evaluation["overall"]["n"] == 48
    assert compared["overall"]["top1"] > outcome.model.evaluation["overall"]["top1"] + 0.1
    event = AuditEvent.objects.filter(verb="triage.trained").latest("id")
    assert event.data["in_use"] is False
    assert event.data["in_use_top1"] == compared["overall"]["top1"]


def test_a_better_model_replaces_a_worse_one_in_use(generated):
    bad = shuffled(services.history())
    worse = TriageModel.objects.create(
        samples=bad.samples,
        # Its stored figures boast: the decision must not believe them.
        evaluation={"overall": {"n": 1, "top1": 1.0, "top3": 1.0}, "categories": {}},
        blob=bad.dumps(),
        in_use=True,
    )
    output = run("train")
    new = TriageModel.objects.get(in_use=True)
    assert new != worse and "in use" in output
    compared = new.evaluation["in_use_on_same_split"]
    assert compared["model"] == worse.pk
    assert new.top1 > compared["overall"]["top1"] + 0.1
    # The command prints both figures of the same split.
    assert "same held-out split (48 messages, random 20 %)" in output
    assert f"model in use #{worse.pk}" in output
    assert f"{compared['overall']['top1']:.1%}" in output


def test_same_recipe_compared_on_messages_neither_model_saw_replaces(district):
    with time_machine.travel(timezone.now() - timedelta(days=150)):
        run("generate", "--assignments", "240", "--seed", "3")
        run("train")
    first = TriageModel.objects.get()
    # Boastful stored figures: the decision must not believe them.
    first.evaluation = {"overall": {"n": 1, "top1": 1.0, "top3": 1.0}, "categories": {}}
    first.save()
    run("generate", "--assignments", "240", "--seed", "4")  # ~50 of them newer than the model
    output = run("train")
    new = TriageModel.objects.get(in_use=True)
    assert new != first, output
    assert new.evaluation["held_out"] == "newer than the model in use"
    assert new.evaluation["in_use_on_same_split"]["seen"] == 0
    assert new.evaluation["overall"]["n"] >= 30
    assert "newer than the model in use" in output


def test_a_random_split_the_model_in_use_learned_from_says_so(generated):
    run("train")
    outcome = services.train_model()
    compared = outcome.model.evaluation["in_use_on_same_split"]
    assert outcome.model.evaluation["held_out"] == "random 20 %"
    assert compared["seen"] == 48  # it learned every one of them: the figures lean its way


def test_administrators_see_both_figures(generated, accounts, client):
    run("train")
    run("train")
    newest = TriageModel.objects.order_by("-id").first()
    client.force_login(accounts.administrator)
    response = client.get("/admin/triage/triagemodel/")
    assert response.status_code == 200
    top1 = newest.evaluation["in_use_on_same_split"]["overall"]["top1"]
    assert f"#{newest.evaluation['in_use_on_same_split']['model']}: {top1:.1%}" in (
        response.content.decode()
    )


def test_evaluate_prints_top_1_and_top_3_per_category(generated, district):
    output = run("evaluate")
    assert "top-1" in output and "top-3" in output
    assert district.category.name in output or "overall" in output
    assert "48 assignments" not in output and "240 assignments, 20 % held out" in output


def test_too_little_history_is_refused_with_a_message(district):
    with pytest.raises(CommandError, match="at least 30"):
        run("train")
    assert not TriageModel.objects.exists()


def test_generate_refuses_a_count_below_one(district):
    with pytest.raises(CommandError, match="at least 1"):
        run("generate", "--assignments", "0")
    assert not Case.objects.exists()


def test_the_nightly_job_trains(generated):
    jobs.autodiscover()
    job = next(j for j in jobs.registered() if j.name == "triage.train")
    assert job.interval.total_seconds() == 24 * 3600
    assert "in use" in job.func()
    assert TriageModel.objects.filter(in_use=True).count() == 1
    assert "(model in use: " in job.func()  # the second run compares on the same split

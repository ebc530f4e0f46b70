"""`liaison triage generate / train / evaluate`, the nightly job, and the rule that the model in use
is replaced only by one that is no worse."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from liaison.cases.models import Assignment, Case
from liaison.core import jobs
from liaison.core.models import AuditEvent
from liaison.triage import services
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


def test_a_worse_model_is_kept_aside(generated):
    run("train")
    first = TriageModel.objects.get()
    first.evaluation = {"overall": {"n": 1, "top1": 1.0, "top3": 1.0}, "categories": {}}
    first.save()
    output = run("train")
    assert "kept aside" in output
    assert TriageModel.objects.get(in_use=True) == first
    assert TriageModel.objects.filter(in_use=False).count() == 1


def test_a_no_worse_model_replaces_the_one_in_use(generated):
    run("train")
    run("train")  # the same history and seed: exactly as good
    assert TriageModel.objects.filter(in_use=True).count() == 1
    assert TriageModel.objects.get(in_use=True) == TriageModel.objects.order_by("-id").first()


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

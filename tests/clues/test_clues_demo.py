"""The demo clue transfer (liaison/clues/demo.py): after the demo cases, the demo station has
forwarded one case to the procuratorate with consent and recorded its feedback; both on the
case's timeline; a second run adds nothing."""

import pytest
import time_machine

from liaison.accounts import demo as account_demo
from liaison.cases import demo as cases_demo
from liaison.cases.models import CaseEvent
from liaison.clues import demo
from liaison.clues.models import ClueTransfer, Outcome
from liaison.directory import demo as directory_demo

pytestmark = pytest.mark.django_db


def test_a_forwarded_clue_with_the_procuratorates_feedback(client):
    with time_machine.travel("2026-11-21 10:00 +0800", tick=True):
        directory_demo.load()
        account_demo.load()
        cases_demo.load()
        assert demo.load() == {"clue transfers": 1}
        assert demo.load() == {}
    clue = ClueTransfer.objects.select_related("case").get()
    assert clue.outcome == Outcome.ACCEPTED and clue.feedback.startswith("已立案")
    assert clue.case.title == "燃气表安装在卧室里" and clue.consent_how == "phone"
    verbs = set(CaseEvent.objects.filter(case=clue.case).values_list("verb", flat=True))
    assert {"case.clue_transferred", "case.clue_feedback"} <= verbs
    client.force_login(clue.created_by)
    page = client.get(f"/staff/clues/{clue.pk}/")
    assert page.status_code == 200 and "公益诉讼" in page.content.decode()


def test_without_the_demo_cases_nothing_is_forwarded(db):
    assert demo.load() == {}
    assert not ClueTransfer.objects.exists()

"""The case timeline is a hash chain: an edited or deleted event is found by `liaison audit verify`,
which names it (core/chain.py, docs/design.md rule 13)."""

from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import translation

from liaison.cases.models import Case, CaseEvent
from liaison.core import chain
from liaison.core.events import record_event

from ..concurrency import race


@pytest.fixture(autouse=True)
def _english():
    """The command speaks the site's language; these tests read its English wording."""
    with translation.override("en"):
        yield


def verify(*args) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def broken(*args) -> tuple[str, CommandError]:
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", *args, stdout=out)
    return out.getvalue(), raised.value


def sql(statement: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_every_event_is_chained_to_the_one_before(flow):
    case = flow.to("accepted")
    events = list(CaseEvent.objects.filter(case=case).order_by("id"))
    assert len(events) >= 2
    assert events[0].prev_hash == ""
    for before, after in pairwise(events):
        assert len(after.hash) == 64 and after.prev_hash == before.hash
        assert after.hash == chain.digest(after)


def test_untouched_chains_pass(flow):
    case = flow.to("accepted")
    flow.submit()
    assert "intact" in verify("--case", case.tracking_number)
    assert "intact" in verify("--region", "330106000000")
    assert "intact" in verify("--all")


def test_a_note_edited_in_sql_is_named(flow):
    case = flow.to("accepted")
    other = flow.to("accepted")
    victim = CaseEvent.objects.filter(case=case).order_by("id")[1]
    sql("UPDATE cases_caseevent SET note = %s WHERE id = %s", ["改过的备注", victim.pk])

    out, error = broken("--case", case.tracking_number)
    assert error.returncode == 1
    assert f"cases.caseevent aggregate {case.pk} event {victim.pk}: content changed" in out
    assert f"expected {victim.hash}" in out
    # The other case's chain is still whole, and --all names only the edited one.
    assert "intact" in verify("--case", other.tracking_number)
    out, _ = broken("--all")
    assert out.count("BROKEN") == 1 and f"event {victim.pk}:" in out


def test_data_edited_in_sql_is_named(flow):
    case = flow.to("accepted")
    victim = CaseEvent.objects.filter(case=case).order_by("id").first()
    sql("UPDATE cases_caseevent SET data = %s WHERE id = %s", ['{"forged": true}', victim.pk])
    out, _ = broken("--region", "330106001000")
    assert f"event {victim.pk}: content changed" in out


def test_a_deleted_event_breaks_the_link_of_the_next(flow):
    case = flow.to("assigned")
    first, second, third = CaseEvent.objects.filter(case=case).order_by("id")[:3]
    sql("DELETE FROM cases_caseevent WHERE id = %s", [second.pk])
    out, error = broken("--case", case.tracking_number)
    assert error.returncode == 1
    assert f"event {third.pk}: link to the previous event" in out
    assert f"expected {first.hash}, found {second.hash}" in out


def test_a_rehashed_row_still_breaks_the_link_after_it(flow):
    # Whoever edits a row and writes its new hash too must rewrite every later row as well.
    case = flow.to("accepted")
    first, second = CaseEvent.objects.filter(case=case).order_by("id")[:2]
    first.note = "伪造"
    sql(
        "UPDATE cases_caseevent SET note = %s, hash = %s WHERE id = %s",
        [first.note, chain.digest(first), first.pk],
    )
    out, _ = broken("--case", case.tracking_number)
    assert f"event {second.pk}: link to the previous event" in out


def test_rows_from_before_the_chain_are_skipped_but_not_after_it(flow, accounts):
    case = flow.submit()
    # A row written before the chain existed: no hash. The chain starts after it.
    sql("UPDATE cases_caseevent SET hash = '', prev_hash = '' WHERE case_id = %s", [case.pk])
    record_event(case, "case.noted", actor=accounts.station_a_staff, note="新的")
    newest = CaseEvent.objects.filter(case=case).latest("id")
    assert newest.prev_hash == "" and newest.hash
    assert "intact" in verify("--case", case.tracking_number)

    # Blanking the hash of a sealed row does not make it legacy.
    record_event(case, "case.noted", actor=accounts.station_a_staff, note="再一条")
    last = CaseEvent.objects.filter(case=case).latest("id")
    sql("UPDATE cases_caseevent SET hash = '' WHERE id = %s", [last.pk])
    out, _ = broken("--case", case.tracking_number)
    assert f"event {last.pk}: unhashed event after hashed ones" in out


def test_unknown_case_or_region_is_refused_with_exit_code_2(db, district):
    with pytest.raises(CommandError, match="No case has the number X-1") as raised:
        verify("--case", "X-1")
    assert raised.value.returncode == 2
    with pytest.raises(CommandError, match="No region has the code 999") as raised:
        verify("--region", "999")
    assert raised.value.returncode == 2


def test_verify_needs_a_scope(db):
    with pytest.raises(CommandError):
        verify()


def test_record_event_keeps_its_behaviour(flow, accounts):
    case = flow.submit()
    event = record_event(
        case, "case.noted", actor=accounts.station_a_staff, note="n", data={"k": 1.0}
    )
    stored = CaseEvent.objects.get(pk=event.pk)
    assert stored.note == "n" and stored.data == {"k": 1.0} and stored.case_id == case.pk
    assert stored.actor_label and stored.created_at == event.created_at
    assert stored.hash == event.hash == chain.digest(stored)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize("repeat", range(3))
def test_two_writers_of_one_timeline_at_once(transactional_db, flow, accounts, repeat):
    """record_event without the case's row lock (a writer that forgot it): still one chain."""
    case = flow.submit()

    def write(note):
        def work():
            with transaction.atomic():
                return record_event(
                    Case.objects.get(pk=case.pk), "case.noted", actor=None, note=note
                )

        return work

    results = race(write("甲"), write("乙"), write("丙"))
    assert not [r for r in results if isinstance(r, Exception)], results
    events = list(CaseEvent.objects.filter(case=case).order_by("id"))
    assert [e.prev_hash for e in events] == ["", *(e.hash for e in events[:-1])]
    assert "intact" in verify("--case", case.tracking_number)

"""Large exports run in the worker (liaison/core/exports.py): the page shows progress and then a
download link, only the account that asked (and administrators) downloads, the file expires, and
each step is in the audit trail."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from liaison.core import exports
from liaison.core.models import AuditEvent, ExportJob

from .staff_pages import PHONE_CALL, signed_in

EXPORT = "/staff/exports/cases/?tab=all"


@pytest.fixture
def large(settings):
    settings.EXPORT_DIRECT_MAX_ROWS = 1


def verbs() -> list[str]:
    return list(
        AuditEvent.objects.filter(verb__startswith="export.").values_list("verb", flat=True)
    )


def requested(client, flow, accounts, fmt="xlsx") -> ExportJob:
    for _ in range(2):
        flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    response = client.post(EXPORT, {"format": fmt})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/exports/{job.pk}/"
    return job


def test_large_export_is_queued_with_progress_page(client, flow, accounts, large):
    job = requested(client, flow, accounts)
    assert (job.state, job.total, job.owner) == ("queued", 2, accounts.station_a_staff)
    assert verbs() == ["export.requested"]
    page = client.get(f"/staff/exports/{job.pk}/").content.decode()
    assert "data-export-pending" in page and 'id="export-refresh"' in page
    assert "export-progress.js" in page  # reloads itself; the refresh link works without JS
    assert "export-download" not in page
    ExportJob.objects.filter(pk=job.pk).update(state="running", done=1)
    running = client.get(f"/staff/exports/{job.pk}/").content.decode()
    assert 'value="1"' in running and "1 / 2" in running


def test_worker_writes_the_file_and_the_owner_downloads_it(client, flow, accounts, large):
    job = requested(client, flow, accounts)
    call_command("worker", "--once")
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 2, 2)
    assert job.expires_at > timezone.now()
    page = client.get(f"/staff/exports/{job.pk}/").content.decode()
    assert 'id="export-download"' in page and "data-export-pending" not in page
    response = client.get(f"/staff/exports/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    # The header in the language of the request that asked for it, then the two rows.
    assert len(rows) == 3 and rows[0][0] == "Tracking number"
    made = AuditEvent.objects.get(verb="export.made")
    assert (made.actor, made.data["rows"], made.object_id) == (job.owner, 2, str(job.pk))
    assert verbs() == ["export.downloaded", "export.made", "export.requested"]


def test_only_the_owner_and_administrators_see_the_job(client, flow, accounts, large):
    job = requested(client, flow, accounts, fmt="csv")
    call_command("worker", "--once")
    for other in (accounts.station_b_staff, accounts.street_a_committee):
        signed_in(client, other)
        assert client.get(f"/staff/exports/{job.pk}/").status_code == 404
        assert client.get(f"/staff/exports/{job.pk}/download/").status_code == 404
    signed_in(client, accounts.administrator)
    download = client.get(f"/staff/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\xef\xbb\xbf")


def test_file_expires(client, flow, accounts, large):
    job = requested(client, flow, accounts)
    call_command("worker", "--once")
    job.refresh_from_db()
    path = job.file.path
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert exports.expire() == 1
    job.refresh_from_db()
    assert job.state == "expired" and not job.file
    assert not Path(path).exists()
    assert client.get(f"/staff/exports/{job.pk}/download/").status_code == 410
    assert "export.expired" in verbs()


def test_a_job_not_ready_is_not_downloaded(client, flow, accounts, large):
    job = requested(client, flow, accounts)
    assert client.get(f"/staff/exports/{job.pk}/download/").status_code == 409


def test_a_stale_running_job_is_taken_up_again(client, flow, accounts, large):
    job = requested(client, flow, accounts)
    ExportJob.objects.filter(pk=job.pk).update(
        state="running", heartbeat_at=timezone.now() - timedelta(minutes=1)
    )
    assert exports.claim_next() is None  # another worker is still on it
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert exports.claim_next().pk == job.pk


def test_filters_no_longer_valid_fail_the_job(client, flow, accounts, district, large):
    """The worker reads the filters again as the owner: a station the account no longer
    reaches fails the job (audited) instead of exporting it."""
    for _ in range(2):
        flow.submit(**PHONE_CALL)
    signed_in(client, accounts.county_committee)
    client.post(f"{EXPORT}&station={district.station_a.pk}", {"format": "csv"})
    accounts.county_committee.region = district.street_b
    accounts.county_committee.save(update_fields=["region"])
    call_command("worker", "--once")
    job = ExportJob.objects.get()
    assert job.state == "failed" and "station" in job.error.lower()
    assert "export.failed" in verbs()
    page = client.get(f"/staff/exports/{job.pk}/").content.decode()
    assert "The export failed" in page


def test_my_exports_lists_only_mine(client, flow, accounts, large):
    job = requested(client, flow, accounts)
    assert f'href="/staff/exports/{job.pk}/"' in client.get("/staff/exports/").content.decode()
    signed_in(client, accounts.station_b_staff)
    assert f"/staff/exports/{job.pk}/" not in client.get("/staff/exports/").content.decode()

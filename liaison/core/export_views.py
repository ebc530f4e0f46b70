"""The export pages (docs/exports.md): start an export of a list with its filters, follow a
large one the worker writes, download the file. The lists themselves are in each app's
`exports.py` (core/exports.py)."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from . import audit, dbrouter, exports
from .models import ExportJob
from .permissions import may_at_all, restrict


def _private(response):
    # Personal data (masked, but still): never kept by a shared cache or the browser's disk cache.
    response["Cache-Control"] = "private, no-store"
    return response


def _refused(request, errors, status=400):
    return render(request, "core/exports/refused.html", {"errors": errors}, status=status)


@login_required
@require_POST
def start(request, kind):
    """POST to /staff/exports/<list>/?<the list's filters> with format=xlsx or csv."""
    export = exports.get(kind)
    if export is None or not may_at_all(request.user, export.permission):
        raise Http404(gettext("No such list to export."))
    fmt = request.POST.get("format", "")
    if fmt not in exports.FORMATS:
        return _refused(request, {"format": [gettext("Choose Excel (xlsx) or CSV.")]})
    try:
        prepared = export.prepare(request.user, request.GET)
    except exports.Refused as refused:
        return _refused(request, refused.errors)
    with dbrouter.reads_from_replica():
        count = prepared.rows.count()
    if exports.is_large(count):
        params = {key: request.GET[key] for key in request.GET}
        job = exports.queue_export(request.user, export, fmt, params, prepared, count)
        return redirect("exports:job", pk=job.pk)
    exports.record_made(request.user, export, fmt, prepared, count)
    name = exports.download_name(export, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(
            # Streamed after the view returned: the rows are read on the replica chosen now.
            exports.csv_chunks(prepared.columns, dbrouter.on_replica(exports.iterate(prepared))),
            content_type=exports.FORMATS["csv"],
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return _private(response)
    # A zip cannot be streamed as it is written: the workbook goes to a temporary file first.
    target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    with dbrouter.reads_from_replica():
        exports.write_xlsx(prepared.columns, exports.iterate(prepared), target)
    target.seek(0)
    response = FileResponse(
        target, as_attachment=True, filename=name, content_type=exports.FORMATS["xlsx"]
    )
    return _private(response)


def _job_or_404(user, pk) -> ExportJob:
    job = restrict(ExportJob.objects.all(), user).filter(pk=pk).first()
    if job is None:
        raise Http404(gettext("No such export."))
    return job


@login_required
def job(request, pk):
    """A large export's progress; reloads itself with JavaScript, else a refresh link."""
    job = _job_or_404(request.user, pk)
    pending = job.state in (ExportJob.State.QUEUED, ExportJob.State.RUNNING)
    return _private(render(request, "core/exports/job.html", {"job": job, "pending": pending}))


@login_required
def mine(request):
    """The account's own recent exports."""
    jobs = ExportJob.objects.filter(owner=request.user).order_by("-created_at", "-id")[:20]
    return _private(render(request, "core/exports/mine.html", {"jobs": jobs}))


@login_required
def download(request, pk):
    job = _job_or_404(request.user, pk)
    if job.state != ExportJob.State.DONE or not job.file:
        response = render(
            request,
            "core/exports/job.html",
            {"job": job, "pending": False, "error": gettext("This file is not available.")},
            status=410 if job.state == ExportJob.State.EXPIRED else 409,
        )
        return _private(response)
    export = exports.get(job.kind)
    audit.record("export.downloaded", actor=request.user, obj=job, list=job.kind)
    name = exports.download_name(export, job.format) if export else job.file.name
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=exports.FORMATS[job.format],
    )
    return _private(response)

"""Roster import from the admin (.xlsx / .csv, or a .zip with the deputies' photos).

Upload → dry run (counts and every problem, by row and column) → "Confirm import". Between the
two steps the upload waits on the server under a random token kept in the session: the browser
never sends validated data back, and the confirmed import validates everything again.
"""

import io
import re
import secrets
import time

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import importing

SESSION_KEY = "directory_import"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
PENDING_MAX_AGE = 24 * 3600  # abandoned uploads are removed after a day
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"))
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        help_text=gettext_lazy(
            "An .xlsx or .csv roster; for deputies with photos, a .zip holding the roster and "
            "the photo files."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (name, kind.label.capitalize()) for name, kind in importing.KINDS.items()
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
                }
            )
        self.content = upload.read()
        try:
            importing.check_upload(self.content, upload.name)
        except importing.ImportFileError as e:
            raise ValidationError(e.message) from None
        return upload


def _pending_dir():
    folder = settings.VAR_DIR / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _keep(request, kind: str, filename: str, content: bytes) -> str:
    """Keep a checked upload until it is confirmed; return the token that names it."""
    folder = _pending_dir()
    for old in folder.glob("*.upload"):
        if old.stat().st_mtime < time.time() - PENDING_MAX_AGE:
            old.unlink(missing_ok=True)
    _discard(request)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.upload").write_bytes(content)
    request.session[SESSION_KEY] = {"token": token, "kind": kind, "filename": filename}
    return token


def _take(request) -> dict | None:
    """The pending upload this session confirms (removed from the server), or None."""
    pending = request.session.pop(SESSION_KEY, None)
    token = request.POST.get("token", "")
    if not pending or token != pending["token"] or not TOKEN_RE.match(token):
        return None
    path = _pending_dir() / f"{token}.upload"
    if not path.is_file():
        return None
    pending["content"] = path.read_bytes()
    path.unlink(missing_ok=True)
    return pending


def _discard(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending and TOKEN_RE.match(pending.get("token", "")):
        (_pending_dir() / f"{pending['token']}.upload").unlink(missing_ok=True)


def _render(request, *, kind: str, form=None, report=None, token=None, status=200):
    spec = importing.KINDS.get(kind) or importing.KINDS["region"]
    context = {
        **admin.site.each_context(request),
        "title": _("Import %(things)s") % {"things": spec.label},
        "opts": spec.model._meta,
        "kind": spec,
        "kinds": importing.KINDS.values(),
        "form": form,
        "report": report,
        "token": token,
        "max_size": settings.IMPORT_MAX_BYTES,
    }
    return TemplateResponse(request, "admin/directory/import.html", context, status=status)


def _template_download(kind: str):
    if kind not in importing.KINDS:
        raise Http404
    return FileResponse(
        io.BytesIO(importing.template_workbook(kind)),
        as_attachment=True,
        filename=f"liaison-{kind}-template.xlsx",
        content_type=XLSX_TYPE,
    )


def _confirm(request):
    pending = _take(request)
    if pending is None:
        messages.error(request, _("This import has expired; please upload the file again."))
        return redirect(reverse("directory-import"))
    kind = pending["kind"]
    report = importing.import_roster(
        kind,
        pending["content"],
        filename=pending["filename"],
        actor=request.user,
        dry_run=False,
    )
    if not report.ok:  # the directory changed since the dry run
        return _render(request, kind=kind, report=report, status=409)
    messages.success(
        request,
        _(
            "Imported “%(filename)s”: %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged."
        )
        % {
            "filename": report.filename,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    )
    return redirect(reverse(f"admin:directory_{kind}_changelist"))


def import_view(request):
    """Only administrators import: a roster rewrites a whole district's directory."""
    if not request.user.is_administrator:
        raise PermissionDenied
    if "template" in request.GET:
        return _template_download(request.GET["template"])
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)

    kind = request.GET.get("kind", "")
    if request.method != "POST":
        form = ImportForm(initial={"kind": kind if kind in importing.KINDS else "region"})
        return _render(request, kind=kind, form=form)

    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, kind=request.POST.get("kind", kind), form=form, status=400)
    kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
    report = importing.import_roster(
        kind, form.content, filename=upload.name, actor=request.user, dry_run=True
    )
    token = _keep(request, kind, upload.name, form.content) if report.ok else None
    return _render(request, kind=kind, report=report, token=token)

"""Performance record pages (thin). Staff: /staff/records/ — the 三个一 overview, a deputy's record
and annual report, entries and their confirmation; a deputy's own record at /staff/records/me/.
Every read starts from restrict() (selectors.py); every write is a service call."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from liaison.accounts.models import Role
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.inputs import ascii_int
from liaison.core.permissions import may, may_at_all, require
from liaison.suggestions.selectors import visible_suggestions

from . import record as records
from . import report, selectors, services, three
from .forms import EntryForm, OverviewForm, RejectForm, YearForm
from .models import EntryStatus, RecordPhoto
from .workflow import MACHINE, Action


def _apply_errors(invalid: ValidationError, form) -> None:
    by_field = invalid.message_dict if hasattr(invalid, "error_dict") else {None: invalid.messages}
    for field, errors in by_field.items():
        form.add_error(field if field in form.fields else None, errors)


def _deputy_or_404(user, pk):
    deputy = selectors.visible_deputies(user).filter(pk=pk).first()
    if deputy is None:
        raise Http404(gettext("No deputy with this number in your scope."))
    return deputy


def _entry_or_404(user, pk):
    entry = selectors.visible_entries(user).filter(pk=pk).first()
    if entry is None:
        raise Http404(gettext("No record entry with this number in your scope."))
    return entry


def _looks_after_deputies(user) -> bool:
    """The overview of deputies is for the staff who look after them: the roles of the
    "recordentry.change" row (which deputies: `selectors.visible_deputies`)."""
    return may_at_all(user, "recordentry.change")


def _may_review(user, entry) -> bool:
    return MACHINE.allows(entry.status, Action.CONFIRM) and may(user, "recordentry.change", entry)


# --- 三个一 overview ----------------------------------------------------------------------------


@login_required
def overview(request):
    """Station and committee staff: their deputies' 三个一 for a year, who is behind."""
    user = request.user
    if user.role == Role.DEPUTY:
        return redirect("records:me")
    if not _looks_after_deputies(user):
        raise PermissionDenied(
            gettext("Only station and committee staff see the deputies' records.")
        )
    form = OverviewForm(request.GET, user=user)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        query = selectors.OverviewQuery(
            year=data["year"] or three.today().year,
            q=data["q"].strip(),
            station=data["station"],
            behind=data["behind"],
            sort=data["sort"] or "name",
            page=request.GET.get("page"),
        )
    else:
        query, status = selectors.OverviewQuery(year=three.today().year), 400
    page, rows = selectors.overview(user, query)
    kept = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    context = {
        "form": form,
        "query": query,
        "page_obj": page,
        "rows": rows,
        "querystring": urlencode(kept),
        "months": range(1, 13),
        "pending_count": selectors.visible_entries(user).filter(status=EntryStatus.PENDING).count(),
        "may_add": may_at_all(user, "deputy.speak_for"),
    }
    return render(request, "records/staff/overview.html", context, status=status)


# --- one deputy's record ------------------------------------------------------------------------


def _record_page(request, deputy, *, own: bool):
    form = YearForm(request.GET)
    year = form.chosen_year()
    record = records.build_record(deputy, year)
    first, after = three.date_range(year)
    # Entries that do not count (yet): shown to whoever may see them, with their status.
    waiting = (
        selectors.visible_entries(request.user)
        .filter(deputy=deputy, date__gte=first, date__lt=after)
        .exclude(status=EntryStatus.CONFIRMED)
        .order_by("-date", "-pk")
    )
    # Suggestions link to their page only for an account that may open it (one query).
    openable = set(
        visible_suggestions(request.user)
        .filter(pk__in=[suggestion.pk for suggestion in record.suggestions])
        .values_list("pk", flat=True)
    )
    context = {
        "deputy": deputy,
        "record": record,
        "openable_suggestions": openable,
        "progress": record.progress,
        "form": form,
        "year": year,
        "own": own,
        "waiting": waiting,
        "may_add": may(request.user, "deputy.speak_for", deputy),
        "months": range(1, 13),
    }
    return render(
        request, "records/staff/record.html", context, status=200 if form.is_valid() else 400
    )


@login_required
def my_record(request):
    """履职日记 — the deputy's own record."""
    user = request.user
    if user.role != Role.DEPUTY or not user.deputy_id:
        if _looks_after_deputies(user):
            return redirect("records:overview")
        raise PermissionDenied(gettext("Only deputies have a record of their own."))
    return _record_page(request, user.deputy, own=True)


@login_required
def deputy_record(request, pk):
    deputy = _deputy_or_404(request.user, pk)
    return _record_page(request, deputy, own=request.user.deputy_id == deputy.pk)


@login_required
def annual_report(request, pk):
    """述职报告 (PDF) for the year asked, for whoever may see the deputy's record."""
    deputy = _deputy_or_404(request.user, pk)
    form = YearForm(request.GET)
    if not form.is_valid():
        return HttpResponse(gettext("Choose a year from the list."), status=400)
    year = form.chosen_year()
    pdf = report.annual_report_pdf(records.build_record(deputy, year))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{deputy.code}-{year}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- entries ------------------------------------------------------------------------------------


@login_required
def entry_new(request):
    user = request.user
    if not may_at_all(user, "deputy.speak_for"):  # which deputies: EntryForm
        raise PermissionDenied(gettext("Your account may not add record entries."))
    initial = {"date": three.today()}
    if (deputy := ascii_int(request.GET.get("deputy"))) is not None:
        initial["deputy"] = deputy
    form = EntryForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            deputy = user.deputy if user.role == Role.DEPUTY else data["deputy"]
            try:
                entry = services.add_entry(
                    actor=user,
                    deputy=deputy,
                    kind=data["kind"],
                    date=data["date"],
                    title=data["title"],
                    description=data["description"],
                    photos=data["photos"],
                )
            except NotAllowed as refused:
                raise PermissionDenied(str(refused.message)) from refused
            except ValidationError as invalid:
                _apply_errors(invalid, form)
            else:
                messages.success(request, gettext("Entry saved. It counts once staff confirm it."))
                return redirect("records:entry-detail", pk=entry.pk)
    return render(request, "records/staff/entry_form.html", {"form": form}, status=status)


def _entry_page(request, entry, *, reject_form=None, error="", status=200):
    context = {
        "entry": entry,
        "photos": entry.photos.all(),
        "may_review": _may_review(request.user, entry),
        "reject_form": reject_form or RejectForm(),
        "error": error,
    }
    return render(request, "records/staff/entry_detail.html", context, status=status)


@login_required
def entry_detail(request, pk):
    return _entry_page(request, _entry_or_404(request.user, pk))


@login_required
@require_POST
def entry_decide(request, pk, decision):
    entry = _entry_or_404(request.user, pk)
    form = RejectForm(request.POST) if decision == "reject" else None
    try:
        if decision == "confirm":
            services.confirm_entry(entry, actor=request.user)
            messages.success(request, gettext("Entry confirmed: it now counts in the record."))
        elif decision == "reject":
            if not form.is_valid():
                message = gettext("Your account may not confirm entries.")
                require(request.user, "recordentry.change", entry, message)
                return _entry_page(request, entry, reject_form=form, status=400)
            services.reject_entry(entry, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, gettext("Entry rejected; the deputy is told why."))
        else:
            raise Http404(gettext("No such action."))
    except (NotAllowed, TransitionRefused) as refused:
        code = 403 if isinstance(refused, NotAllowed) else 409
        fresh = _entry_or_404(request.user, pk)
        return _entry_page(request, fresh, error=str(refused.message), status=code)
    except ValidationError as invalid:
        form = form or RejectForm(request.POST)
        _apply_errors(invalid, form)
        return _entry_page(request, entry, reject_form=form, status=400)
    return redirect("records:entry-detail", pk=entry.pk)


@login_required
def entry_list(request):
    """Entries in the account's scope, those awaiting confirmation first by default."""
    user = request.user
    # Departments have no records (403 like the overview), not an always-empty list.
    if not may_at_all(user, "recordentry.view"):
        raise PermissionDenied(
            gettext("Only deputies and station and committee staff see entries.")
        )
    wanted = request.GET.get("status", EntryStatus.PENDING)
    if wanted not in EntryStatus.values and wanted != "all":
        return HttpResponse(gettext("Unknown status."), status=400)
    entries = selectors.visible_entries(user).order_by("-date", "-pk")
    if wanted != "all":
        entries = entries.filter(status=wanted)
    page = Paginator(entries, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "wanted": wanted,
        "statuses": [*EntryStatus.choices, ("all", gettext("All"))],
        "querystring": urlencode({"status": wanted}),
    }
    return render(request, "records/staff/entry_list.html", context)


@login_required
def photo(request, pk):
    """An evidence photo, for whoever may see its entry (restrict())."""
    item = RecordPhoto.objects.filter(
        pk=pk, entry__in=selectors.visible_entries(request.user).values("pk")
    ).first()
    if item is None:
        raise Http404(gettext("No such photo."))
    response = FileResponse(item.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response

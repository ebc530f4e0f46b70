"""Staff pages of receptions (thin): the visits of a station, registering one, its page and the
printable registration sheet. Visits come from `selectors.visible_visits` (restrict()); one out of
scope is a 404; deputies and department handlers get 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext

from liaison.cases.staff_entry import grouped
from liaison.core import registry
from liaison.core.errors import NotAllowed
from liaison.core.inputs import ascii_int
from liaison.core.permissions import may, may_at_all
from liaison.core.privacy import Surface

from . import selectors, services
from .forms import MatterFormSet, VisitFilter, VisitForm

PAGE_SIZE = 25
PREFIX = "matters"


def _staff_only(user):
    if not may_at_all(user, "case.enter"):
        raise PermissionDenied(gettext("Only station and committee staff register visits."))


def _visit_or_404(user, pk):
    visit = selectors.visible_visits(user).filter(pk=pk).first()
    if visit is None:
        raise Http404(gettext("No visit with this number in your scope."))
    return visit


@login_required
def visit_list(request):
    """接待登记 — the scope's visits, filtered by period, station or region and searched."""
    _staff_only(request.user)
    form = VisitFilter(request.GET, user=request.user)
    visits, status = selectors.visible_visits(request.user), 200
    if form.is_valid():
        visits = form.visits(visits)
    else:
        visits, status = visits.none(), 400
    visits = visits.prefetch_related("deputies", "matters")
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    context = {
        "page_obj": page,
        "form": form,
        "querystring": urlencode(kept),
        "filtered": any(k != "sort" for k, _v in kept),
    }
    return render(request, "receptions/staff/list.html", context, status=status)


def _with_one_more_row(data):
    """ "Add another matter" without JavaScript: the same form, one more blank row."""
    data = data.copy()
    key = f"{PREFIX}-TOTAL_FORMS"
    total = ascii_int(data.get(key), 1)
    data[key] = str(min(max(total, 1) + 1, services.MAX_MATTERS))
    return data


def _apply_errors(invalid: ValidationError, form, formset):
    for key, errors in invalid.message_dict.items():
        parts = key.split(".")
        if parts[0] == PREFIX and len(parts) == 3 and int(parts[1]) < len(formset.forms):
            target, field = formset.forms[int(parts[1])], parts[2]
        else:
            target, field = form, key
        target.add_error(field if field in target.fields else None, errors)


@login_required
def visit_new(request):
    """接待选民登记 — the visitor, the receiving deputies and each matter raised."""
    user = request.user
    _staff_only(user)
    if request.method != "POST":
        # E.g. ?appointment=<id>: the booking's citizen, deputy and topic (liaison/appointments).
        initial, matters = {}, None
        for prefill in registry.visit_prefill.functions():
            found = prefill(request)
            if found is not None:
                initial, matters = found
                break
        context = {
            "form": VisitForm(user=user, initial=initial),
            "formset": MatterFormSet(prefix=PREFIX, initial=matters),
        }
        return render(request, "receptions/staff/new.html", context)
    if "add_matter" in request.POST:
        data = _with_one_more_row(request.POST)
        form, formset = VisitForm(data, user=user), MatterFormSet(data, prefix=PREFIX)
        context = {"form": form, "formset": formset, "unchecked": True}
        return render(request, "receptions/staff/new.html", context)
    form, formset = VisitForm(request.POST, user=user), MatterFormSet(request.POST, prefix=PREFIX)
    if form.is_valid() & formset.is_valid():  # `&`: validate both, show every error at once
        data = form.cleaned_data
        try:
            visit = services.register_visit(
                actor=user,
                station=data["station"],
                received_on=data["received_on"],
                visitor_name=data["visitor_name"],
                visitor_phone=data["visitor_phone"],
                answer_mobile=data["answer_mobile"],
                visitor_address=data["visitor_address"],
                deputies=list(data["deputies"]),
                notes=data["notes"],
                confidential=data["confidential"],
                public_consent=data["public_consent"],
                privacy_accepted=data["privacy_accepted"],
                matters=formset.matters(),
            )
        except NotAllowed as refused:
            raise PermissionDenied(str(refused.message)) from refused
        except ValidationError as invalid:
            _apply_errors(invalid, form, formset)
        else:
            for registered in registry.visit_registered.functions():
                registered(request, visit)
            numbers = ", ".join(grouped(m.case.tracking_number) for m in visit.matters.all())
            messages.success(
                request,
                gettext("Visit registered. Tracking numbers for the visitor: %(numbers)s")
                % {"numbers": numbers},
            )
            return redirect("receptions:visit-detail", pk=visit.pk)
    context = {"form": form, "formset": formset}
    return render(request, "receptions/staff/new.html", context, status=400)


def _visit_context(request, pk, *, full_phone: bool):
    _staff_only(request.user)
    visit = _visit_or_404(request.user, pk)
    matters = visit.matters.select_related("case", "case__category").order_by("position")
    if full_phone:  # the printed sheet (接待选民登记表)
        phone = selectors.visitor_phone(visit, request.user, surface=Surface.VISIT_SHEET)
    else:
        phone = visit.masked_phone
    return {
        "visit": visit,
        "deputies": visit.deputies.order_by("name"),
        "matters": matters,
        "phone": phone,
        "may_see_phone": may(request.user, "visit.see_full_phone", visit),
    }


@login_required
def visit_detail(request, pk):
    return render(
        request, "receptions/staff/detail.html", _visit_context(request, pk, full_phone=False)
    )


@login_required
def visit_print(request, pk):
    """The registration sheet the station files (A4, no navigation)."""
    return render(
        request, "receptions/staff/print.html", _visit_context(request, pk, full_phone=True)
    )

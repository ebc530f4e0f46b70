"""The visit registration form (接待登记) opened from a booking: ?appointment=<id> fills in the
citizen, the deputy and the topic, and the registered visit marks the booking attended. Registered
with the receptions' form through core's registry (receptions sits below appointments)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from liaison.cases.models import Case
from liaison.core import registry
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.inputs import ascii_int
from liaison.core.permissions import may
from liaison.core.privacy import Surface

from . import selectors, services


@registry.visit_prefill.register
def registration_initial(request):
    """Initial data of the registration form for ?appointment=<id>: the citizen's name, phone
    (only for staff who may see it — the reveal is logged), deputy and topic."""
    pk = ascii_int(request.GET.get("appointment"))
    if pk is None:
        return None
    appointment = selectors.visible_appointments(request.user).filter(pk=pk).first()
    if appointment is None:
        raise Http404(_("No booking with this number in your scope."))
    phone = ""
    if may(request.user, "appointment.see_full_phone", appointment):
        phone = selectors.citizen_phone(appointment, request.user, surface=Surface.VISIT_FORM)
    initial = {
        "station": appointment.station_id,
        "visitor_name": appointment.name,
        "visitor_phone": phone,
        "deputies": [appointment.deputy_id] if appointment.deputy_id else [],
        "notes": _("Booked online, booking %(code)s.") % {"code": appointment.code},
    }
    title_max = Case._meta.get_field("title").max_length
    matters = [{"title": appointment.topic[:title_max], "description": appointment.topic}]
    return initial, matters


@registry.visit_registered.register
def link_registered_visit(request, visit) -> None:
    """After the visit is registered from ?appointment=<id>: link it and mark it attended. A
    booking changed meanwhile does not undo the visit; staff are told."""
    pk = ascii_int(request.GET.get("appointment"))
    if pk is None:
        return
    appointment = selectors.visible_appointments(request.user).filter(pk=pk).first()
    if appointment is None:
        return
    try:
        with transaction.atomic():
            services.mark_attended(appointment, visit, actor=request.user)
    except (TransitionRefused, NotAllowed, ValidationError) as refused:
        message = getattr(refused, "message", None) or " ".join(refused.messages)
        messages.warning(
            request,
            _("The visit is registered, but the booking was not marked: %(why)s")
            % {"why": message},
        )

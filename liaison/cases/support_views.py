"""The public case page and its 附议 form (support.py): plain forms in two steps, phone then code,
that work without JavaScript."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from liaison.core import ratelimit
from liaison.core.errors import TransitionRefused

from . import links, support, tracking
from .models import Case
from .services.support import takes_support


class SupportPhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Your mobile phone"),
        max_length=20,
        help_text=gettext_lazy(
            "We text you a code: one support per phone. We text you once more when the matter "
            "is answered; your number is never shown to anyone."
        ),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class SupportForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Your mobile phone"), widget=forms.HiddenInput, max_length=20
    )
    code = forms.CharField(
        label=gettext_lazy("Code from the SMS"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _case(key: str) -> Case:
    case = support.find_public_case(key)
    if case is None:
        raise Http404
    return case


def _page(request, case: Case, form=None, *, status=200, refused: str = ""):
    context = {
        "case": case,
        "key": links.public_key(case),
        "entries": [
            {**entry, "note": ""}  # the notes are letters to the citizen: they may name them
            for entry in tracking.public_timeline(case, other_citizens=True)
        ],
        "open": takes_support(case),
        "form": form or SupportPhoneForm(),
        "refused": refused,
    }
    return render(request, "cases/public/case.html", context, status=status)


@require_GET
def public_case(request, key):
    """A case the citizen agreed to publish: what it is about and how far it is, no person."""
    return _page(request, _case(key))


def _add_errors(form, invalid: ValidationError) -> None:
    for field, errors in invalid.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@never_cache
@require_POST
def support_code(request, key):
    """Step 1: the supporter's mobile gets a code (or is told it counts already)."""
    case = _case(key)
    ip = ratelimit.client_ip(request)
    if ratelimit.CODE_REQUESTS_PER_IP.exceeded(ip):
        return render(request, "cases/public/too_many.html", status=429)
    form = SupportPhoneForm(request.POST)
    if form.is_valid():
        ratelimit.CODE_REQUESTS_PER_IP.hit(ip)
        try:
            phone, code = support.send_code(case, form.cleaned_data["phone"])
        except TransitionRefused as refused:
            return _page(request, case, form, status=409, refused=str(refused.message))
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error("phone" if field in ("phone", "code") else None, errors)
        else:
            context = {"case": case, "key": links.public_key(case)}
            context["form"] = SupportForm(initial={"phone": phone})
            if settings.DEMO_MODE:
                context["demo_code"] = code
            return render(request, "cases/public/support.html", context)
    return _page(request, case, form, status=400)


@never_cache
@require_POST
def support_confirm(request, key):
    """Step 2: the code; the support is counted."""
    case = _case(key)
    form = SupportForm(request.POST)
    if form.is_valid():
        try:
            support.support(case, form.cleaned_data["phone"], form.cleaned_data["code"])
        except TransitionRefused as refused:
            return _page(request, case, status=409, refused=str(refused.message))
        except ValidationError as invalid:
            if "phone" in invalid.message_dict:  # counted already: nothing to retry
                return _page(request, case, status=409, refused=invalid.message_dict["phone"][0])
            _add_errors(form, invalid)
        else:
            messages.success(request, _("Thank you. Your support has been counted."))
            return redirect("cases:public-case", key=links.public_key(case))
    context = {"case": case, "key": links.public_key(case), "form": form}
    return render(request, "cases/public/support.html", context, status=400)

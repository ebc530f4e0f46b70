"""/accounts/tokens/ — staff create and revoke their personal API tokens; administrators also
application keys (for the 12345 hotline, a WeChat mini-program, an Open311 client)."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from liaison.accounts.models import Role

from .keys import create_key, revoke_key
from .models import ApiKey, Scope

PERSONAL_SCOPES = [Scope.STAFF, Scope.READ]
APPLICATION_SCOPES = [Scope.SUBMIT, Scope.READ]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the key is for."))
    application = forms.BooleanField(
        label=_("Application key (acts as no account)"), required=False
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    # A token acts as the account without a password or a second factor: asking the password
    # again keeps a session left open from minting one, and each wrong password counts towards
    # the login lockout like a wrong login (docs/deployment.md).
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, administrator: bool, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if not administrator:
            del self.fields["application"]
            self.fields["scopes"].choices = [c for c in Scope.choices if c[0] in PERSONAL_SCOPES]

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        confirmed = authenticate(self.request, username=user.get_username(), password=password)
        if confirmed is None or confirmed.pk != user.pk:
            raise forms.ValidationError(_("This is not your password."))
        return password

    def clean(self):
        data = super().clean()
        allowed = APPLICATION_SCOPES if data.get("application") else PERSONAL_SCOPES
        wrong = [s for s in data.get("scopes", []) if s not in allowed]
        if wrong:
            self.add_error("scopes", _("This kind of key cannot have the scope %s.") % wrong[0])
        return data


def _staff(user) -> None:
    if not (user.is_active and (user.role in Role.values or user.is_superuser)):
        raise PermissionDenied


def _keys_for(user):
    keys = ApiKey.objects.select_related("user")
    if user.is_administrator:
        return keys.filter(Q(user=user) | Q(user__isnull=True))
    return keys.filter(user=user)


@login_required
def tokens(request):
    user = request.user
    _staff(user)
    administrator = user.is_administrator
    created = None
    if request.method == "POST":
        form = TokenForm(request.POST, administrator=administrator, request=request)
        if form.is_valid():
            application = form.cleaned_data.get("application", False)
            try:
                created = create_key(
                    name=form.cleaned_data["name"],
                    user=None if application else user,
                    scopes=form.cleaned_data["scopes"],
                    actor=user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form = TokenForm(administrator=administrator)
    else:
        form = TokenForm(administrator=administrator)
    status = 400 if request.method == "POST" and created is None else 200
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created_key": created[0] if created else None,
            # Shown on this response only: it is stored hashed and cannot be shown again.
            "raw_key": created[1] if created else None,
            "keys": _keys_for(user),
        },
        status=status,
    )


@require_POST
@login_required
def revoke(request, pk: int):
    _staff(request.user)
    key = get_object_or_404(_keys_for(request.user), pk=pk)
    revoke_key(key, actor=request.user)
    return redirect("api-tokens:list")

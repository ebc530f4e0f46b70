"""The trained models in the admin, for administrators: when, on how much history, how well
(top-1 / top-3 on the held-out split, per category), which one is in use. Read-only: models are
made by `liaison triage train` and the nightly job; "Train now" runs the same service."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import TriageModel


def _percent(value) -> str:
    return "—" if value is None else f"{value:.1%}"


@admin.register(TriageModel)
class TriageModelAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "trained_at",
        "samples",
        "top_1",
        "top_3",
        "in_use_then",
        "in_use",
        "note",
    ]
    readonly_fields = [
        "trained_at",
        "samples",
        "in_use",
        "note",
        "size",
        "in_use_then",
        "evaluation_table",
    ]
    exclude = ["evaluation", "blob"]
    actions = ["train_now"]

    def _is_administrator(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.is_administrator

    def has_module_permission(self, request):
        return self._is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return self._is_administrator(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("top-1"))
    def top_1(self, obj):
        return _percent(obj.top1)

    @admin.display(description=gettext_lazy("top-3"))
    def top_3(self, obj):
        return _percent(obj.top3)

    @admin.display(description=gettext_lazy("model in use then, same split (top-1 / top-3)"))
    def in_use_then(self, obj):
        """The model that was in use when this one was trained, measured on the same held-out
        messages: the figures the decision compared (services.train_model)."""
        old = obj.evaluation.get("in_use_on_same_split")
        if not old:
            return "—"
        overall = old.get("overall") or {}
        top1, top3 = _percent(overall.get("top1")), _percent(overall.get("top3"))
        return f"#{old.get('model')}: {top1} / {top3}"

    @admin.display(description=gettext_lazy("size"))
    def size(self, obj):
        return f"{len(obj.blob or b'') / 1e6:.1f} MB"

    @admin.display(description=gettext_lazy("evaluation (held-out 20 %)"))
    def evaluation_table(self, obj):
        rows = list((obj.evaluation.get("categories") or {}).items())
        rows.append((_("overall"), obj.evaluation.get("overall") or {}))
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (name, row.get("n", 0), _percent(row.get("top1")), _percent(row.get("top3")))
                for name, row in rows
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>n</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("category"),
            _("top-1"),
            _("top-3"),
            body,
        )

    @admin.action(description=gettext_lazy("Train a new model now"))
    def train_now(self, request, queryset):
        try:
            outcome = services.train_model(actor=request.user)
        except services.NotEnoughHistory as short:
            self.message_user(
                request,
                _("Only %(count)d past assignments: not enough to learn from.")
                % {"count": short.args[0]},
                messages.WARNING,
            )
            return
        except ValueError as refused:
            self.message_user(request, str(refused), messages.WARNING)
            return
        if outcome.replaced:
            self.message_user(request, _("The new model is in use."), messages.SUCCESS)
        else:
            self.message_user(
                request, _("The new model was worse and was kept aside."), messages.WARNING
            )

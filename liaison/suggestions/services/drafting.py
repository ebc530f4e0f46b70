"""Drafting (起草), co-signing (附议), submitting and withdrawing."""

from collections.abc import Iterable
from typing import NotRequired, TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role, User
from liaison.activities.models import Activity
from liaison.cases.models import Case
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.permissions import may_at_all, require, restrict
from liaison.directory.models import Category, Deputy

from ..models import CoSigner, SessionKind, Suggestion, SuggestionEvent
from ..workflow import MACHINE, Action
from .mechanics import NOT_YOURS, required_text, suggestion_event, tell

MAX_COSIGNERS = 30

# --- drafting (起草) ---------------------------------------------------------------------------


def linkable_cases(user, lead_deputy: Deputy):
    """Cases a suggestion of `lead_deputy` may cite: the ones `user` sees that were the deputy's
    or came to one of the deputy's stations."""

    stations = lead_deputy.stations.values("pk")
    return restrict(Case.objects.verified(), user).filter(
        Q(deputy=lead_deputy) | Q(station__in=stations)
    )


def linkable_activities(lead_deputy: Deputy):
    return Activity.objects.filter(station__in=lead_deputy.stations.values("pk"))


class Content(TypedDict):
    """What a suggestion says, as drafted and as revised (the keyword arguments of
    `draft_suggestion` and `update_suggestion` besides who acts)."""

    title: str
    reasons: str
    proposals: str
    category: Category | None
    session_kind: str
    year: int | None
    congress: NotRequired[str]
    cosigners: NotRequired[Iterable[Deputy]]  # 附议代表
    cases: NotRequired[Iterable[Case]]  # the citizens' messages it grew from
    activities: NotRequired[Iterable[Activity]]


def _clean(actor, lead_deputy: Deputy, content: Content) -> dict:
    # A misspelt or missing keyword is the caller's bug, as it would be with a written-out
    # signature: say so instead of drafting without it.
    unknown = set(content) - Content.__required_keys__ - Content.__optional_keys__
    missing = Content.__required_keys__ - set(content)
    if unknown or missing:
        raise TypeError(f"Suggestion content: unknown {sorted(unknown)}, missing {sorted(missing)}")
    title, reasons, proposals = content["title"], content["reasons"], content["proposals"]
    category, session_kind, year = content["category"], content["session_kind"], content["year"]
    congress = content.get("congress", "")
    cosigners = content.get("cosigners", ())
    cases, activities = content.get("cases", ()), content.get("activities", ())
    errors: dict[str, list] = {}
    data = {
        "title": required_text(title, "title", _("Give the suggestion a title."), errors),
        "reasons": required_text(reasons, "reasons", _("Explain the reasons (案由)."), errors),
        "proposals": required_text(proposals, "proposals", _("Write the proposals."), errors),
        "congress": (congress or "").strip(),
    }
    if len(data["title"]) > Suggestion._meta.get_field("title").max_length:
        errors.setdefault("title", []).append(_("The title is too long."))
    if len(data["congress"]) > Suggestion._meta.get_field("congress").max_length:
        errors.setdefault("congress", []).append(_("The session name is too long."))
    if category is None or not category.is_active:
        errors.setdefault("category", []).append(_("Choose one of the listed categories."))
    if session_kind not in SessionKind.values:
        errors.setdefault("session_kind", []).append(_("Choose when it is submitted."))
    if not year or not 2000 <= int(year) <= 2100:
        errors.setdefault("year", []).append(_("Give the year the suggestion belongs to."))
    if not lead_deputy.is_active:
        errors.setdefault("lead_deputy", []).append(_("This deputy is no longer active."))
    cosigners = list(dict.fromkeys(cosigners))
    if lead_deputy in cosigners:
        errors.setdefault("cosigners", []).append(_("The lead deputy cannot also be a co-signer."))
    if any(not d.is_active for d in cosigners):
        errors.setdefault("cosigners", []).append(_("Every co-signer must be an active deputy."))
    if len(cosigners) > MAX_COSIGNERS:
        errors.setdefault("cosigners", []).append(_("Too many co-signers."))
    cases, activities = list(dict.fromkeys(cases)), list(dict.fromkeys(activities))
    allowed_cases = set(
        linkable_cases(actor, lead_deputy)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    if any(c.pk not in allowed_cases for c in cases):
        errors.setdefault("cases", []).append(
            _("Only cases of the lead deputy or their stations can be cited.")
        )
    allowed_activities = set(
        linkable_activities(lead_deputy)
        .filter(pk__in=[a.pk for a in activities])
        .values_list("pk", flat=True)
    )
    if any(a.pk not in allowed_activities for a in activities):
        errors.setdefault("activities", []).append(
            _("Only activities of the lead deputy's stations can be cited.")
        )
    if errors:
        raise ValidationError(errors)
    data.update(
        category=category,
        session_kind=session_kind,
        year=int(year),
        from_station_work=bool(cases or activities),
    )
    return {"fields": data, "cosigners": cosigners, "cases": cases, "activities": activities}


def _set_cosigners(suggestion: Suggestion, deputies: list[Deputy]) -> list[Deputy]:
    """Keep the confirmed signatures of deputies who stay; return the newly added deputies."""
    wanted = {d.pk: d for d in deputies}
    suggestion.cosigners.exclude(deputy_id__in=list(wanted)).delete()
    present = set(suggestion.cosigners.values_list("deputy_id", flat=True))
    added = [d for pk, d in wanted.items() if pk not in present]
    CoSigner.objects.bulk_create([CoSigner(suggestion=suggestion, deputy=d) for d in added])
    return added


def _ask_cosigners(suggestion: Suggestion, event: SuggestionEvent, deputies: list[Deputy]):
    users = User.objects.filter(
        role=Role.DEPUTY, deputy__in=deputies, is_active=True
    ).select_related("deputy")
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Please confirm your co-signature")
        body = gettext(
            "Deputy %(lead)s asks you to co-sign the suggestion “%(title)s”. Confirm or decline "
            "it on the suggestion's page."
        ) % {"lead": suggestion.lead_deputy.name, "title": suggestion.title}
    tell(list(users), event, subject, body)


@transaction.atomic
def draft_suggestion(*, actor, lead_deputy: Deputy, **content: Unpack[Content]) -> Suggestion:
    """起草 — a new draft by the lead deputy, or by station staff on the deputy's behalf."""
    require(actor, "deputy.speak_for", lead_deputy, NOT_YOURS)
    cleaned = _clean(actor, lead_deputy, content)
    station = actor.station if actor.role == Role.STATION_STAFF else None
    station = station or lead_deputy.stations.filter(is_active=True).order_by("pk").first()
    suggestion = Suggestion.objects.create(
        lead_deputy=lead_deputy,
        region_path=lead_deputy.region.path,
        station=station,
        created_by=actor,
        **cleaned["fields"],
    )
    suggestion.cases.set(cleaned["cases"])
    suggestion.activities.set(cleaned["activities"])
    added = _set_cosigners(suggestion, cleaned["cosigners"])
    event = suggestion_event(
        suggestion,
        "suggestion.drafted",
        actor=actor,
        from_status="",
        cosigners=[d.pk for d in added],
        cases=[c.pk for c in cleaned["cases"]],
        activities=[a.pk for a in cleaned["activities"]],
    )
    _ask_cosigners(suggestion, event, added)
    return suggestion


@transaction.atomic
def update_suggestion(
    suggestion: Suggestion,
    *,
    actor,
    seen_status: str | None = None,
    **content: Unpack[Content],
) -> Suggestion:
    """Revise a draft or a returned suggestion (修改)."""
    # The lead deputy comes along: the checks and the co-signers' notice read it.
    locked, _same = MACHINE.guard(suggestion, Action.EDIT, seen_status, "lead_deputy")
    require(actor, "suggestion.speak_for_lead", locked, NOT_YOURS)
    cleaned = _clean(actor, locked.lead_deputy, content)
    for field, value in cleaned["fields"].items():
        setattr(locked, field, value)
    locked.save(update_fields=[*cleaned["fields"], "updated_at"])
    locked.cases.set(cleaned["cases"])
    locked.activities.set(cleaned["activities"])
    added = _set_cosigners(locked, cleaned["cosigners"])
    event = suggestion_event(
        locked,
        "suggestion.edited",
        actor=actor,
        from_status=locked.status,
        cosigners_added=[d.pk for d in added],
    )
    _ask_cosigners(locked, event, added)
    return locked


@transaction.atomic
def confirm_signature(suggestion: Suggestion, *, actor, decline: bool = False) -> Suggestion:
    """附议确认 — the co-signing deputy confirms (or declines, which removes them) from their
    own account; nobody can sign for them."""
    locked, _same = MACHINE.guard(suggestion, Action.CONFIRM)
    if not may_at_all(actor, "cosigner.confirm"):
        raise NotAllowed(
            _("Only the co-signing deputy can confirm a co-signature, from their own account.")
        )
    signature = restrict(locked.cosigners.select_for_update(), actor, "cosigner.confirm").first()
    if signature is None:
        raise NotAllowed(_("You are not a co-signer of this suggestion."))
    if decline:
        signature.delete()
        verb = "suggestion.cosign_declined"
    else:
        if signature.confirmed_at is not None:
            raise TransitionRefused(_("You have confirmed your co-signature already."))
        signature.confirmed_at = timezone.now()
        signature.save(update_fields=["confirmed_at"])
        verb = "suggestion.cosign_confirmed"
    suggestion_event(locked, verb, actor=actor, from_status=locked.status, deputy=actor.deputy_id)
    return locked


@transaction.atomic
def submit_suggestion(suggestion: Suggestion, *, actor, seen_status: str | None = None):
    """提交 — to the committee for checking; every co-signer must have confirmed."""
    locked, to = MACHINE.guard(suggestion, Action.SUBMIT, seen_status)
    require(actor, "suggestion.speak_for_lead", locked, NOT_YOURS)
    waiting = list(
        locked.cosigners.filter(confirmed_at__isnull=True).values_list("deputy__name", flat=True)
    )
    if waiting:
        raise ValidationError(
            {
                "cosigners": _("Waiting for these co-signers to confirm: %(names)s.")
                % {"names": "、".join(waiting)}
            }
        )
    from_status, locked.status = locked.status, to
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    suggestion_event(locked, "suggestion.submitted", actor=actor, from_status=from_status)
    return locked


@transaction.atomic
def withdraw_suggestion(suggestion: Suggestion, *, actor, reason: str = "") -> Suggestion:
    locked, to = MACHINE.guard(suggestion, Action.WITHDRAW)
    require(actor, "suggestion.speak_for_lead", locked, NOT_YOURS)
    from_status, locked.status = locked.status, to
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    suggestion_event(
        locked, "suggestion.withdrawn", actor=actor, from_status=from_status, note=reason
    )
    return locked

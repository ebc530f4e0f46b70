"""A citizen rates a completed project (docs/projects.md): the phone is proved by a one-time SMS
code (notifications/phonecodes.py), then one rating per phone (`services.rate_project`)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liaison.core.errors import TransitionRefused
from liaison.core.phones import normalize_phone, validate_mobile
from liaison.notifications.phonecodes import Codes

from . import services
from .models import Project, RatingCode
from .workflow import MACHINE, Action


def _codes(project: Project, phone: str) -> Codes:
    digest = services.phone_hash(project, phone)
    return Codes(
        RatingCode.objects.filter(project=project, phone_hash=digest),
        {"project": project, "phone_hash": digest},
        salt="liaison.projects.rating-code",
        prefix=f"{project.pk}:{digest}:",
    )


def mobile(entered: str) -> str:
    phone = normalize_phone(entered or "")
    try:
        validate_mobile(phone)
    except ValidationError as invalid:
        raise ValidationError({"phone": invalid.messages}) from None
    return phone


def send_code(project: Project, entered_phone: str) -> tuple[str, str]:
    """(phone, code): the code is shown on screen in demo mode only."""
    if not MACHINE.allows(project.status, Action.RATE):
        raise TransitionRefused(MACHINE.refusal(project.status, Action.RATE))
    phone = mobile(entered_phone)
    code = _codes(project, phone).send(
        phone, "project_rating_code", {"title": project.title}, "project-rating-code"
    )
    return phone, code


def rate(project: Project, entered_phone: str, entered_code: str, score):
    phone = mobile(entered_phone)
    if not MACHINE.allows(project.status, Action.RATE):
        raise TransitionRefused(MACHINE.refusal(project.status, Action.RATE))
    if str(score) not in {"1", "2", "3", "4", "5"}:
        raise ValidationError({"score": _("Choose from 1 to 5 stars.")})
    return _codes(project, phone).check(
        entered_code, then=lambda: services.rate_project(project, phone=phone, score=score)
    )

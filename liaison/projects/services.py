"""Every write of a livelihood project (docs/design.md, rules 1–3; docs/projects.md). Each checks
the permission row and the state machine, changes the project and records the event in the audit
trail (a project has no timeline of its own: its public page is its progress reports)."""

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from liaison.accounts.models import Role
from liaison.core.errors import NotAllowed
from liaison.core.events import record_event
from liaison.core.images import reencode_image
from liaison.core.permissions import may, may_at_all, require, restrict
from liaison.directory.models import Region

from .models import Choice, Claim, Photo, Progress, Project, Rating, Source, Status, Vote
from .workflow import MACHINE, Action

MAX_PHOTOS = 9


def _save(project: Project, *fields: str) -> None:
    project.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def propose_project(
    *, actor, year: int, title: str, description: str, department, budget, region
) -> Project:
    """政府提出 — a candidate project for the year, proposed in the committee's region."""
    in_scope = may_at_all(actor, "project.manage") and (
        actor.is_administrator or restrict(Region.objects.filter(pk=region.pk), actor).exists()
    )
    if not in_scope:
        raise NotAllowed(_("You may propose projects in your own region only."))
    project = Project(
        year=year,
        title=(title or "").strip(),
        description=(description or "").strip(),
        department=department,
        budget=Decimal(budget) if budget not in (None, "") else None,
        region=region,
    )
    project.full_clean()
    project.save()
    record_event(project, "project.proposed", actor=actor, to_state=project.status)
    return project


@transaction.atomic
def open_vote(project: Project, *, actor, closes_at, seen_status=None) -> Project:
    """票决 opens: the deputies vote until `closes_at`."""
    require(actor, "project.manage", project)
    locked, to = MACHINE.guard(project, Action.OPEN_VOTE, seen_status)
    if closes_at is None or closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The vote must close in the future.")})
    locked.status, locked.vote_closes_at = to, closes_at
    _save(locked, "status", "vote_closes_at")
    record_event(
        locked,
        "project.vote_opened",
        actor=actor,
        from_state=Status.PROPOSED,
        data={"closes_at": closes_at.isoformat()},
    )
    return locked


@transaction.atomic
def cast_vote(project: Project, *, actor, choice: str) -> Vote:
    """One deputy's vote, once, while the vote is open."""
    require(actor, "project.vote", project, _("Only the deputies of the project's region vote."))
    locked, _to = MACHINE.guard(project, Action.VOTE)
    if choice not in Choice.values:
        raise ValidationError({"choice": _("Choose for, against or abstain.")})
    if locked.vote_closes_at and locked.vote_closes_at <= timezone.now():
        raise ValidationError({"choice": _("The vote on this project has closed.")})
    try:
        with transaction.atomic():
            vote = Vote.objects.create(project=locked, deputy=actor.deputy, choice=choice)
    except IntegrityError:
        raise ValidationError({"choice": _("You have voted on this project already.")}) from None
    # The audit names the deputy and the choice: a people's congress vote is a public act.
    record_event(
        locked, "project.voted", actor=actor, data={"deputy": actor.deputy_id, "choice": choice}
    )
    return vote


@transaction.atomic
def close_vote(project: Project, *, actor, seen_status=None) -> Project:
    """The vote is counted and published: adopted when more than half of the votes cast are
    for (abstentions count as cast, as in a congress vote)."""
    require(actor, "project.manage", project)
    locked = MACHINE.lock(project)
    counts = {c: locked.votes.filter(choice=c).count() for c in Choice.values}
    cast = sum(counts.values())
    adopted = cast > 0 and counts[Choice.FOR] * 2 > cast
    to = MACHINE.check(locked, Action.ADOPT if adopted else Action.REJECT, seen_status)
    before = locked.status
    locked.status = to
    locked.votes_for, locked.votes_against, locked.votes_abstain = (
        counts[Choice.FOR],
        counts[Choice.AGAINST],
        counts[Choice.ABSTAIN],
    )
    if locked.vote_closes_at is None or locked.vote_closes_at > timezone.now():
        locked.vote_closes_at = timezone.now()
    _save(locked, "status", "votes_for", "votes_against", "votes_abstain", "vote_closes_at")
    verb = "project.adopted" if adopted else "project.not_adopted"
    record_event(locked, verb, actor=actor, from_state=before, data=counts)
    return locked


@transaction.atomic
def claim_project(project: Project, *, actor) -> Claim:
    """认领 — the deputy follows the adopted project."""
    require(
        actor, "project.claim", project, _("Only the deputies of the project's region claim it.")
    )
    locked, _to = MACHINE.guard(project, Action.CLAIM)
    claim, created = Claim.objects.get_or_create(project=locked, deputy=actor.deputy)
    if not created:
        raise ValidationError(_("You follow this project already."))
    record_event(locked, "project.claimed", actor=actor, data={"deputy": actor.deputy_id})
    return claim


def _read_photos(uploads: Iterable) -> list[bytes]:
    uploads = [u for u in uploads if u]
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Send at most %(max)d photos.") % {"max": MAX_PHOTOS}})
    read, errors = [], []
    for upload in uploads:
        name = str(getattr(upload, "name", "") or "photo")[:100]
        try:
            read.append(reencode_image(upload.read(settings.PHOTO_MAX_BYTES + 1)))
        except ValidationError as invalid:
            errors.append(f"{name}: {invalid.messages[0]}")
    if errors:
        raise ValidationError({"photos": errors})
    return read


def _publish(project, *, actor, period, text, photos, acceptance) -> Progress:
    period, text = (period or "").strip(), (text or "").strip()
    errors = {}
    if not period:
        errors["period"] = _("Say which period this is, e.g. 2026 Q2.")
    elif len(period) > Progress._meta.get_field("period").max_length:
        errors["period"] = _("The period is too long.")
    if not text:
        errors["text"] = _("Describe the progress.")
    read = []
    try:
        read = _read_photos(photos)
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    if errors:
        raise ValidationError(errors)
    progress = Progress.objects.create(
        project=project, period=period, text=text, is_acceptance=acceptance, created_by=actor
    )
    for data in read:
        Photo.objects.create(progress=progress, image=ContentFile(data, name="photo.jpg"))
    return progress


@transaction.atomic
def report_progress(project: Project, *, actor, period: str, text: str, photos=()) -> Progress:
    """季度进度 — a progress report, published on the project page."""
    require(actor, "project.report", project)
    locked, _to = MACHINE.guard(project, Action.REPORT)
    progress = _publish(
        locked, actor=actor, period=period, text=text, photos=photos, acceptance=False
    )
    record_event(locked, "project.progress_reported", actor=actor, data={"progress": progress.pk})
    return progress


@transaction.atomic
def accept_project(project: Project, *, actor, text: str, photos=(), seen_status=None):
    """验收 — the final acceptance, published with photos; the project is completed."""
    require(actor, "project.manage", project)
    locked, to = MACHINE.guard(project, Action.ACCEPT, seen_status)
    period = _("Acceptance %(year)s") % {"year": timezone.localdate().year}
    progress = _publish(
        locked, actor=actor, period=period, text=text, photos=photos, acceptance=True
    )
    before, locked.status = locked.status, to
    _save(locked, "status")
    record_event(
        locked, "project.accepted", actor=actor, from_state=before, data={"progress": progress.pk}
    )
    return locked


@transaction.atomic
def link_source(project: Project, *, actor, case=None, suggestion=None) -> Source:
    """A case or a suggestion that fed the project (来源); the linker must see it."""
    require(actor, "project.manage", project)
    locked, _to = MACHINE.guard(project, Action.LINK)
    if (case is None) == (suggestion is None):
        raise ValidationError(_("Link one case or one suggestion."))
    source = case or suggestion
    if not may(actor, "view", source):
        raise NotAllowed(_("You may link only cases and suggestions you can see."))
    source_row, created = Source.objects.get_or_create(
        project=locked, case=case, suggestion=suggestion
    )
    if not created:
        raise ValidationError(_("This is linked to the project already."))
    kind = "case" if case else "suggestion"
    record_event(locked, "project.source_linked", actor=actor, data={kind: source.pk})
    return source_row


def phone_hash(project: Project, phone: str) -> str:
    return salted_hmac("liaison.projects.rating", f"{project.pk}:{phone}").hexdigest()


@transaction.atomic
def rate_project(project: Project, *, phone: str, score) -> Rating:
    """A citizen's rating of a completed project, one per phone. The caller has proved the
    phone by an SMS code (`ratings.check_code`)."""
    locked, _to = MACHINE.guard(project, Action.RATE)
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose from 1 to 5 stars.")})
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                project=locked, phone_hash=phone_hash(locked, phone), score=score
            )
    except IntegrityError:
        raise ValidationError({"score": _("This phone has rated this project already.")}) from None
    record_event(locked, "project.rated", actor=None, data={"score": score})
    return rating


def is_deputy(user) -> bool:
    return getattr(user, "role", None) == Role.DEPUTY and user.deputy_id is not None

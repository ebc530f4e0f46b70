"""Comments: the citizen's online comment (phone confirmed by the one SMS code flow,
notifications/phonecodes.py), the staff's entry of offline opinions, moderation, merging,
adoption, and telling each contributor what became of their opinion."""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.core.events import record_event
from liaison.core.permissions import require
from liaison.core.phones import normalize_phone, validate_mobile
from liaison.notifications.phonecodes import Codes
from liaison.notifications.services import enqueue_sms, tell_accounts
from liaison.workdays.deadlines import local_day

from ..models import Adoption, Audience, Comment, CommentCode, Draft, OfflineKind, Source
from ..workflow import (
    COMMENT_MACHINE,
    DRAFT_MACHINE,
    CommentAction,
    CommentStatus,
    DraftAction,
)

MAX_TEXT = 5000  # as a message to a deputy (cases.public_forms.MessageForm.description)
MAX_TAGS, MAX_TAG_CHARS = 10, 20
UNVERIFIED_KEPT = timedelta(hours=24)


def _check_article(draft: Draft, article) -> None:
    if article is not None and article.draft_id != draft.pk:
        raise ValidationError({"article": [_("This article is not part of the draft.")]})


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Please write your opinion.")]})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": [_("An opinion has at most %(max)d characters.") % {"max": MAX_TEXT}]}
        )
    return text


# --- online, by a citizen -------------------------------------------------------------------


def _codes(comment: Comment) -> Codes:
    return Codes(
        CommentCode.objects.filter(comment=comment),
        {"comment": comment},
        salt="liaison.legislation.comment-code",
        prefix=f"{comment.pk}:",
    )


def accepting(draft: Draft, today=None) -> bool:
    """Whether citizens may comment now: open, and today within the period."""
    today = today or local_day(timezone.now())
    return DRAFT_MACHINE.allows(draft.status, DraftAction.COMMENT) and (
        draft.opens_on <= today <= draft.closes_on
    )


@transaction.atomic
def submit_comment(
    draft: Draft, *, article, text: str, name: str, phone: str, consent: bool, language: str = ""
) -> tuple[Comment, str]:
    """A new online comment waiting for its phone to be confirmed, and the code sent (shown on
    screen in demo mode only). Nothing is counted or shown before the code is typed."""
    draft = Draft.objects.get(pk=draft.pk)  # as it is now, not as the page saw it
    if not accepting(draft):
        raise ValidationError(_("This draft is not open for comment."))
    if draft.audience == Audience.DEPUTIES:
        raise ValidationError(_("Only the deputies of the region comment on this report."))
    _check_article(draft, article)
    phone = normalize_phone(phone)
    validate_mobile(phone)
    comment = Comment.objects.create(
        draft=draft,
        article=article,
        text=_check_text(text),
        source=Source.ONLINE,
        name=(name or "").strip()[:50],
        phone=phone,
        consent=consent,
        language=language or translation.get_language() or "",
        status=CommentStatus.UNVERIFIED,
    )
    return comment, send_comment_code(comment)


@transaction.atomic
def submit_deputy_comment(
    draft: Draft, *, actor, article, text: str, consent: bool, language: str = ""
) -> Comment:
    """A deputy's opinion on a work report put to pre-review (网上预审), signed in: no phone code
    (the account is known), it waits for moderation at once; the outcome is told to the deputy's
    inbox, as for an opinion entered by staff (`entered_by`). Shown with the deputy's name only
    with consent."""
    require(actor, "draft.review", draft, _("Only the deputies of the report's region comment."))
    draft = Draft.objects.get(pk=draft.pk)  # as it is now, not as the page saw it
    if not accepting(draft):
        raise ValidationError(_("This draft is not open for comment."))
    _check_article(draft, article)
    comment = Comment.objects.create(
        draft=draft,
        article=article,
        text=_check_text(text),
        source=Source.ONLINE,
        name=actor.deputy.name[:50],
        consent=consent,
        entered_by=actor,
        language=language or translation.get_language() or "",
        status=CommentStatus.PENDING,
    )
    record_event(
        comment,
        "comment.submitted",
        actor=actor,
        data={
            "draft": draft.pk,
            "article": article.pk if article else None,
            "source": Source.ONLINE,
            "deputy": actor.deputy_id,
        },
    )
    return comment


def send_comment_code(comment: Comment) -> str:
    if comment.status != CommentStatus.UNVERIFIED:
        raise ValidationError({"code": [_("This opinion is confirmed already.")]})
    return _codes(comment).send(
        comment.phone, "comment_code", {}, "comment-code", language=comment.language
    )


def seconds_until_resend(comment: Comment) -> int:
    return _codes(comment).seconds_until_resend()


def verify_comment(comment: Comment, code: str) -> Comment:
    """The right code makes the comment count; it then waits for moderation."""
    return _codes(comment).check(code, then=lambda: _verify(comment))


def _verify(comment: Comment) -> Comment:
    locked, to = COMMENT_MACHINE.guard(comment, CommentAction.VERIFY, comment.status)
    locked.status, locked.phone_verified_at = to, timezone.now()
    locked.save(update_fields=["status", "phone_verified_at"])
    record_event(
        locked,
        "comment.submitted",
        actor=None,
        from_state=CommentStatus.UNVERIFIED,
        data={"draft": locked.draft_id, "article": locked.article_id, "source": locked.source},
    )
    return locked


def delete_unverified(now=None) -> int:
    """PIPL: an online comment whose phone was never confirmed is deleted after a day."""
    cutoff = (now or timezone.now()) - timedelta(hours=24)
    old = Comment.objects.filter(status=CommentStatus.UNVERIFIED, created_at__lt=cutoff)
    _total, by_model = old.delete()  # their codes go with them
    return by_model.get(Comment._meta.label, 0)


# --- offline, entered by staff --------------------------------------------------------------


@transaction.atomic
def enter_offline_comment(
    draft: Draft,
    *,
    actor,
    article,
    text: str,
    offline_kind: str,
    people: int,
    station,
) -> Comment:
    """An opinion said at a hearing (座谈会) or on a visit (走访), counted like an online one; the
    entry records who entered it and for which station."""
    require(actor, "draft.enter_comments", draft)
    draft, _to = DRAFT_MACHINE.guard(draft, DraftAction.ENTER, draft.status)
    _check_article(draft, article)
    errors = {}
    if offline_kind not in OfflineKind.values:
        errors["offline_kind"] = [_("Please choose where the opinion was given.")]
    if not isinstance(people, int) or not 1 <= people <= 10_000:
        errors["people"] = [_("The number of people is between 1 and 10000.")]
    if station is None or not draft.stations.filter(pk=station.pk).exists():
        errors["station"] = [_("Please choose one of the draft's contact-point stations.")]
    elif actor.station_id and station.pk != actor.station_id:
        errors["station"] = [_("You can enter opinions for your own station only.")]
    if errors:
        raise ValidationError(errors)
    comment = Comment.objects.create(
        draft=draft,
        article=article,
        text=_check_text(text),
        source=Source.OFFLINE,
        offline_kind=offline_kind,
        people=people,
        supporters=people,
        station=station,
        entered_by=actor,
        status=CommentStatus.PENDING,
    )
    record_event(
        comment,
        "comment.entered",
        actor=actor,
        data={
            "draft": draft.pk,
            "article": article.pk if article else None,
            "kind": offline_kind,
            "people": people,
            "station": station.pk,
        },
    )
    return comment


# --- moderation -------------------------------------------------------------------------------


def _guard(comment: Comment, action: str, actor, permission: str = "comment.moderate"):
    require(actor, permission, comment)
    return COMMENT_MACHINE.guard(comment, action, comment.status)


@transaction.atomic
def publish_comment(comment: Comment, *, actor) -> Comment:
    locked, to = _guard(comment, CommentAction.PUBLISH, actor)
    before = locked.status
    locked.status, locked.hidden_reason = to, ""
    locked.save(update_fields=["status", "hidden_reason"])
    record_event(locked, "comment.published", actor=actor, from_state=before)
    return locked


@transaction.atomic
def hide_comment(comment: Comment, *, actor, reason: str) -> Comment:
    """Off-topic or abusive: not shown, not counted; the reason stays with it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Please say why the comment is hidden.")]})
    locked, to = _guard(comment, CommentAction.HIDE, actor)
    before = locked.status
    locked.status, locked.hidden_reason = to, reason[:200]
    locked.save(update_fields=["status", "hidden_reason"])
    record_event(locked, "comment.hidden", actor=actor, from_state=before, data={"reason": reason})
    return locked


def split_tags(text: str) -> list[str]:
    """ "交通, 停车、罚款" → ["交通", "停车", "罚款"]: commas, 、 and spaces separate."""
    found = []
    for tag in re.split(r"[,，、;；\s]+", text or ""):
        if tag and tag not in found:
            found.append(tag)
    return found


@transaction.atomic
def tag_comment(comment: Comment, *, actor, tags: list[str]) -> Comment:
    if len(tags) > MAX_TAGS or any(len(t) > MAX_TAG_CHARS for t in tags):
        raise ValidationError(
            {
                "tags": [
                    _("At most %(count)d tags of at most %(chars)d characters each.")
                    % {"count": MAX_TAGS, "chars": MAX_TAG_CHARS}
                ]
            }
        )
    locked, _to = _guard(comment, CommentAction.TAG, actor)
    locked.tags = tags
    locked.save(update_fields=["tags"])
    record_event(locked, "comment.tagged", actor=actor, data={"tags": tags})
    return locked


@transaction.atomic
def merge_comment(comment: Comment, *, into: Comment, actor) -> Comment:
    """Merge an identical comment into another of the same article: it is no longer listed on its
    own, and its people count as the other's supporters (附议)."""
    require(actor, "comment.moderate", into)
    if into.pk == comment.pk:
        raise ValidationError({"into": [_("A comment cannot be merged into itself.")]})
    if into.draft_id != comment.draft_id or into.article_id != comment.article_id:
        raise ValidationError(
            {"into": [_("Only comments on the same article of the same draft can be merged.")]}
        )
    # Lock both in the order of their ids, so that two merges never wait for each other.
    first, second = sorted([comment, into], key=lambda c: c.pk)
    COMMENT_MACHINE.lock(first)
    COMMENT_MACHINE.lock(second)
    locked, to = _guard(comment, CommentAction.MERGE, actor)
    target = COMMENT_MACHINE.lock(into)
    if target.status not in (CommentStatus.PENDING, CommentStatus.PUBLISHED):
        raise ValidationError(
            {"into": [_("The comment to merge into must be pending or published.")]}
        )
    before = locked.status
    followers = list(Comment.objects.select_for_update().filter(merged_into=locked))
    Comment.objects.filter(pk__in=[f.pk for f in followers]).update(merged_into=target)
    target.supporters += locked.supporters
    target.save(update_fields=["supporters"])
    locked.status, locked.merged_into = to, target
    locked.save(update_fields=["status", "merged_into"])
    record_event(locked, "comment.merged", actor=actor, from_state=before, data={"into": target.pk})
    record_event(
        target,
        "comment.merge_received",
        actor=actor,
        data={"from": locked.pk, "supporters": target.supporters},
    )
    return target


# --- adoption and the contributors ------------------------------------------------------------


@transaction.atomic
def adopt_comment(comment: Comment, *, actor, adoption: str, reason: str) -> Comment:
    """采纳情况 — recorded by the legislative body once the period closed; the comments merged
    into this one share its outcome."""
    reason = (reason or "").strip()
    require(actor, "comment.adopt", comment)
    DRAFT_MACHINE.target(comment.draft.status, DraftAction.ADOPT)
    if adoption not in Adoption.values:
        raise ValidationError({"adoption": [_("Please choose adopted, partly adopted or not.")]})
    if adoption != Adoption.ADOPTED and not reason:
        raise ValidationError({"reason": [_("Please give the reason.")]})
    locked, _to = _guard(comment, CommentAction.ADOPT, actor, "comment.adopt")
    rows = [locked, *Comment.objects.select_for_update().filter(merged_into=locked)]
    for row in rows:
        changed = row.adoption != adoption
        row.adoption, row.adoption_reason = adoption, reason
        row.told_at = None if changed else row.told_at
        row.save(update_fields=["adoption", "adoption_reason", "told_at"])
        record_event(
            row,
            "comment.adoption_recorded",
            actor=actor,
            data={"adoption": adoption, "reason": reason, "via": locked.pk},
        )
    return locked


def _outcome_label(adoption: str) -> str:
    return str(Adoption(adoption).label)


@transaction.atomic
def tell_contributors(draft: Draft, *, actor) -> int:
    """Tell each contributor whose opinion has an adoption recorded what became of it, once per
    outcome: a citizen by SMS, an offline opinion through the account that entered it (inbox),
    who passes it on to the people of the hearing. Returns how many were told."""
    require(actor, "draft.change", draft)
    draft, _to = DRAFT_MACHINE.guard(draft, DraftAction.TELL, draft.status)
    url = settings.SITE_URL.rstrip("/") + reverse("legislation:draft", args=[draft.pk])
    due = (
        Comment.objects.filter(draft=draft, told_at__isnull=True)
        .exclude(adoption="")
        .exclude(status=CommentStatus.UNVERIFIED)
        .select_related("entered_by", "article")
        .order_by("pk")
    )
    told = 0
    for comment in due:
        key = f"legislation-comment:{comment.pk}:{comment.adoption}"
        if comment.source == Source.ONLINE and comment.phone:
            with translation.override(comment.language or settings.LANGUAGE_CODE):
                params = {
                    "title": draft.title,
                    "outcome": _outcome_label(comment.adoption),
                    "url": url,
                }
                enqueue_sms(comment.phone, "comment_outcome", params, dedupe_key=key)
        elif comment.entered_by is not None:
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Outcome of an opinion you entered: %(outcome)s") % {
                    "outcome": _outcome_label(comment.adoption)
                }
                body = f"{subject}\n{draft.title}\n{comment.text[:200]}\n{comment.adoption_reason}"
            link = reverse("legislation:staff-comments", args=[draft.pk])
            tell_accounts([comment.entered_by], key, subject, body, link=link)
        else:
            continue
        comment.told_at = timezone.now()
        comment.save(update_fields=["told_at"])
        told += 1
    record_event(draft, "draft.contributors_told", actor=actor, data={"told": told})
    return told

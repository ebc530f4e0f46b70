"""A draft's life: written and imported by the committee, opened, closed (by hand or when the
period ends), its opinion report sent."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.events import record_event
from liaison.core.permissions import require
from liaison.workdays.deadlines import local_day

from ..importing import Parsed, parse, parse_paragraphs
from ..models import Article, Audience, Chapter, Draft, DraftKind, ReportType
from ..workflow import DRAFT_MACHINE, DraftAction, DraftStatus


def _not_yours() -> str:
    return _("Only the committee staff of the draft's region may change it.")


@transaction.atomic
def save_draft(
    *,
    actor,
    draft: Draft | None = None,
    title: str,
    explanation: str,
    region,
    issuing_body: str,
    opens_on,
    closes_on,
    stations,
    kind: str = DraftKind.DRAFT,
    report_type: str = "",
    session: str = "",
    audience: str = Audience.PUBLIC,
) -> Draft:
    """Create a draft (status "in preparation") or change one not yet closed; its kind only while
    in preparation. A work report (kind "report") names which report and the session it goes to,
    and its audience (the region's deputies only, or the public too); a draft regulation or a
    call is always public."""
    stations = list(stations)
    require(actor, "draft.change", Draft(region_path=region.path), _not_yours())
    errors = {}
    if closes_on < opens_on:
        errors["closes_on"] = [_("The period cannot close before it opens.")]
    outside = [s.name for s in stations if not s.region.path.startswith(region.path)]
    if outside:
        errors["stations"] = [
            _("These stations are not in the draft's region: %(names)s.")
            % {"names": "、".join(outside)}
        ]
    session = (session or "").strip()
    if kind not in DraftKind.values:
        errors["kind"] = [
            _("Please choose a draft regulation, a call for proposals or a work report.")
        ]
    elif draft is not None and kind != draft.kind and draft.status != DraftStatus.DRAFT:
        errors["kind"] = [_("The kind cannot change once the consultation has opened.")]
    if kind == DraftKind.REPORT:
        if report_type not in ReportType.values:
            errors["report_type"] = [_("Please choose which work report this is.")]
        if not session:
            errors["session"] = [_("Please name the congress session the report goes to.")]
        if audience not in Audience.values:
            errors["audience"] = [_("Please choose who may read and comment on the report.")]
    else:
        report_type, session, audience = "", "", Audience.PUBLIC
    if errors:
        raise ValidationError(errors)
    fields = {
        "kind": kind,
        "title": title,
        "explanation": explanation,
        "region": region,
        "region_path": region.path,
        "issuing_body": issuing_body,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "report_type": report_type,
        "session": session,
        "audience": audience,
    }
    if draft is None:
        draft = Draft.objects.create(created_by=actor, **fields)
        verb = "draft.created"
    else:
        require(actor, "draft.change", draft, _not_yours())
        draft, _to = DRAFT_MACHINE.guard(draft, DraftAction.EDIT, draft.status)
        for name, value in fields.items():
            setattr(draft, name, value)
        draft.save(update_fields=[*fields, "updated_at"])
        verb = "draft.changed"
    draft.stations.set(stations)
    record_event(
        draft,
        verb,
        actor=actor,
        data={
            "title": title,
            "kind": kind,
            "region": region.code,
            "opens_on": opens_on.isoformat(),
            "closes_on": closes_on.isoformat(),
            "stations": sorted(s.pk for s in stations),
            **(
                {"report_type": report_type, "session": session, "audience": audience}
                if kind == DraftKind.REPORT
                else {}
            ),
        },
    )
    return draft


@transaction.atomic
def import_text(
    draft: Draft, *, actor, lines: list[str], unit: str = "", each_line: bool = False
) -> Parsed:
    """Replace the draft's chapters and articles by the parsed text: all of it or nothing
    (`importing.ImportProblems` names each bad line). A work report is split into paragraphs
    (`importing.parse_paragraphs`; `each_line`: every line is a paragraph, as in a .docx)."""
    require(actor, "draft.change", draft, _not_yours())
    draft, _to = DRAFT_MACHINE.guard(draft, DraftAction.IMPORT, draft.status)
    if draft.kind == DraftKind.CALL:
        raise ValidationError(_("A call for proposals has no text to import."))
    if draft.kind == DraftKind.REPORT:
        parsed = parse_paragraphs(lines, unit=unit, each_line=each_line)
    else:
        parsed = parse(lines, unit=unit)
    Article.objects.filter(draft=draft).delete()
    Chapter.objects.filter(draft=draft).delete()
    chapters = {
        c.number: Chapter.objects.create(draft=draft, number=c.number, title=c.title)
        for c in parsed.chapters
    }
    Article.objects.bulk_create(
        Article(
            draft=draft,
            chapter=chapters.get(a.chapter),
            number=a.number,
            section=a.section,
            text=a.text,
            order=order,
        )
        for order, a in enumerate(parsed.articles, start=1)
    )
    record_event(
        draft,
        "draft.text_imported",
        actor=actor,
        data={
            "chapters": len(parsed.chapters),
            ("paragraphs" if draft.kind == DraftKind.REPORT else "articles"): len(parsed.articles),
            "skipped_lines": parsed.skipped,
        },
    )
    return parsed


@transaction.atomic
def open_draft(draft: Draft, *, actor) -> Draft:
    require(actor, "draft.change", draft, _not_yours())
    draft, to = DRAFT_MACHINE.guard(draft, DraftAction.OPEN, draft.status)
    if draft.kind != DraftKind.CALL and not draft.articles.exists():
        raise ValidationError(_("Import the draft's text before opening it for comment."))
    if draft.closes_on < local_day(timezone.now()):
        raise ValidationError(
            {"closes_on": [_("The comment period is over already; change its last day first.")]}
        )
    return _move(draft, to, "draft.opened", actor)


def _move(draft: Draft, to: str, verb: str, actor, **fields) -> Draft:
    before = draft.status
    draft.status = to
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.save(update_fields=["status", *fields, "updated_at"])
    record_event(draft, verb, actor=actor, from_state=before)
    return draft


@transaction.atomic
def close_draft(draft: Draft, *, actor) -> Draft:
    require(actor, "draft.change", draft, _not_yours())
    draft, to = DRAFT_MACHINE.guard(draft, DraftAction.CLOSE, draft.status)
    return _move(draft, to, "draft.closed", actor)


def close_ended(now=None) -> int:
    """The worker closes the drafts whose last day is over (a periodic job, jobs.py)."""
    today = local_day(now or timezone.now())
    closed = 0
    ended = Draft.objects.filter(status=DraftStatus.OPEN, closes_on__lt=today)
    for draft in ended.order_by("pk"):
        with transaction.atomic():
            locked = DRAFT_MACHINE.lock(draft)
            if locked.status == DraftStatus.OPEN:
                _move(locked, DraftStatus.CLOSED, "draft.closed", None)
                closed += 1
    return closed


@transaction.atomic
def report_draft(draft: Draft, *, actor) -> Draft:
    """意见汇总报告已报送 — the report went to the legislative body."""
    require(actor, "draft.change", draft, _not_yours())
    draft, to = DRAFT_MACHINE.guard(draft, DraftAction.REPORT, draft.status)
    return _move(draft, to, "draft.reported", actor, reported_at=timezone.now())

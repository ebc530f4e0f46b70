"""What each page reads: the public consultations and comments, the staff's scoped lists, and
the figures of a draft (by article, by source, by station) for its page and its report."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from liaison.core.permissions import restrict

from .models import ADOPTED, Article, Audience, Comment, Draft, DraftKind, OfflineKind, Source
from .workflow import CommentStatus, DraftStatus

PUBLIC = (DraftStatus.OPEN, DraftStatus.CLOSED, DraftStatus.REPORTED)
# Confirmed and not hidden: what counts as an opinion received (merged ones too).
COUNTED_STATUSES = [CommentStatus.PENDING, CommentStatus.PUBLISHED, CommentStatus.MERGED]
COUNTED = Q(status__in=COUNTED_STATUSES)
# What citizens see: published, with the contributor's consent.
SHOWN = Q(status=CommentStatus.PUBLISHED, consent=True)


def public_drafts():
    """What anyone may read: not a work report open to the region's deputies only."""
    return (
        Draft.objects.filter(status__in=PUBLIC)
        .exclude(audience=Audience.DEPUTIES)
        .select_related("region")
    )


def deputy_reports(user):
    """The work reports put to pre-review that a signed-in deputy reads (both audiences), from
    the permission table ("draft.review"); none for anyone else."""
    drafts = Draft.objects.filter(status__in=PUBLIC, kind=DraftKind.REPORT)
    return restrict(drafts, user, "draft.review").select_related("region")


def readable_draft(user, pk):
    """The consultation `pk` as `user` may read it: a public one, or a report for the deputies."""
    draft = public_draft(pk)
    if draft is None and user.is_authenticated:
        draft = deputy_reports(user).filter(pk=pk).first()
    return draft


def with_figures(drafts):
    """Each draft with `comment_count` and `adopted_count` (one query for the list)."""
    counted = Q(comments__status__in=COUNTED_STATUSES)
    return drafts.annotate(
        comment_count=Count("comments", filter=counted),
        adopted_count=Count("comments", filter=counted & Q(comments__adoption__in=ADOPTED)),
    )


def adoption_counts(draft: Draft) -> dict[str, int]:
    """征集意见 N 条，采纳 M 条: the opinions counted and those adopted in full or in part."""
    counted = draft.comments.filter(COUNTED)
    return {"comments": counted.count(), "adopted": counted.filter(adoption__in=ADOPTED).count()}


def public_draft(pk):
    return public_drafts().filter(pk=pk).first()


def articles_with_comments(draft: Draft, per_article: int = 3) -> list[Article]:
    """The articles in order, each with `shown_count` and `shown`: its most supported shown
    comments (at most `per_article`; the article's own page lists them all). Two queries, whatever
    the number of comments: a count per article, and the top ones by a window function."""
    articles = list(
        draft.articles.select_related("chapter")
        .annotate(
            shown_count=Count(
                "comments",
                filter=Q(comments__status=CommentStatus.PUBLISHED, comments__consent=True),
            )
        )
        .order_by("order")
    )
    ranked = (
        Comment.objects.filter(SHOWN, draft=draft, article__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("article_id")],
                order_by=[F("supporters").desc(), F("created_at").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=per_article)
        .select_related("station")
    )
    top = defaultdict(list)
    for comment in ranked:
        comment.shown_name = display_name(comment)
        top[comment.article_id].append(comment)
    for article in articles:
        article.shown = sorted(top[article.pk], key=lambda c: c.rank)
    return articles


def shown_comments(draft: Draft, article: Article | None):
    """Every shown comment on `article` (or on the whole draft), most supported first."""
    return (
        draft.comments.filter(SHOWN, article=article)
        .select_related("station")
        .order_by("-supporters", "created_at", "pk")
    )


def display_name(comment: Comment) -> str:
    """Who a published comment is from, as the public sees it: the name only with consent, the
    phone never."""
    if comment.source == Source.OFFLINE:
        return _("%(kind)s at %(station)s") % {
            "kind": comment.get_offline_kind_display(),
            "station": comment.station.name if comment.station else "",
        }
    if comment.consent and comment.name:
        return comment.name
    return _("A citizen")


def station_counts(draft: Draft) -> list[dict]:
    """Opinions entered by each contact-point station (the public page's per-station counts)."""
    rows = (
        draft.comments.filter(COUNTED, source=Source.OFFLINE)
        .values("station__name")
        .annotate(comments=Count("pk"), people=Sum("people"))
        .order_by("-comments", "station__name")
    )
    return list(rows)


# --- staff -------------------------------------------------------------------------------------


def staff_drafts(user):
    return restrict(Draft.objects.all(), user, "draft.view").select_related("region")


def staff_comments(user, draft: Draft, status: str = ""):
    comments = restrict(draft.comments.all(), user, "comment.view")
    if status:
        comments = comments.filter(status=status)
    return comments.select_related("article", "station", "merged_into").order_by(
        "article__order", "pk"
    )


# --- the opinion report (意见汇总) ------------------------------------------------------------


@dataclass
class ArticleFigures:
    article: Article | None  # None: on the whole draft
    paragraphs: bool = False  # a work report: 第N段, not 第N条
    comments: int = 0
    people: int = 0
    online: int = 0
    hearings: int = 0
    visits: int = 0
    other: int = 0
    stations: dict = field(default_factory=lambda: defaultdict(int))
    points: list = field(default_factory=list)  # main comments (not merged), most supported first
    adopted: int = 0

    @property
    def label(self) -> str:
        if self.article is None:
            return _("The whole report") if self.paragraphs else _("The whole draft")
        return f"第{numeral(self.article.number)}{'段' if self.paragraphs else '条'}"


def numeral(number: int) -> str:
    from .importing import numeral as chinese

    return chinese(number)


def report(draft: Draft) -> list[ArticleFigures]:
    """By article (the whole draft first, then each article with opinions or not): how many
    opinions, from where, the main points. One query for the comments, one for the articles.
    A work report's rows are its paragraphs (第N段)."""
    paragraphs = draft.is_report
    figures = {None: ArticleFigures(None, paragraphs)}
    for article in draft.articles.order_by("order"):
        figures[article.pk] = ArticleFigures(article, paragraphs)
    comments = (
        draft.comments.filter(COUNTED).select_related("station").order_by("-supporters", "pk")
    )
    for comment in comments:
        row = figures[comment.article_id]
        row.comments += 1
        row.people += comment.people
        if comment.source == Source.ONLINE:
            row.online += 1
        else:
            kind = {OfflineKind.HEARING: "hearings", OfflineKind.VISIT: "visits"}.get(
                comment.offline_kind, "other"
            )
            setattr(row, kind, getattr(row, kind) + 1)
            row.stations[comment.station.name if comment.station else ""] += 1
        if comment.adoption in ADOPTED:
            row.adopted += 1
        if comment.status != CommentStatus.MERGED:
            row.points.append(comment)
    return list(figures.values())

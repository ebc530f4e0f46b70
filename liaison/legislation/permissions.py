"""The permission table's rows for the legislative contact point (liaison/core/permissions.py).

The standing committee (committee staff whose region covers the draft's region) publishes the
draft and records adoption; the contact-point stations' staff collect and moderate opinions.
A work report put to pre-review (kind "report") is read and commented on by the deputies of its
region — deputies whose own region lies in the report's region — whatever its audience."""

from django.db.models import Exists, OuterRef, Q

from liaison.accounts.rules import Role, region_covers
from liaison.core.permissions import register
from liaison.directory.models import Deputy

from .models import Comment, Draft, DraftKind

COMMITTEE, STATION, DEPUTY = Role.COMMITTEE_STAFF, Role.STATION_STAFF, Role.DEPUTY


def _contact_point(path: str):
    return lambda user: Q(**{path: user.station_id})


_drafts = {
    COMMITTEE: region_covers("region_path"),
    STATION: _contact_point("stations__pk"),
}
register("draft.view", Draft, _drafts)
register(
    "draft.change",
    Draft,
    {COMMITTEE: region_covers("region_path")},
    doc="Create and edit a draft, import its text, open and close the comment period, send the "
    "opinion report and tell the contributors: the committee staff of the draft's region.",
)
register(
    "draft.enter_comments",
    Draft,
    _drafts,
    doc="Enter opinions gathered offline (座谈会, 走访) and download the opinion report: the "
    "draft's committee and the staff of its contact-point stations.",
)


def _deputy_of_region(user) -> Q:
    """Work reports whose region contains the deputy's own region: one EXISTS in the same query,
    no read of the deputy first."""
    if not user.deputy_id:
        return Q(pk__in=[])
    deputy_below = Deputy.objects.filter(
        pk=user.deputy_id, region__path__startswith=OuterRef("region_path")
    )
    return Q(Exists(deputy_below), kind=DraftKind.REPORT)


register(
    "draft.review",
    Draft,
    {DEPUTY: _deputy_of_region},
    doc="Read and comment on a work report put to pre-review (工作报告网上预审), also one open to "
    "deputies only: the deputies whose region lies in the report's region.",
)

_comments = {
    COMMITTEE: region_covers("draft__region_path"),
    STATION: _contact_point("draft__stations__pk"),
}
register("comment.view", Comment, _comments)
register(
    "comment.moderate",
    Comment,
    _comments,
    doc="Publish or hide a comment, tag it, merge identical ones: the draft's committee and the "
    "staff of its contact-point stations.",
)
register(
    "comment.adopt",
    Comment,
    {COMMITTEE: region_covers("draft__region_path")},
    doc="Record whether a comment was adopted, with the reason: the committee staff of the "
    "draft's region (the legislative body).",
)
